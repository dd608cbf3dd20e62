/**
 * The NSW client's attempt reports turned into logs and metrics, so a slow or flaky upstream
 * shows on the dashboard even when the retries end in success.
 */
import type { Logger, Metrics } from '@opendata-pulse/shared/observability';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { INGEST_METRICS } from '../domain/ingest-metrics';
import type { AttemptReport } from './nsw-client';

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
