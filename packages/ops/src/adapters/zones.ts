/**
 * Reading the raw and curated zones for operations: which objects stand for which hours (the
 * newest one is shared `/pipeline`'s `newestRawHour`).
 * Keys are spelled only by shared `/keys`; this module compares against them, never builds its own.
 * The raw zone's key kinds (hour snapshot and revisions, day and its revisions) are described in
 * docs/architecture.md, "Raw zone keys".
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bodyToString } from '@opendata-pulse/shared/aws';
import {
  CURATED_PREFIX,
  curatedObjectKey,
  curatedPartitionPrefix,
  hourOfRawKey,
  parseRawKey,
  RAW_PREFIX,
  rawDayPrefix,
  rawDayVersionsPrefix,
  rawObjectKey,
} from '@opendata-pulse/shared/keys';
import { normaliseObservation } from '@opendata-pulse/shared/model';
import { listObjects } from '@opendata-pulse/shared/pipeline';
import { parseRawObject, RAW_OBJECT_METADATA } from '@opendata-pulse/shared/raw';
import { DAY_MS, floorToHour, HOUR_MS, utcDateOf } from '@opendata-pulse/shared/time';

/** UTC dates (YYYY-MM-DD) touched by hours in [from, to). */
export function datesBetween(from: number, to: number): string[] {
  const dates: string[] = [];
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS) dates.push(utcDateOf(d));
  return dates;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every stored fetch of each hour in [from, to) that has one, from one listing per UTC day:
 * the keys in listing order (the snapshot `HH.json`, then its revisions oldest first).
 */
export async function rawHourVersions(
  s3: S3Client,
  bucket: string,
  from: number,
  to: number,
): Promise<Map<number, string[]>> {
  const versions = new Map<number, string[]>();
  for (const date of datesBetween(from, to)) {
    const keys = (await listObjects(s3, bucket, rawDayPrefix(date))).map((o) => o.key).sort(byKey);
    for (const key of keys) {
      const hour = hourOfRawKey(key);
      if (hour === undefined || hour < from || hour >= to) continue;
      versions.set(hour, [...(versions.get(hour) ?? []), key]);
    }
  }
  return versions;
}

/** Hours in [from, to) that have at least one hour object (snapshot or revision). */
export async function rawHoursPresent(s3: S3Client, bucket: string, from: number, to: number): Promise<Set<number>> {
  return new Set((await rawHourVersions(s3, bucket, from, to)).keys());
}

/** Every stored fetch of one NSW local date's day object, oldest first. */
export async function rawDayVersions(s3: S3Client, bucket: string, localDate: string): Promise<string[]> {
  return (await listObjects(s3, bucket, rawDayVersionsPrefix(localDate)))
    .map((o) => o.key)
    .filter((k) => parseRawKey(k)?.kind === 'day')
    .sort(byKey);
}

/** What a raw object's S3 metadata says (the ingest writes it beside the body); absent when not set. */
export interface RawObjectHead {
  fetchedAt?: number;
  /** day objects: the earliest and latest UTC hour with observations */
  firstHour?: number;
  lastHour?: number;
}

function instant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export async function headRawObject(s3: S3Client, bucket: string, key: string): Promise<RawObjectHead> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const meta = head.Metadata ?? {};
  const fetchedAt = instant(meta[RAW_OBJECT_METADATA.fetchedAt]);
  const firstHour = instant(meta[RAW_OBJECT_METADATA.firstHour]);
  const lastHour = instant(meta[RAW_OBJECT_METADATA.lastHour]);
  return {
    ...(fetchedAt !== undefined ? { fetchedAt } : {}),
    ...(firstHour !== undefined ? { firstHour } : {}),
    ...(lastHour !== undefined ? { lastHour } : {}),
  };
}

/** A raw object read whole: when it was fetched, and the stations it holds per UTC hour. */
export interface RawObjectContent {
  fetchedAt: number;
  /** UTC hour start -> site ids with at least one observation placed in that hour */
  stationsByHour: Map<number, Set<number>>;
}

/**
 * Read and parse one raw object (shared `parseRawObject`), placing each observation in its hour
 * as the ETL does (shared `normaliseObservation` in the source zone; an observation that cannot be
 * placed, e.g. in a daylight-saving gap, is left out there too). Throws on an unreadable object.
 */
export async function readRawObject(
  s3: S3Client,
  bucket: string,
  key: string,
  timeZone: string,
): Promise<RawObjectContent> {
  const kind = parseRawKey(key)?.kind;
  if (!kind) throw new Error(`"${key}" is not a raw object key`);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await bodyToString(got.Body);
  const { envelope, observations } = kind === 'day' ? parseRawObject(text, 'day') : parseRawObject(text);
  const stationsByHour = new Map<number, Set<number>>();
  for (const raw of observations) {
    let hour: number;
    try {
      hour = Date.parse(normaliseObservation(raw, timeZone).hourStart);
    } catch {
      continue;
    }
    const sites = stationsByHour.get(hour) ?? new Set<number>();
    sites.add(raw.Site_Id);
    stationsByHour.set(hour, sites);
  }
  return { fetchedAt: Date.parse(envelope.fetchedAt), stationsByHour };
}

/** Hours in [from, to) whose curated Parquet file exists (compared against shared's key builder). */
export async function curatedHoursPresent(
  s3: S3Client,
  bucket: string,
  from: number,
  to: number,
): Promise<Set<number>> {
  const present = new Set<number>();
  for (const date of datesBetween(from, to)) {
    const listed = new Set((await listObjects(s3, bucket, curatedPartitionPrefix(date))).map((o) => o.key));
    const dayStart = Date.parse(`${date}T00:00:00Z`);
    for (let h = Math.max(dayStart, floorToHour(from)); h < Math.min(dayStart + DAY_MS, to); h += HOUR_MS) {
      if (listed.has(curatedObjectKey(h))) present.add(h);
    }
  }
  return present;
}

/** Hour keys (snapshots and revisions) of one UTC date, oldest first. */
export async function rawKeysOfDate(s3: S3Client, bucket: string, date: string): Promise<string[]> {
  const objects = await listObjects(s3, bucket, rawDayPrefix(date));
  return objects
    .map((o) => o.key)
    .filter((k) => hourOfRawKey(k) !== undefined)
    .sort(byKey);
}

export { CURATED_PREFIX, RAW_PREFIX, rawObjectKey };
