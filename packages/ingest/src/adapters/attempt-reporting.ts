/**
 * The ingest's metric names (namespace OpenDataPulse, dimension service=opendata-pulse-ingest),
 * exported so alarms and dashboards spell them the same way.
 */
import type { Logger, Metrics } from '@opendata-pulse/shared/observability';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import type { AttemptReport } from './nsw-client';

export const INGEST_METRICS = {
  /** observations in the stored response body (counted when an hour is written) */
  recordsIngested: 'RecordsIngested',
  hoursWritten: 'HoursWritten',
  /** re-runs that found the same content already stored */
  hoursUnchanged: 'HoursUnchanged',
  /** earlier hours a scheduled run found missing and filled */
  hoursCaughtUp: 'HoursCaughtUp',
  catchUpFailures: 'CatchUpFailures',
  /** duration of every attempt against the NSW API, ms */
  upstreamLatency: 'UpstreamLatency',
  upstreamRetries: 'UpstreamRetries',
  /** invocations that ended in an error */
  failures: 'IngestFailures',
  referenceRefreshFailures: 'ReferenceRefreshFailures',
  circuitBreakerSkips: 'CircuitBreakerSkips',
} as const;

/** Logs and meters each NSW attempt: latency always, a warning and a retry count when one fails. */
export function reportAttempts(logger: Logger, metrics: Metrics) {
  return (report: AttemptReport): void => {
    metrics.addMetric(INGEST_METRICS.upstreamLatency, MetricUnit.Milliseconds, report.latencyMs);
    if (!report.outcome) return;
    const retrying = report.decision?.retry === true;
    if (retrying) metrics.addMetric(INGEST_METRICS.upstreamRetries, MetricUnit.Count, 1);
    logger.warn('NSW attempt failed', {
      operation: report.operation,
      attempt: report.attempt,
      latencyMs: report.latencyMs,
      outcome: report.outcome,
      ...(report.decision?.retry ? { retryInMs: report.decision.delayMs } : { giveUp: report.decision?.reason }),
    });
  };
}
