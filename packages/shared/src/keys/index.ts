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
 * | hour fetches    | FETCHES#<iso>      | FETCHES             |                             |                                 |
 */
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '../model';
import { HOUR_MS, parseHourStart, toHourIso } from '../time';

// ---------------------------------------------------------------- S3

export const RAW_PREFIX = 'nsw-air-quality/raw/';
export const CURATED_PREFIX = 'nsw-air-quality/curated/';
export const REFERENCE_PREFIX = 'nsw-air-quality/reference/';

/**
 * The raw zone (docs/architecture.md, "Raw zone keys") holds one object per distinct NSW response:
 * | object           | key (under nsw-air-quality/raw/)            | written by                        |
 * | hour snapshot    | YYYY/MM/DD/HH.json                          | the scheduled run, first fetch    |
 * | hour revision    | YYYY/MM/DD/HH.rev-<fetched>-<sha8>.json     | a later, different fetch of it    |
 * | day              | days/YYYY-MM-DD.json                        | a backfill of that NSW local date |
 * | day revision     | days/YYYY-MM-DD.rev-<fetched>-<sha8>.json   | a later, different fetch of it    |
 * Hours are UTC (from the hour's start); days are NSW's local dates, the unit NSW answers dated
 * queries in. `<fetched>` is the compact UTC fetch time, so a listing sorts revisions oldest first
 * (and after the first snapshot: `json` < `rev-`). `<sha8>` is the first 8 hex of the body's hash.
 */
export const RAW_DAYS_PREFIX = `${RAW_PREFIX}days/`;

const HOUR_PATH_RE = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\.(?:json|rev-(\d{8}T\d{6}Z)-([a-f0-9]{8})\.json)$/;
const DAY_PATH_RE = /^days\/(\d{4}-\d{2}-\d{2})\.(?:json|rev-(\d{8}T\d{6}Z)-([a-f0-9]{8})\.json)$/;

export interface RawRevision {
  /** compact UTC fetch time as spelled in the key (`20261127T040512Z`) */
  fetched: string;
  /** first 8 hex characters of the body's sha-256 */
  sha8: string;
}

/** What a raw key stands for: an hour or an NSW local day, first fetch or a later revision. */
export type RawKey =
  | { kind: 'hour'; hourStart: number; revision?: RawRevision }
  | { kind: 'day'; date: string; revision?: RawRevision };

