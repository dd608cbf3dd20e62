/**
 * Reprocess: send raw objects to the ETL function as the plain S3 notification the runbook's
 * manual reprocess sends (shared `buildS3Notification`), one object per invocation so each key
 * gets its own answer, with bounded concurrency. The ETL writes idempotently: replays are safe.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { mapLimit } from '@opendata-pulse/shared/async';
import { buildS3Notification } from '@opendata-pulse/shared/events';
import { invokeFunction } from '../adapters/functions';

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
