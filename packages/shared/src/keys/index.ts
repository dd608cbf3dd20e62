/**
 * The only place that spells a storage key: S3 object keys (./object-keys.ts, re-exported here) and
 * the hot-aggregates table's keys, with the item mappers beside them.
 *
 * Table layout (single table, GSI `GeographicIndex` on GSI1PK/GSI1SK):
 * | item            | PK                 | SK                  | GSI1PK                      | GSI1SK                          |
 * | station         | STATIONS           | SITE#00039          | REGION#sydney-east          | SITE#00039                      |
 * | hourly reading  | SITE#00039         | HOUR#<iso>          |                             |                                 |
 * | latest reading  | SITE#00039         | LATEST              | LATEST#REGION#sydney-east   | SITE#00039                      |
 * | daily summary   | SITE#00039         | DAY#2026-11-20      |                             |                                 |
 * | region hour     | REGION#sydney-east | HOUR#<iso>          |                             |                                 |
 * | hour fetches    | FETCHES#<iso>      | FETCHES             |                             |                                 |
 *
 * Hourly readings stay out of the index: a suburb's readings are its stations' partitions, found
 * through the station items (docs/architecture.md, "Hot aggregates table: key design").
 */
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '../model';
import { HOUR_MS, parseHourStart, toHourIso } from '../time';
import { slug } from './object-keys';

export * from './object-keys';

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
 * Index keys hourly readings carried while they were in the GeographicIndex: a rewrite of such a
 * reading removes them, so it leaves the index (docs/architecture.md, "Hot aggregates table: key
 * design").
 */
export const RETIRED_READING_INDEX_ATTRIBUTES = ['GSI1PK', 'GSI1SK'] as const;

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
  /** The hour (UTC ms) an `HOUR#<iso>` sort key names; undefined for any other sort key. */
  hourOfSk: (sk: string): number | undefined => {
    if (!sk.startsWith('HOUR#')) return undefined;
    const ms = Date.parse(sk.slice('HOUR#'.length));
    return Number.isNaN(ms) ? undefined : ms;
  },
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
