/**
 * Reprocess: send raw objects to the ETL function as the plain S3 notification the runbook's
 * manual reprocess sends (shared `buildS3Notification`), one object per invocation so each key
 * gets its own answer, with bounded concurrency. Every raw key kind is accepted (hour snapshot,
 * hour revision, day, day revision; docs/architecture.md "Raw zone keys"). The ETL writes
 * idempotently and keeps the newest fetch of each reading, so replays, and sending every version
 * of an hour, are safe.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '@opendata-pulse/shared/async';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { buildS3Notification } from '@opendata-pulse/shared/events';
import { parseRawKey } from '@opendata-pulse/shared/keys';
import { localDatesOf } from '@opendata-pulse/shared/raw';
import { DAY_MS, hoursBetween } from '@opendata-pulse/shared/time';
import { invokeFunction } from '../adapters/functions';
import { sourceTimeZone } from '../adapters/source-time-zone';
import { rawDayVersions, rawKeysOfDate } from '../adapters/zones';
import { LIVE_ALIAS, type OpsTarget } from '../deployment/deployment';
import type { StartProgress } from './ports';

export interface KeyRun {
  key: string;
  outcome: 'processed' | 'skipped' | 'failed';
  readings?: number;
  /** day objects: the UTC hours the ETL found in it (ISO, ascending) */
  hours?: string[];
  reason?: string;
  durationMs: number;
}

export interface ReprocessSummary {
  function: string;
  bucket: string;
  objects: KeyRun[];
  counts: { processed: number; skipped: number; failed: number };
}

export interface ReprocessDeps {
  lambda: LambdaClient;
  functionName: string;
  qualifier?: string;
  bucket: string;
  region: string;
  concurrency: number;
  onKey?: (run: KeyRun) => void;
}

interface EtlObjectAnswer {
  key?: string;
  status?: string;
  reason?: string;
  readings?: number;
  hours?: unknown;
}

function fromAnswer(key: string, payload: unknown, durationMs: number): KeyRun {
  const objects = (payload as { objects?: EtlObjectAnswer[] } | null)?.objects;
  const entry = objects?.find((o) => o.key === key) ?? objects?.[0];
  const status = entry?.status;
  const hours = Array.isArray(entry?.hours) ? entry.hours.filter((h): h is string => typeof h === 'string') : undefined;
  return {
    key,
    outcome: status === 'skipped' ? 'skipped' : status === 'failed' ? 'failed' : 'processed',
    ...(typeof entry?.readings === 'number' ? { readings: entry.readings } : {}),
    ...(hours ? { hours } : {}),
    ...(entry?.reason ? { reason: entry.reason } : {}),
    durationMs,
  };
}

export async function reprocess(deps: ReprocessDeps, keys: readonly string[]): Promise<ReprocessSummary> {
  const runs = await mapLimit(keys, deps.concurrency, async (key) => {
    let run: KeyRun;
    try {
      const event = buildS3Notification(deps.bucket, [key], deps.region);
      const outcome = await invokeFunction(deps.lambda, deps.functionName, event, {
        ...(deps.qualifier ? { qualifier: deps.qualifier } : {}),
      });
      run = outcome.ok
        ? fromAnswer(key, outcome.payload, outcome.durationMs)
        : {
            key,
            outcome: 'failed',
            reason: `${outcome.errorType}: ${outcome.errorMessage}`,
            durationMs: outcome.durationMs,
          };
    } catch (error) {
      run = { key, outcome: 'failed', reason: (error as Error).message, durationMs: 0 };
    }
    deps.onKey?.(run);
    return run;
  });
  const counts = { processed: 0, skipped: 0, failed: 0 };
  for (const run of runs) counts[run.outcome]++;
  return { function: deps.functionName, bucket: deps.bucket, objects: runs, counts };
}

export interface ReprocessObjectsInput {
  /** every raw object of this UTC date (YYYY-MM-DD): its hours' versions and the day objects of the local dates it touches... */
  date?: string;
  /** ...or these raw keys */
  keys?: string[];
  concurrency: number;
  progress?: StartProgress;
}

export const RAW_KEY_FORMS =
  'nsw-air-quality/raw/YYYY/MM/DD/HH.json, .../HH.rev-<fetched>-<sha8>.json, ' +
  'nsw-air-quality/raw/days/YYYY-MM-DD.json or .../days/YYYY-MM-DD.rev-<fetched>-<sha8>.json';

/**
 * The raw objects of one UTC date: every version of its hours, and every version of the day objects
 * of the NSW local dates its hours fall on (a day object may hold hours of the neighbouring UTC
 * date too; the ETL writes them all, idempotently). Day objects first, then the hours, oldest first.
 */
export async function rawKeysForDate(s3: S3Client, bucket: string, date: string, timeZone: string): Promise<string[]> {
  const start = Date.parse(`${date}T00:00:00Z`);
  const localDates = localDatesOf(hoursBetween(start, start + DAY_MS), timeZone);
  const dayKeys: string[] = [];
  for (const localDate of localDates) dayKeys.push(...(await rawDayVersions(s3, bucket, localDate)));
  return [...dayKeys, ...(await rawKeysOfDate(s3, bucket, date))];
}

/**
 * The raw objects of a date (or the keys given) through the ETL's LIVE alias. A date with no
 * raw objects reprocesses nothing (an empty summary); a key that is not a raw key is refused.
 */
export async function reprocessObjects(
  deps: { s3: S3Client; lambda: LambdaClient },
  target: Pick<OpsTarget, 'rawBucket' | 'region' | 'functions' | 'sourceTimeZone'>,
  input: ReprocessObjectsInput,
): Promise<ReprocessSummary> {
  for (const key of input.keys ?? []) {
    if (parseRawKey(key) === undefined) {
      throw new BadRequestError(`"${key}" is not a raw object key (${RAW_KEY_FORMS})`);
    }
  }
  const keys = input.date
    ? await rawKeysForDate(deps.s3, target.rawBucket, input.date, await sourceTimeZone(deps.lambda, target))
    : (input.keys ?? []);
  const bar = keys.length > 0 ? input.progress?.(keys.length) : undefined;
  const summary = await reprocess(
    {
      lambda: deps.lambda,
      functionName: target.functions.etl,
      qualifier: LIVE_ALIAS,
      bucket: target.rawBucket,
      region: target.region,
      concurrency: input.concurrency,
      onKey: (run) => bar?.increment(`${shortKey(run.key)} ${run.outcome}`),
    },
    keys,
  );
  bar?.stop();
  return summary;
}

/** `2026/11/27/04.json` or `days/2026-11-27.json`: enough of a key for a progress line. */
export function shortKey(key: string): string {
  return parseRawKey(key)?.kind === 'day' ? key.split('/').slice(-2).join('/') : key.split('/').slice(-4).join('/');
}
