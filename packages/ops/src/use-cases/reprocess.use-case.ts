/**
 * Reprocess: send raw objects to the ETL function as the plain S3 notification the runbook's
 * manual reprocess sends (shared `buildS3Notification`), one object per invocation so each key
 * gets its own answer, with bounded concurrency. The ETL writes idempotently: replays are safe.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '@opendata-pulse/shared/async';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { buildS3Notification } from '@opendata-pulse/shared/events';
import { hourOfRawKey } from '@opendata-pulse/shared/keys';
import { invokeFunction } from '../adapters/functions';
import { rawKeysOfDate } from '../adapters/zones';
import { LIVE_ALIAS, type OpsTarget } from '../deployment/deployment';
import type { StartProgress } from './ports';

export interface KeyRun {
  key: string;
  outcome: 'processed' | 'skipped' | 'failed';
  readings?: number;
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
}

function fromAnswer(key: string, payload: unknown, durationMs: number): KeyRun {
  const objects = (payload as { objects?: EtlObjectAnswer[] } | null)?.objects;
  const entry = objects?.find((o) => o.key === key) ?? objects?.[0];
  const status = entry?.status;
  return {
    key,
    outcome: status === 'skipped' ? 'skipped' : status === 'failed' ? 'failed' : 'processed',
    ...(typeof entry?.readings === 'number' ? { readings: entry.readings } : {}),
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
  /** every raw hour of this UTC date (YYYY-MM-DD)... */
  date?: string;
  /** ...or these raw keys */
  keys?: string[];
  concurrency: number;
  progress?: StartProgress;
}

/**
 * The raw objects of a date (or the keys given) through the ETL's LIVE alias. A date with no
 * raw objects reprocesses nothing (an empty summary); a key that is not a raw key is refused.
 */
export async function reprocessObjects(
  deps: { s3: S3Client; lambda: LambdaClient },
  target: Pick<OpsTarget, 'rawBucket' | 'region' | 'functions'>,
  input: ReprocessObjectsInput,
): Promise<ReprocessSummary> {
  const keys = input.date ? await rawKeysOfDate(deps.s3, target.rawBucket, input.date) : (input.keys ?? []);
  for (const key of keys) {
    if (hourOfRawKey(key) === undefined) {
      throw new BadRequestError(`"${key}" is not a raw object key (nsw-air-quality/raw/YYYY/MM/DD/HH.json)`);
    }
  }
  const bar = keys.length > 0 ? input.progress?.(keys.length) : undefined;
  const summary = await reprocess(
    {
      lambda: deps.lambda,
      functionName: target.functions.etl,
      qualifier: LIVE_ALIAS,
      bucket: target.rawBucket,
      region: target.region,
      concurrency: input.concurrency,
      onKey: (run) => bar?.increment(`${run.key.split('/').slice(-4).join('/')} ${run.outcome}`),
    },
    keys,
  );
  bar?.stop();
  return summary;
}
