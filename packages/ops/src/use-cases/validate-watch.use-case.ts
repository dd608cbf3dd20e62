/**
 * The runbook's "monitor key metrics for 30 minutes" after a fix: the post-incident validation
 * again and again, one round a minute, and one verdict over all of them — the service is back to
 * normal only if every round passed. Stopping early (Ctrl-C) gives the verdict so far.
 */
import type { CheckStatus } from './health-checks';
import type { ValidationReport } from './validate.use-case';

export interface WatchRound {
  round: number;
  checkedAt: string;
  passed: boolean;
  checks: { id: string; name: string; status: CheckStatus; detail: string }[];
}

export interface WatchSummary {
  /** rounds asked for */
  planned: number;
  rounds: WatchRound[];
  /** stopped before the last round (Ctrl-C) */
  interrupted: boolean;
  /** at least one round ran, and every round passed */
  passed: boolean;
  failedRounds: number[];
}

export interface WatchOptions {
  rounds: number;
  intervalMs: number;
  /** aborted = stop: the round in flight is dropped, the verdict covers the rounds done */
  signal: AbortSignal;
  /** resolves after `ms`, or at once when `signal` aborts */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
  onRound?(round: WatchRound): void;
}

/** The promise's value, or undefined as soon as the signal aborts. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const stop = () => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', stop);
        reject(error);
      },
    );
  });
}

/** A round that could not run at all (the stage unreachable) is a failed round, not the end of the watch. */
async function oneRound(validate: () => Promise<ValidationReport>, now: number): Promise<ValidationReport> {
  try {
    return await validate();
  } catch (error) {
    return {
      checkedAt: new Date(now).toISOString(),
      passed: false,
      checks: [{ id: 'validation', name: 'validation ran', status: 'fail', detail: (error as Error).message }],
    };
  }
}

export async function watchValidation(
  validate: () => Promise<ValidationReport>,
  options: WatchOptions,
): Promise<WatchSummary> {
  const rounds: WatchRound[] = [];
  for (let i = 1; i <= options.rounds && !options.signal.aborted; i++) {
    const report = await unlessAborted(oneRound(validate, options.now()), options.signal);
    if (!report) break;
    const round: WatchRound = {
      round: i,
      checkedAt: report.checkedAt,
      passed: report.passed,
      checks: report.checks.map(({ id, name, status, detail }) => ({ id, name, status, detail })),
    };
    rounds.push(round);
    options.onRound?.(round);
    if (i < options.rounds) await options.sleep(options.intervalMs, options.signal);
  }
  const failedRounds = rounds.filter((r) => !r.passed).map((r) => r.round);
  return {
    planned: options.rounds,
    rounds,
    interrupted: rounds.length < options.rounds,
    passed: rounds.length > 0 && failedRounds.length === 0,
    failedRounds,
  };
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