function hourPath(hourStart: string | number): string {
  const iso = new Date(typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart)).toISOString();
  return `${RAW_PREFIX}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}

function assertDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new Error(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  }
  return date;
}

function revisionSuffix(fetchedAt: string | number, contentSha256: string): string {
  if (!/^[a-f0-9]{8}/.test(contentSha256)) throw new Error(`"${contentSha256}" is not a sha-256 hex digest`);
  const ms = typeof fetchedAt === 'number' ? fetchedAt : Date.parse(fetchedAt);
  if (Number.isNaN(ms)) throw new Error(`"${fetchedAt}" is not a fetch time`);
  return `.rev-${compactUtc(ms)}-${contentSha256.slice(0, 8)}.json`;
}

/** `nsw-air-quality/raw/YYYY/MM/DD/HH.json` from the hour's UTC start: the hour's first snapshot. */
export function rawObjectKey(hourStart: string | number): string {
  return `${hourPath(hourStart)}.json`;
}

/** A later, different fetch of an hour: `.../HH.rev-<fetched>-<sha8>.json`, beside the snapshot. */
export function rawRevisionKey(hourStart: string | number, fetchedAt: string | number, contentSha256: string): string {
  return `${hourPath(hourStart)}${revisionSuffix(fetchedAt, contentSha256)}`;
}

/** Prefix of every stored fetch of one hour (`HH.json` and its revisions), oldest first when listed. */
export function rawHourVersionsPrefix(hourStart: string | number): string {
  return `${hourPath(hourStart)}.`;
}

/** `nsw-air-quality/raw/days/YYYY-MM-DD.json`: NSW's answer for one local date, as first fetched. */
export function rawDayKey(localDate: string): string {
  return `${RAW_DAYS_PREFIX}${assertDate(localDate)}.json`;
}

/** A later, different fetch of a local date: `days/YYYY-MM-DD.rev-<fetched>-<sha8>.json`. */
export function rawDayRevisionKey(localDate: string, fetchedAt: string | number, contentSha256: string): string {
  return `${RAW_DAYS_PREFIX}${assertDate(localDate)}${revisionSuffix(fetchedAt, contentSha256)}`;
}

/** Prefix of every stored fetch of one local date, oldest first when listed. */
export function rawDayVersionsPrefix(localDate: string): string {
  return `${RAW_DAYS_PREFIX}${assertDate(localDate)}.`;
}

/** What a key of the raw zone stands for; undefined for anything else (the reference zone, typos). */
export function parseRawKey(key: string): RawKey | undefined {
  if (!key.startsWith(RAW_PREFIX)) return undefined;
  const path = key.slice(RAW_PREFIX.length);
  const hour = HOUR_PATH_RE.exec(path);
  if (hour) {
    const ms = Date.UTC(Number(hour[1]), Number(hour[2]) - 1, Number(hour[3]), Number(hour[4]));
    if (!path.startsWith(hourPath(ms).slice(RAW_PREFIX.length))) return undefined;
    return {
      kind: 'hour',
      hourStart: ms,
      ...(hour[5] ? { revision: { fetched: hour[5], sha8: hour[6] as string } } : {}),
    };
  }
  const day = DAY_PATH_RE.exec(path);
  if (day) {
    const date = day[1] as string;
    try {
      assertDate(date);
    } catch {
      return undefined;
    }
    return { kind: 'day', date, ...(day[2] ? { revision: { fetched: day[2], sha8: day[3] as string } } : {}) };
  }
  return undefined;
}

/** The UTC hour start (epoch ms) an hour key (snapshot or revision) stands for; undefined otherwise. */
export function hourOfRawKey(key: string): number | undefined {
  const parsed = parseRawKey(key);
  return parsed?.kind === 'hour' ? parsed.hourStart : undefined;
}

/** Prefix listing every raw hour object (snapshots and revisions) of one UTC day (`YYYY-MM-DD`). */
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

/**
 * On an hour's fetches item: every raw object that has written readings of the hour, as
 * `fetchClaim` spells them (a string set: a replay adds nothing). A worker that wrote readings
 * without a condition reads it back to find a newer fetch that ran beside it
 * (docs/architecture.md, "Write path").
 */
export const FETCH_CLAIMS_ATTRIBUTE = 'fetches';

export interface FetchClaim {
  /** ISO fetch time of the raw object */
  fetchedAt: string;
  bucket: string;
  key: string;
}

/** `<fetchedAt>|<bucket>|<key>`: ISO times sort as strings, and neither part holds a `|`. */
export function fetchClaim(claim: FetchClaim): string {
  for (const part of [claim.fetchedAt, claim.bucket, claim.key]) {
    if (part.includes('|')) throw new Error(`"${part}" cannot be part of a fetch claim: it holds a "|"`);
  }
  return `${claim.fetchedAt}|${claim.bucket}|${claim.key}`;
}

export function parseFetchClaim(value: string): FetchClaim {
  const [fetchedAt, bucket, key, ...rest] = value.split('|');
  if (!fetchedAt || !bucket || !key || rest.length > 0 || Number.isNaN(Date.parse(fetchedAt))) {
    throw new Error(`"${value}" is not a fetch claim (<fetchedAt>|<bucket>|<key>)`);
  }
  return { fetchedAt, bucket, key };
}

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
  /** the hour's fetches item (FETCH_CLAIMS_ATTRIBUTE) */
  hourFetches: (hourStart: string | number): TableKey => ({
    PK: `FETCHES#${toHourIso(typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart))}`,
    SK: 'FETCHES',
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

export type ItemType = 'station' | 'reading' | 'latest' | 'daily' | 'regionHour' | 'hourFetches';

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
