/**
 * Ingest on the local stack as the hourly rule and `pulse backfill` do it: a Scheduled Event, or
 * one backfill payload per NSW local date the hours fall on (NSW answers whole days, and the
 * ingest stores each as one day object: docs/architecture.md, "Raw zone keys"), a few at a time,
 * each run logged in one line.
 */
import { mapLimit } from '@opendata-pulse/shared/async';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { planBackfillDays } from '@opendata-pulse/shared/raw';
import { HOUR_MS, latestCompleteHour, toHourIso } from '@opendata-pulse/shared/time';
import { scheduledEvent } from '../glue/hourly-schedule';
import type { FunctionHost } from '../lambda/function-host';
import { formatDuration, type StackLog } from './stack-log';

export interface IngestRun {
  /** the UTC hour asked for (backfill) or the schedule time (scheduled) */
  at: number;
  kind: 'scheduled' | 'backfill';
  /** backfill: the requested hours of the run's local date (the run asks for the latest of them) */
  hours?: number[];
  ok: boolean;
  result?: unknown;
  error?: string;
  durationMs: number;
}

/** A few at a time: the real API is shared and flaky; the sample server does not mind. */
const BACKFILL_PARALLELISM = 3;

export class IngestRunner {
  constructor(
    private readonly functions: FunctionHost,
    private readonly log: StackLog,
    private readonly rule: { region: string; ruleName: string },
    /** NSW_SOURCE_TIMEZONE: the zone NSW's local dates are read in */
    private readonly timeZone: string,
  ) {}

  async run(kind: IngestRun['kind'], at: number, hours?: number[]): Promise<IngestRun> {
    const event =
      kind === 'scheduled'
        ? scheduledEvent(at, { region: this.rule.region, account: LOCAL_ACCOUNT_ID, ruleName: this.rule.ruleName })
        : { backfill: true, timestamp: toHourIso(at) };
    const outcome = await this.functions.invokeRaw('ingest', JSON.stringify(event));
    const run: IngestRun = outcome.ok
      ? {
          at,
          kind,
          ...(hours ? { hours } : {}),
          ok: true,
          result: JSON.parse(outcome.payload),
          durationMs: outcome.durationMs,
        }
      : {
          at,
          kind,
          ...(hours ? { hours } : {}),
          ok: false,
          error: `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
          durationMs: outcome.durationMs,
        };
    logIngest(this.log, run);
    return run;
  }

  /** Backfill these UTC hours: one run per NSW local date, oldest first. */
  hours(hours: readonly number[]): Promise<IngestRun[]> {
    return mapLimit(planBackfillDays(hours, this.timeZone), BACKFILL_PARALLELISM, (day) =>
      this.run('backfill', day.hour, day.hours),
    );
  }
}

/** The requested hours a backfill run's stored day holds (its answer's `hours`); none when it failed. */
export function hoursIngested(run: IngestRun): number[] {
  if (!run.ok) return [];
  const held = (run.result as { hours?: unknown } | undefined)?.hours;
  const stored = new Set(Array.isArray(held) ? held.map((h) => Date.parse(String(h))) : [run.at]);
  return (run.hours ?? [run.at]).filter((h) => stored.has(h));
}

/** The latest `n` complete hours before `now`, oldest first. */
export function latestHours(n: number, now = Date.now()): number[] {
  const last = latestCompleteHour(now);
  return Array.from({ length: n }, (_, i) => last - (n - 1 - i) * HOUR_MS);
}

/**
 * The raw objects these ingest runs wrote: the hour's own (an `unchanged` hour writes none, so
 * sends no event) and the earlier hours a scheduled run caught up.
 */
export function writtenKeysOf(runs: readonly IngestRun[]): string[] {
  return runs.flatMap((run) => {
    if (!run.ok) return [];
    const result = run.result as { status?: unknown; key?: unknown; caughtUp?: unknown } | undefined;
    const own = result?.status === 'written' && typeof result.key === 'string' ? [result.key] : [];
    const caughtUp = Array.isArray(result?.caughtUp) ? result.caughtUp.filter((k) => typeof k === 'string') : [];
    return [...own, ...caughtUp];
  });
}

/** A short description of what the ingest handler answered (its IngestResult, a skip, a test run). */
export function describeIngestResult(result: unknown): string {
  if (result === null || typeof result !== 'object') return result == null ? '' : String(result);
  const r = result as Record<string, unknown>;
  if (typeof r.skipped === 'string') return `skipped (${r.skipped})`;
  if (typeof r.status === 'string' && typeof r.key === 'string') {
    const records = typeof r.recordCount === 'number' ? ` (${r.recordCount} records)` : '';
    const caughtUp = Array.isArray(r.caughtUp) && r.caughtUp.length ? `; caught up ${r.caughtUp.join(', ')}` : '';
    return `${r.status} ${r.key}${records}${caughtUp}`;
  }
  const text = JSON.stringify(result);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function logIngest(log: StackLog, run: IngestRun): void {
  const what =
    run.kind === 'scheduled'
      ? `scheduled ${new Date(run.at).toISOString().slice(0, 19)}Z`
      : `hour ${toHourIso(run.at)}`;
  if (run.ok) {
    const detail = describeIngestResult(run.result);
    log.line('ingest', 'ok', `${what} done${detail ? `: ${detail}` : ''} (${formatDuration(run.durationMs)})`);
  } else {
    log.line('ingest', 'error', `${what} failed: ${run.error} (${formatDuration(run.durationMs)})`);
  }
}
