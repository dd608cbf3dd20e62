/**
 * The hot-aggregates table as the ETL writes it. Keys and item shapes come from shared/keys (the
 * only place that spells them); the write rules are in one module per kind of item:
 * - hourly readings (hot-table-readings): a reading is replaced only by a newer-or-equal fetch;
 * - derived figures (rolling averages and the hour's category, latest, daily, region hour) are
 *   written conditionally on DERIVED_VERSION_ATTRIBUTE (hot-table-readings, hot-table-summaries),
 *   so a recomputation from a staler view of the stored hours never replaces one from a fresher view;
 * - station items (hot-table-stations), which carry no history, go in unconditional BatchWrites.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  DailySummary,
  HourlyReading,
  RegionHourSummary,
  RollingAverage,
  Station,
} from '@opendata-pulse/shared/model';
import { createReadingItems } from './hot-table-readings';
import { createStationItems } from './hot-table-stations';
import { createSummaryItems } from './hot-table-summaries';

export type ReadingWrite = 'written' | 'refreshed' | 'older';

export interface StoredReading {
  reading: HourlyReading;
  /** the derived version stored with it; undefined before its first derived write */
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

export interface HotTable {
  readonly tableName: string;
  /**
   * Write a reading; never over a newer fetch. A new or newer fetch replaces the item, with the
   * derived figures the reading carries stamped `derivedVersion`; the same fetch again refreshes
   * only the station's names (its values are the same).
   */
  writeReading(reading: HourlyReading, derivedVersion: number): Promise<ReadingWrite>;
  /** a station's stored readings with hour starts in [from, to] (epoch ms), oldest first */
  stationHours(siteId: number, from: number, to: number): Promise<StoredReading[]>;
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

export interface HotTableOptions {
  ttlDays: number;
  /** attempts for BatchWrite/BatchGet leftovers before giving up (the SDK retries throttles too) */
  maxBatchAttempts?: number;
}

export function createHotTable(db: DynamoDBDocumentClient, tableName: string, options: HotTableOptions): HotTable {
  return {
    tableName,
    ...createReadingItems(db, tableName, options),
    ...createSummaryItems(db, tableName, options),
    ...createStationItems(db, tableName, options),
  };
}
