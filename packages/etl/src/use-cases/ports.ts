/**
 * What the ETL's use cases need from the outside world. The adapters implement these against S3
 * and DynamoDB; composition.ts hands them over, so a use case never builds a client.
 */

import type { FetchClaim } from '@opendata-pulse/shared/keys';
import type {
  DailySummary,
  HourlyReading,
  RegionHourSummary,
  RollingAverage,
  Station,
} from '@opendata-pulse/shared/model';
import type { Logger, Metrics } from '@opendata-pulse/shared/observability';

/** The raw bucket, read as text. */
export interface RawStore {
  /** the object's text; NotFoundError when it is gone */
  getText(bucket: string, key: string): Promise<string>;
  /** the sites reference's text; undefined when the bucket has none */
  getSitesReference(): Promise<string | undefined>;
}

export type CuratedWrite = 'written' | 'older';

/** The curated lake: one Parquet file per raw hour. */
export interface CuratedStore {
  readonly bucket: string;
  writeHour(input: {
    hourStart: number;
    body: Uint8Array;
    fetchedAt: string;
    rawKey: string;
    rows: number;
  }): Promise<{ key: string; outcome: CuratedWrite }>;
}

export type ReadingWrite = 'written' | 'refreshed' | 'older';

export interface StoredReading {
  reading: HourlyReading;
  /** the derived version stored with it; undefined before its first derived write */
  version: number | undefined;
}

/** What a stored reading's derived figures stand on: its fetch and derived version. */
export interface StoredFetch {
  /** epoch ms of the hour */
  hourStart: number;
  fetchedAt: string;
  version: number | undefined;
}

export interface DerivedWrite {
  /** rolling average per measurement index */
  rolling: ReadonlyMap<number, RollingAverage>;
  category?: HourlyReading['category'];
  determiningPollutant?: string;
  version: number;
}

export interface RegionHourInput {
  siteId: number;
  /** epoch ms of the reading's hour start */
  hourStart: number;
  region: string;
  category?: HourlyReading['category'];
  version: number;
}

/** The hot-aggregates table; the adapter (adapters/hot-table.ts) holds its write rules. */
export interface HotTable {
  readonly tableName: string;
  /**
   * Write a reading; never over a newer fetch. A new or newer fetch replaces the item, with the
   * derived figures the reading carries stamped `derivedVersion`; the same fetch again refreshes
   * only the station's names (its values are the same).
   */
  writeReading(reading: HourlyReading, derivedVersion: number): Promise<ReadingWrite>;
  /**
   * Add each raw object to its hour's fetches; answers every fetch each hour holds since. Made
   * before putReadings, so a newer fetch of an hour is always either seen here or found by
   * hourFetches after the writes.
   */
  claimHours(
    claims: readonly { hourStart: number; claim: FetchClaim }[],
    concurrency: number,
  ): Promise<Map<number, FetchClaim[]>>;
  /** the fetches each hour holds (strongly consistent); hours without any are absent */
  hourFetches(hours: readonly number[]): Promise<Map<number, FetchClaim[]>>;
  /** readings with their derived figures stamped `version`, written without a condition (BatchWriteItem) */
  putReadings(readings: readonly { reading: HourlyReading; version: number }[]): Promise<void>;
  /** a station's stored readings with hour starts in [from, to] (epoch ms), oldest first */
  stationHours(siteId: number, from: number, to: number): Promise<StoredReading[]>;
  /** the same hours' fetch times and derived versions only (a projection: a lighter read) */
  stationFetches(siteId: number, from: number, to: number): Promise<StoredFetch[]>;
  /** false when the stored reading changed since it was read, or a fresher derivation is stored */
  writeDerived(stored: HourlyReading, derived: DerivedWrite): Promise<boolean>;
  putDaily(summary: DailySummary, version: number): Promise<boolean>;
  /** false when the stored latest is a later hour, or the same hour from a fresher derivation */
  putLatest(reading: HourlyReading, version: number): Promise<boolean>;
  putRegionHour(summary: RegionHourSummary, version: number): Promise<boolean>;
  /** site ids of the station items indexed under a region */
  stationsInRegion(region: string): Promise<number[]>;
  /** the stored readings at these station-hours (only those that exist): region, category, version */
  readingsAt(at: readonly { siteId: number; hourStart: number }[]): Promise<RegionHourInput[]>;
  /** station items from the sites reference (unconditional: they carry no history) */
  putStations(stations: readonly Station[]): Promise<void>;
  /** a fallback station item, only where no station item exists yet */
  putFallbackStation(station: Station): Promise<boolean>;
}

/** What the use cases are given, built once per cold start by composition.ts. */
export interface EtlSettings {
  rawBucket: string;
  curatedBucket: string;
  tableName: string;
  timeZone: string;
}

export interface EtlDeps {
  settings: EtlSettings;
  raw: RawStore;
  curated: CuratedStore;
  table: HotTable;
  logger: Logger;
  metrics: Metrics;
  /** live updates to the API's subscribers; absent = none are published */
  hourUpdates?: HourUpdatePorts;
}

/** One region's newest hour as the API's HourUpdate carries it (schema.graphql, HourUpdateInput). */
export interface HourUpdate {
  region: string;
  /** UTC start of the hour, ISO */
  hourStart: string;
  stations: Array<{
    siteId: number;
    name: string;
    suburb: string;
    category: HourlyReading['category'] | null;
    determiningPollutant: string | null;
  }>;
}

/** What the table says about a region's hours (strongly consistent reads). */
export interface HourUpdateSource {
  /** epoch ms of the region's newest stored region-hour item; undefined when it has none */
  newestRegionHour(region: string): Promise<number | undefined>;
  /** the stored readings at these station-hours (only those that exist) */
  readingsAt(at: readonly { siteId: number; hourStart: number }[]): Promise<HourlyReading[]>;
}

/** `no-endpoint`: the API's URL is not known (yet); nothing was sent. Any failure throws. */
export type PublishOutcome = 'published' | 'no-endpoint';

export interface HourUpdatePublisher {
  /** false while the API's URL is not known: the table is not even read for updates then */
  available(): Promise<boolean>;
  publish(update: HourUpdate): Promise<PublishOutcome>;
}

export interface HourUpdatePorts {
  source: HourUpdateSource;
  publisher: HourUpdatePublisher;
}
