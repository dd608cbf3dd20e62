/**
 * Reading the raw and curated zones for operations: which hours are present (the newest
 * one is shared `/pipeline`'s `newestRawHour`).
 * Keys are spelled only by shared `/keys`; this module compares against them, never builds its own.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CURATED_PREFIX,
  curatedObjectKey,
  curatedPartitionPrefix,
  hourOfRawKey,
  RAW_PREFIX,
  rawDayPrefix,
  rawObjectKey,
} from '@opendata-pulse/shared/keys';
import { listObjects } from '@opendata-pulse/shared/pipeline';
import { DAY_MS, floorToHour, HOUR_MS, utcDateOf } from '@opendata-pulse/shared/time';

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
