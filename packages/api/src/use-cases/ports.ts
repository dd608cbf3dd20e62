/**
 * What the use cases need from outside: the hot-aggregates table (read side) and probes of the
 * pipeline around it. adapters/ implements them against DynamoDB, S3 and SQS; unit tests hand in
 * in-memory ones.
 */
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '@opendata-pulse/shared/model';
import type { RawHour } from '@opendata-pulse/shared/pipeline';
import type { DayWindow, HourWindow } from '../domain/query-arguments';

/** Opaque to use cases: where a page resumes, carried inside a signed page token. */
export type StartKey = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  /** where the next page starts; absent on the last page */
  nextKey?: StartKey;
}

export interface HotAggregatesReader {
  /**
   * Hourly readings of the given stations, newest first (then by station, highest first), one page
   * at a time.
   */
  readingsOfStations(
    siteIds: readonly number[],
    window: HourWindow,
    limit: number,
    startKey?: StartKey,
  ): Promise<Page<HourlyReading>>;
  regionHours(region: string, window: HourWindow, limit: number, startKey?: StartKey): Promise<Page<RegionHourSummary>>;
  dailySummaries(siteId: number, window: DayWindow, limit: number, startKey?: StartKey): Promise<Page<DailySummary>>;
  stations(region?: string): Promise<Station[]>;
  station(siteId: number): Promise<Station | undefined>;
  latestByRegion(region: string): Promise<HourlyReading[]>;
  /** latest reading per station; site ids without one are absent from the map */
  latestFor(siteIds: readonly number[]): Promise<Map<number, HourlyReading>>;
}

export interface PipelineProbes {
  /**
   * The newest hour in the raw zone at or before `nowMs` (shared `newestRawHour`); undefined when
   * no raw bucket is configured, null when the zone holds none.
   */
  newestRawHour(nowMs: number): Promise<RawHour | null | undefined>;
  /** messages the dead-letter queue holds (shared `queueDepth(...).total`); undefined when no DLQ is configured */
  dlqDepth(): Promise<number | undefined>;
}

/** Where `exportAirQualityData` puts its files (the curated bucket's `exports/` prefix) and hands them out. */
export interface ExportStore {
  /** Store the whole object in one request: a failure leaves nothing behind. */
  put(key: string, body: Uint8Array, meta: { contentType: string; fileName: string }): Promise<void>;
  /** A pre-signed GET URL for the object, valid `expiresInSeconds`. */
  downloadUrl(key: string, expiresInSeconds: number): Promise<string>;
}
