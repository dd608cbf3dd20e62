/**
 * Which raw object speaks for each hour (docs/architecture.md, "Raw zone keys"): an hour is present
 * in the raw zone when any version of it exists, or any version of its NSW local date's day object
 * holds it; the object that speaks for it is the newest fetch among those, the one whose readings
 * the ETL keeps. Day objects say which hours they hold in their S3 metadata (`first-hour`,
 * `last-hour`); one without it is read. Fetch times come from revision keys, metadata
 * (`fetched-at`), or the envelope, cheapest first, and only when an hour has rivals to compare.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '@opendata-pulse/shared/async';
import { fetchedAtOfKey, localDatesOf, type RawCandidate, speakingObject } from '@opendata-pulse/shared/raw';
import { localDateOf } from '@opendata-pulse/shared/time';
import {
  headRawObject,
  type RawObjectContent,
  rawDayVersions,
  rawHourVersions,
  readRawObject,
} from '../adapters/zones';

export interface RawZoneDeps {
  s3: S3Client;
  bucket: string;
  /** NSW_SOURCE_TIMEZONE (adapters/source-time-zone.ts) */
  timeZone: string;
  /** objects read at once */
  concurrency?: number;
}

export interface UnreadableRaw {
  key: string;
  reason: string;
}

export interface RawSpeakers {
  /** hour start -> key of the object that speaks for it (hours absent from the raw zone are absent) */
  speakers: Map<number, string>;
  unreadable: UnreadableRaw[];
  /** the objects read so far, for the station check to reuse */
  read: (key: string) => Promise<RawObjectContent>;
}

interface DayVersion {
  key: string;
  fetchedAt: number;
  holds: (hour: number) => boolean;
}

function readerFor(deps: RawZoneDeps): (key: string) => Promise<RawObjectContent> {
  const cache = new Map<string, Promise<RawObjectContent>>();
  return (key) => {
    let content = cache.get(key);
    if (!content) {
      content = readRawObject(deps.s3, deps.bucket, key, deps.timeZone);
      cache.set(key, content);
    }
    return content;
  };
}

/** The speaking object of each of `hours` (epoch ms, oldest first). */
export async function rawSpeakers(deps: RawZoneDeps, hours: readonly number[]): Promise<RawSpeakers> {
  const read = readerFor(deps);
  const unreadable: UnreadableRaw[] = [];
  const speakers = new Map<number, string>();
  const first = hours[0];
  const last = hours.at(-1);
  if (first === undefined || last === undefined) return { speakers, unreadable, read };
  const wanted = new Set(hours);

  const hourVersions = await rawHourVersions(deps.s3, deps.bucket, first, last + 1);
  const daysByDate = new Map<string, DayVersion[]>();
  for (const date of localDatesOf(hours, deps.timeZone)) {
    const versions: DayVersion[] = [];
    for (const key of await rawDayVersions(deps.s3, deps.bucket, date)) {
      try {
        versions.push(await dayVersion(deps, read, key));
      } catch (error) {
        unreadable.push({ key, reason: (error as Error).message });
      }
    }
    daysByDate.set(date, versions);
  }

  const hourFetchedAt = async (key: string): Promise<number> => {
    const fromKey = fetchedAtOfKey(key);
    if (fromKey !== undefined) return fromKey;
    const head = await headRawObject(deps.s3, deps.bucket, key);
    if (head.fetchedAt !== undefined) return head.fetchedAt;
    try {
      return (await read(key)).fetchedAt;
    } catch (error) {
      unreadable.push({ key, reason: (error as Error).message });
      return Number.NEGATIVE_INFINITY;
    }
  };

  for (const hour of wanted) {
    const days = (daysByDate.get(localDateOf(hour, deps.timeZone)) ?? []).filter((d) => d.holds(hour));
    const ownKey = hourVersions.get(hour)?.at(-1);
    const candidates: RawCandidate[] = days.map((d) => ({ key: d.key, fetchedAt: d.fetchedAt }));
    if (ownKey !== undefined) {
      // alone, the hour's newest version speaks without knowing when it was fetched
      candidates.push({ key: ownKey, fetchedAt: days.length ? await hourFetchedAt(ownKey) : 0 });
    }
    const speaker = speakingObject(candidates);
    if (speaker) speakers.set(hour, speaker.key);
  }
  return { speakers, unreadable, read };
}

async function dayVersion(
  deps: RawZoneDeps,
  read: (key: string) => Promise<RawObjectContent>,
  key: string,
): Promise<DayVersion> {
  const head = await headRawObject(deps.s3, deps.bucket, key);
  const fetchedAt = head.fetchedAt ?? fetchedAtOfKey(key);
  const { firstHour, lastHour } = head;
  if (fetchedAt !== undefined && firstHour !== undefined && lastHour !== undefined) {
    return { key, fetchedAt, holds: (hour) => hour >= firstHour && hour <= lastHour };
  }
  const content = await read(key);
  return { key, fetchedAt: content.fetchedAt, holds: (hour) => content.stationsByHour.has(hour) };
}

/**
 * The stations each hour's speaking object holds for that hour (each object read once; a day
 * object speaks for many hours). An object that cannot be read is listed, and its hours left out.
 */
export async function rawStations(
  deps: RawZoneDeps,
  found: RawSpeakers,
): Promise<{ stations: Map<number, number[]>; unreadable: UnreadableRaw[] }> {
  const keys = [...new Set(found.speakers.values())];
  const unreadable = [...found.unreadable];
  const contents = new Map<string, RawObjectContent>();
  await mapLimit(keys, deps.concurrency ?? 4, async (key) => {
    try {
      contents.set(key, await found.read(key));
    } catch (error) {
      if (!unreadable.some((u) => u.key === key)) unreadable.push({ key, reason: (error as Error).message });
    }
  });
  const stations = new Map<number, number[]>();
  for (const [hour, key] of found.speakers) {
    const content = contents.get(key);
    if (content)
      stations.set(
        hour,
        [...(content.stationsByHour.get(hour) ?? [])].sort((a, b) => a - b),
      );
  }
  return { stations, unreadable };
}
