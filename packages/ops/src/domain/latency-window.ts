/**
 * The figures `pulse api latency` reads, as pure values: the window they cover, how CloudWatch
 * datapoints within it combine, and the runbook's "slow" line.
 */

/** The runbook's symptom "API response times > 2 seconds", on the p99. */
export const SLOW_P99_MS = 2000;

export interface MetricWindow {
  start: number;
  end: number;
  /** one CloudWatch period spanning the whole window */
  periodSeconds: number;
}

/**
 * The last `minutes` whole minutes before `now`: CloudWatch periods are whole minutes, and an
 * unfinished minute would be averaged in with its few first datapoints.
 */
export function metricWindow(now: number, minutes: number): MetricWindow {
  const end = Math.floor(now / 60_000) * 60_000;
  return { start: end - minutes * 60_000, end, periodSeconds: minutes * 60 };
}

export interface Percentiles {
  p50?: number;
  p90?: number;
  p99?: number;
}

/** Counts add up across datapoints. */
export function total(values: number[] | undefined): number {
  return (values ?? []).reduce((a, b) => a + b, 0);
}

/**
 * Percentiles of several datapoints cannot be merged exactly; the worst one is kept, so a window
 * that straddles two periods never looks faster than it was. Undefined when there was no request.
 */
export function worst(values: number[] | undefined): number | undefined {
  return values && values.length > 0 ? Math.max(...values) : undefined;
}

export function isSlow(latency: Percentiles): boolean {
  return latency.p99 !== undefined && latency.p99 > SLOW_P99_MS;
}
