/**
 * The only place that spells a storage key: S3 object keys and the hot-aggregates table's keys,
 * with the item mappers beside them.
 *
 * Table layout (single table, GSI `GeographicIndex` on GSI1PK/GSI1SK):
 * | item            | PK                 | SK                  | GSI1PK                      | GSI1SK                          |
 * | station         | STATIONS           | SITE#00039          | REGION#sydney-east          | SITE#00039                      |
 * | hourly reading  | SITE#00039         | HOUR#<iso>          | SUBURB#rozelle              | HOUR#<iso>#SITE#00039           |
 * | latest reading  | SITE#00039         | LATEST              | LATEST#REGION#sydney-east   | SITE#00039                      |
 * | daily summary   | SITE#00039         | DAY#2026-11-20      |                             |                                 |
 * | region hour     | REGION#sydney-east | HOUR#<iso>          |                             |                                 |
 */
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '../model';
import { HOUR_MS, parseHourStart, toHourIso } from '../time';

// ---------------------------------------------------------------- S3

export const RAW_PREFIX = 'nsw-air-quality/raw/';
export const CURATED_PREFIX = 'nsw-air-quality/curated/';
export const REFERENCE_PREFIX = 'nsw-air-quality/reference/';

const RAW_KEY_RE = /^nsw-air-quality\/raw\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\.json$/;

/** `nsw-air-quality/raw/YYYY/MM/DD/HH.json` from the hour's UTC start. */
export function rawObjectKey(hourStart: string | number): string {
  const iso = new Date(typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart)).toISOString();
  return `${RAW_PREFIX}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}.json`;
}

/** The UTC hour start (epoch ms) a raw key stands for; undefined for keys outside the raw layout. */
export function hourOfRawKey(key: string): number | undefined {
  const m = RAW_KEY_RE.exec(key);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
  return rawObjectKey(ms) === key ? ms : undefined;
}

/** Prefix listing every raw hour of one UTC day (`YYYY-MM-DD`). */
export function rawDayPrefix(date: string): string {
  return `${RAW_PREFIX}${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/`;
}

export function referenceObjectKey(name: 'sites' | 'parameters'): string {
  return `${REFERENCE_PREFIX}${name}.json`;
}

/** Partition prefix of the curated lake for one UTC date. */
export function curatedPartitionPrefix(date: string): string {
  return `${CURATED_PREFIX}date=${date}/`;
}

/** One Parquet file per raw hour, so replaying an hour overwrites its file. */
export function curatedObjectKey(hourStart: string | number): string {
  const iso = new Date(typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart)).toISOString();
  return `${curatedPartitionPrefix(iso.slice(0, 10))}hour=${iso.slice(11, 13)}.parquet`;
}

// ---------------------------------------------------------------- curated bucket: API exports

/**
 * `exportAirQualityData`'s CSV files in the curated bucket; a lifecycle rule on this prefix
 * deletes them after a day (packages/etl/serverless.yml), and the API may write and read only here.
 */
export const EXPORTS_PREFIX = 'exports/';

/**
 * `exports/<suburb>-<from>-<to>-<id>.csv`: readable in a download folder, and unique per request
 * through `id` (a random UUID). The suburb keeps only `a-z0-9` and single dashes, so the key needs
 * no encoding.
 */
export function exportObjectKey(suburb: string, from: number, to: number, id: string): string {
  const name =
    slug(suburb)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'suburb';
  return `${EXPORTS_PREFIX}${name}-${compactUtc(from)}-${compactUtc(to)}-${id}.csv`;
}

// ---------------------------------------------------------------- ops bucket

/** Where `pulse logs export` sends CloudWatch Logs export tasks in the ops bucket. */
export const LOG_EXPORT_PREFIX = 'log-exports/';

/** `2026-11-27T04:00:00.000Z` -> `20261127T040000Z`: sortable, and safe in a key or a file name. */
function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One export's name: `<function>-<from>-<to>` in compact UTC (`to` exclusive). The same name is the
 * export's prefix in the ops bucket and, locally, its file in the data dir.
 */
export function logExportName(functionName: string, from: number, to: number): string {
  return `${functionName}-${compactUtc(from)}-${compactUtc(to)}`;
}

/** `log-exports/<function>-<from>-<to>`: CloudWatch Logs writes `<prefix>/<task id>/<stream>/*.gz`. */
export function logExportPrefix(functionName: string, from: number, to: number): string {
  return `${LOG_EXPORT_PREFIX}${logExportName(functionName, from, to)}`;
}

// ---------------------------------------------------------------- DynamoDB keys

export const GSI_NAME = 'GeographicIndex';
/**
 * Every hour the raw zone holds is served, whatever its age, so no item carries an expiry
 * (docs/architecture.md, "Hot aggregates table: key design"). Items written while the table had a
 * TTL still hold this attribute; the mappers strip it so it never reaches the model (and is never
 * written back from a stored reading).
 */
