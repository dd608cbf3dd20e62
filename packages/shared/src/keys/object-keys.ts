/**
 * S3 object keys: the raw zone, the curated lake, reference data, CSV exports and log exports.
 * Re-exported by ./index.ts, the one entry every caller imports keys from.
 */
import { parseHourStart } from '../time';

/** Lower-case, single-spaced, dashed: "Sydney East" -> "sydney-east". */
export function slug(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '-');
}

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
