/**
 * Backfill: invoke the ingest function once per hour (`{"backfill": true, "timestamp": ...}`)
 * with bounded concurrency. Ingest is idempotent per hour, so a backfill can be re-run after a
 * partial failure; the summary says which hours to re-run.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { mapLimit } from '@opendata-pulse/shared/async';
import { toHourIso } from '@opendata-pulse/shared/time';
import { invokeFunction } from '../adapters/functions';

export type HourOutcome = 'written' | 'unchanged' | 'skipped' | 'failed';

export interface HourRun {
  hour: string;
  outcome: HourOutcome;
  key?: string;
  recordCount?: number;
  error?: string;
  durationMs: number;
}

export interface BackfillSummary {
  function: string;
  hours: HourRun[];
  counts: Record<HourOutcome, number>;
}

export interface BackfillDeps {
  lambda: LambdaClient;
  functionName: string;
  qualifier?: string;
  concurrency: number;
  onHour?: (run: HourRun) => void;
}

export function backfillPayload(hour: number): { backfill: true; timestamp: string } {
  return { backfill: true, timestamp: toHourIso(hour) };
}

function classify(hour: number, payload: unknown, durationMs: number): HourRun {
  const base = { hour: toHourIso(hour), durationMs };
  const result = (payload ?? {}) as { status?: string; skipped?: string; key?: string; recordCount?: number };
  if (result.skipped) return { ...base, outcome: 'skipped', error: `function skipped: ${result.skipped}` };
  const outcome: HourOutcome = result.status === 'unchanged' ? 'unchanged' : 'written';
  return {
    ...base,
    outcome,
    ...(result.key ? { key: result.key } : {}),
    ...(typeof result.recordCount === 'number' ? { recordCount: result.recordCount } : {}),
  };
}

export function countOutcomes(runs: { outcome: string }[]): Record<HourOutcome, number> {
  const counts: Record<HourOutcome, number> = { written: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const run of runs) counts[run.outcome as HourOutcome]++;
  return counts;
}

export async function backfill(deps: BackfillDeps, hours: readonly number[]): Promise<BackfillSummary> {
  const runs = await mapLimit(hours, deps.concurrency, async (hour) => {
    let run: HourRun;
    try {
      const outcome = await invokeFunction(deps.lambda, deps.functionName, backfillPayload(hour), {
        ...(deps.qualifier ? { qualifier: deps.qualifier } : {}),
      });
      run = outcome.ok
        ? classify(hour, outcome.payload, outcome.durationMs)
        : {
            hour: toHourIso(hour),
            outcome: 'failed',
            error: `${outcome.errorType}: ${outcome.errorMessage}`,
            durationMs: outcome.durationMs,
          };
    } catch (error) {
      run = { hour: toHourIso(hour), outcome: 'failed', error: (error as Error).message, durationMs: 0 };
    }
    deps.onHour?.(run);
    return run;
  });
  return { function: deps.functionName, hours: runs, counts: countOutcomes(runs) };
}
