/**
 * Reading the raw and curated zones for operations: which hours are present, and the newest one.
 * Keys are spelled only by shared `/keys`; this module compares against them, never builds its own.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  CURATED_PREFIX,
  curatedObjectKey,
  curatedPartitionPrefix,
  hourOfRawKey,
  RAW_PREFIX,
  rawDayPrefix,
  rawObjectKey,
} from '@opendata-pulse/shared/keys';
import { DAY_MS, floorToHour, HOUR_MS, utcDateOf } from '@opendata-pulse/shared/time';

export interface ListedObject {
  key: string;
  size: number;
  lastModified?: Date;
}

/** Every object under a prefix (all pages). */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (o.Key)
        out.push({ key: o.Key, size: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified } : {}) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** How many days back `newestRawHour` looks day by day before it lists the whole zone. */
export const RAW_LOOKBACK_DAYS = 7;

/**
 * The newest hour (UTC start, epoch ms) in the raw zone at or before `now`'s day: the day prefixes
 * from today backwards (one small listing each, the usual case being today), and only when a
 * week holds nothing, the whole zone. Delimiter listings would be fewer requests on AWS, but
 * s3rver does not return keys nested below a common prefix, so they cannot be relied on locally.
 */
export async function newestRawHour(s3: S3Client, bucket: string, now: number): Promise<number | undefined> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (let day = 0; day < RAW_LOOKBACK_DAYS; day++) {
    const keys = await listObjects(s3, bucket, rawDayPrefix(utcDateOf(today - day * DAY_MS)));
    const hours = keys.map((o) => hourOfRawKey(o.key)).filter((h): h is number => h !== undefined && h <= now);
    if (hours.length > 0) return Math.max(...hours);
  }
  const all = await listObjects(s3, bucket, RAW_PREFIX);
  const hours = all.map((o) => hourOfRawKey(o.key)).filter((h): h is number => h !== undefined && h <= now);
  return hours.length > 0 ? Math.max(...hours) : undefined;
}

/** UTC dates (YYYY-MM-DD) touched by hours in [from, to). */
export function datesBetween(from: number, to: number): string[] {
  const dates: string[] = [];
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS) dates.push(utcDateOf(d));
  return dates;
}

/** Hours in [from, to) that have a raw object; listing one day prefix per date. */
export async function rawHoursPresent(s3: S3Client, bucket: string, from: number, to: number): Promise<Set<number>> {
  const present = new Set<number>();
  for (const date of datesBetween(from, to)) {
    const objects = await listObjects(s3, bucket, rawDayPrefix(date));
    for (const o of objects) {
      const hour = hourOfRawKey(o.key);
      if (hour !== undefined && hour >= from && hour < to) present.add(hour);
    }
  }
  return present;
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

/** Raw keys of one UTC date, oldest first. */
export async function rawKeysOfDate(s3: S3Client, bucket: string, date: string): Promise<string[]> {
  const objects = await listObjects(s3, bucket, rawDayPrefix(date));
  return objects
    .map((o) => o.key)
    .filter((k) => hourOfRawKey(k) !== undefined)
    .sort();
}

export { CURATED_PREFIX, RAW_PREFIX, rawObjectKey };
