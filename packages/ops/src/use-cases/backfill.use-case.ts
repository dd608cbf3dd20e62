/**
 * Backfill: NSW answers dated queries with whole local days, so the ingest is invoked once per NSW
 * local date the requested hours touch (`{"backfill": true, "timestamp": <the date's latest
 * requested hour>}`), and stores that date as one day object (docs/architecture.md, "Raw zone
 * keys"): N local days cost at most N + 1 NSW requests. Each requested hour then takes the outcome
 * of its date's invocation, or fails when the stored day does not hold it. Invocations run with
 * bounded concurrency; ingest is idempotent per date, so a backfill can be re-run after a partial
 * failure, and the summary says which hours to re-run.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { mapLimit } from '@opendata-pulse/shared/async';
import { type BackfillDay, planBackfillDays } from '@opendata-pulse/shared/raw';
import { toHourIso } from '@opendata-pulse/shared/time';
import { invokeFunction } from '../adapters/functions';

export type HourOutcome = 'written' | 'unchanged' | 'skipped' | 'failed';

export interface HourRun {
  hour: string;
  outcome: HourOutcome;
  key?: string;
  recordCount?: number;
  error?: string;
  /** the invocation of the hour's local date */
  durationMs: number;
}

/** One invocation: a NSW local date. */
export interface DayRun {
  /** NSW local date */
  date: string;
  /** the hour the ingest was invoked with (ISO) */
  hour: string;
  outcome: HourOutcome;
  /** the day object written, or the newest stored version when unchanged */
  key?: string;
  /** the UTC hours the stored day holds (ISO, ascending), as the ingest answered */
  hours?: string[];
  recordCount?: number;
  error?: string;
  durationMs: number;
}

export interface BackfillSummary {
  function: string;
  /** one row per requested hour */
  hours: HourRun[];
  /** one row per invocation (NSW local date) */
  days: DayRun[];
  /** of the hours */
  counts: Record<HourOutcome, number>;
}

export interface BackfillDeps {
  lambda: LambdaClient;
  functionName: string;
  qualifier?: string;
  /** NSW_SOURCE_TIMEZONE of the ingest (adapters/source-time-zone.ts) */
  timeZone: string;
  concurrency: number;
  onDay?: (run: DayRun) => void;
}

export function backfillPayload(hour: number): { backfill: true; timestamp: string } {
  return { backfill: true, timestamp: toHourIso(hour) };
}

/** The ingest's backfill answer (docs/architecture.md, "Raw zone keys"); anything else is read defensively. */
interface IngestBackfillAnswer {
  status?: string;
  skipped?: string;
  key?: string;
  hours?: unknown;
  recordCount?: number;
}

export function classifyDay(day: BackfillDay, payload: unknown, durationMs: number): DayRun {
  const base = { date: day.date, hour: toHourIso(day.hour), durationMs };
  const result = (payload ?? {}) as IngestBackfillAnswer;
  if (result.skipped) return { ...base, outcome: 'skipped', error: `function skipped: ${result.skipped}` };
  const hours = Array.isArray(result.hours)
    ? result.hours.filter((h): h is string => typeof h === 'string')
    : undefined;
  return {
    ...base,
    outcome: result.status === 'unchanged' ? 'unchanged' : 'written',
    ...(result.key ? { key: result.key } : {}),
    ...(hours ? { hours } : {}),
    ...(typeof result.recordCount === 'number' ? { recordCount: result.recordCount } : {}),
  };
}

/** Each requested hour of a date: the date's outcome, or failed when the stored day does not hold it. */
export function hourRunsOf(day: BackfillDay, run: DayRun): HourRun[] {
  const held = new Set((run.hours ?? []).map((h) => Date.parse(h)));
  return day.hours.map((hour): HourRun => {
    const base = { hour: toHourIso(hour), durationMs: run.durationMs };
    if (run.outcome === 'failed' || run.outcome === 'skipped') {
      return { ...base, outcome: run.outcome, ...(run.error ? { error: run.error } : {}) };
    }
    if (!held.has(hour)) {
      return {
        ...base,
        outcome: 'failed',
        error: `NSW's answer for ${day.date} holds no observation for this hour${run.key ? ` (${run.key})` : ''}`,
      };
    }
    return {
      ...base,
      outcome: run.outcome,
      ...(run.key ? { key: run.key } : {}),
      ...(run.recordCount !== undefined ? { recordCount: run.recordCount } : {}),
    };
  });
}

export function countOutcomes(runs: { outcome: string }[]): Record<HourOutcome, number> {
  const counts: Record<HourOutcome, number> = { written: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const run of runs) counts[run.outcome as HourOutcome]++;
  return counts;
}

export async function backfill(deps: BackfillDeps, hours: readonly number[]): Promise<BackfillSummary> {
  const plan = planBackfillDays(hours, deps.timeZone);
  const days = await mapLimit(plan, deps.concurrency, async (day) => {
    let run: DayRun;
    try {
      const outcome = await invokeFunction(deps.lambda, deps.functionName, backfillPayload(day.hour), {
        ...(deps.qualifier ? { qualifier: deps.qualifier } : {}),
      });
      run = outcome.ok
        ? classifyDay(day, outcome.payload, outcome.durationMs)
        : {
            date: day.date,
            hour: toHourIso(day.hour),
            outcome: 'failed',
            error: `${outcome.errorType}: ${outcome.errorMessage}`,
            durationMs: outcome.durationMs,
          };
    } catch (error) {
      run = {
        date: day.date,
        hour: toHourIso(day.hour),
        outcome: 'failed',
        error: (error as Error).message,
        durationMs: 0,
      };
    }
    deps.onDay?.(run);
    return run;
  });
  const runs = plan.flatMap((day, i) => hourRunsOf(day, days[i] as DayRun));
  return { function: deps.functionName, hours: runs, days, counts: countOutcomes(runs) };
}