export const RETIRED_EXPIRY_ATTRIBUTE = 'expiresAt';
/**
 * Bookkeeping on items holding derived figures (readings' rolling averages, latest, daily, region
 * hour): a number that only grows as the stored inputs those figures were computed from get newer
 * (the ETL writes them conditionally on it, so a recomputation from a staler view never replaces a
 * fresher one). Not part of the model: the item mappers strip it.
 */
export const DERIVED_VERSION_ATTRIBUTE = 'derivedVersion';

export interface TableKey {
  PK: string;
  SK: string;
}
export interface IndexKey {
  GSI1PK: string;
  GSI1SK: string;
}

/** Lower-case, single-spaced, dashed: "Sydney East" -> "sydney-east". */
export function slug(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Suburbs match case-insensitively and ignore surrounding and repeated white space. */
export function suburbKey(suburb: string): string {
  return `SUBURB#${suburb.trim().toLowerCase().replace(/\s+/g, ' ')}`;
}

export function siteKey(siteId: number): string {
  return `SITE#${String(siteId).padStart(5, '0')}`;
}

export function regionKey(region: string): string {
  return `REGION#${slug(region)}`;
}

function hourSk(hourStart: string | number): string {
  const ms = typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart);
  return `HOUR#${toHourIso(ms)}`;
}

export const keys = {
  stationsPartition: 'STATIONS',
  station: (siteId: number): TableKey => ({ PK: 'STATIONS', SK: siteKey(siteId) }),
  stationIndex: (region: string): IndexKey['GSI1PK'] => regionKey(region),
  reading: (siteId: number, hourStart: string | number): TableKey => ({ PK: siteKey(siteId), SK: hourSk(hourStart) }),
  /** SK bound for hour ranges on one station: `HOUR#<iso>` */
  hourSk,
  latest: (siteId: number): TableKey => ({ PK: siteKey(siteId), SK: 'LATEST' }),
  latestIndex: (region: string): string => `LATEST#${regionKey(region)}`,
  daily: (siteId: number, date: string): TableKey => ({ PK: siteKey(siteId), SK: `DAY#${date}` }),
  daySk: (date: string): string => `DAY#${date}`,
  regionHour: (region: string, hourStart: string | number): TableKey => ({
    PK: regionKey(region),
    SK: hourSk(hourStart),
  }),
  region: regionKey,
  site: siteKey,
  suburb: suburbKey,
  /** GSI sort key of a reading: newest-first queries on a suburb sort by hour, then station */
  suburbHourSk: (hourStart: string | number, siteId?: number): string =>
    siteId === undefined ? hourSk(hourStart) : `${hourSk(hourStart)}#${siteKey(siteId)}`,
} as const;

// ---------------------------------------------------------------- item mappers

type Item = Record<string, unknown>;
const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'itemType',
  DERIVED_VERSION_ATTRIBUTE,
  RETIRED_EXPIRY_ATTRIBUTE,
] as const;

function stripKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

export type ItemType = 'station' | 'reading' | 'latest' | 'daily' | 'regionHour';

export function stationToItem(station: Station): Item {
  return {
    ...keys.station(station.siteId),
    GSI1PK: keys.stationIndex(station.region),
    GSI1SK: siteKey(station.siteId),
    itemType: 'station',
    ...station,
  };
}
export const stationFromItem = (item: Item): Station => stripKeys<Station>(item);

export function readingToItem(reading: HourlyReading): Item {
  return {
    ...keys.reading(reading.siteId, reading.hourStart),
    GSI1PK: suburbKey(reading.suburb),
    GSI1SK: keys.suburbHourSk(reading.hourStart, reading.siteId),
    itemType: 'reading',
    ...reading,
  };
}
export const readingFromItem = (item: Item): HourlyReading => stripKeys<HourlyReading>(item);

export function latestToItem(reading: HourlyReading): Item {
  return {
    ...keys.latest(reading.siteId),
    GSI1PK: keys.latestIndex(reading.region),
    GSI1SK: siteKey(reading.siteId),
    itemType: 'latest',
    ...reading,
  };
}
export const latestFromItem = readingFromItem;

export function dailyToItem(summary: DailySummary): Item {
  return {
    ...keys.daily(summary.siteId, summary.date),
    itemType: 'daily',
    ...summary,
  };
}
export const dailyFromItem = (item: Item): DailySummary => stripKeys<DailySummary>(item);

export function regionHourToItem(summary: RegionHourSummary): Item {
  return {
    ...keys.regionHour(summary.region, summary.hourStart),
    itemType: 'regionHour',
    ...summary,
  };
}
export const regionHourFromItem = (item: Item): RegionHourSummary => stripKeys<RegionHourSummary>(item);

export { HOUR_MS };
