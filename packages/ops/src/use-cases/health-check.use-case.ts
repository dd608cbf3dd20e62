/**
 * One run of the health-check Lambda: the same checks as `pulse health`, then the figures the
 * alarms watch, as EMF metrics. No data at all publishes no freshness figure: the freshness
 * alarm treats missing data as breaching, so "nothing ever arrived" alarms too.
 */
import { type Logger, type Metrics, MetricUnit } from '@opendata-pulse/shared/observability';
import {
  type ApiCheck,
  type HealthClients,
  type HealthReport,
  type HealthTarget,
  runHealthChecks,
} from './health-checks';

export const HEALTH_METRICS = {
  dataFreshness: 'DataFreshnessMinutes',
  rawFreshness: 'RawDataAgeMinutes',
  failedChecks: 'HealthChecksFailed',
  dlqDepth: 'DlqDepth',
} as const;

export interface HealthCheckRunDeps {
  target: HealthTarget;
  clients: HealthClients;
  metrics: Metrics;
  logger: Logger;
  now: number;
  api?: ApiCheck;
}

export async function runHealthCheck(deps: HealthCheckRunDeps): Promise<HealthReport> {
  const report = await runHealthChecks(deps.target, deps.clients, {
    now: deps.now,
    ...(deps.api ? { api: deps.api } : {}),
  });
  const { freshness } = report;
  if (freshness.tableAgeMinutes !== undefined) {
    deps.metrics.addMetric(HEALTH_METRICS.dataFreshness, MetricUnit.NoUnit, freshness.tableAgeMinutes);
  }
  if (freshness.rawAgeMinutes !== undefined) {
    deps.metrics.addMetric(HEALTH_METRICS.rawFreshness, MetricUnit.NoUnit, freshness.rawAgeMinutes);
  }
  const failed = report.checks.filter((c) => c.status === 'fail');
  deps.metrics.addMetric(HEALTH_METRICS.failedChecks, MetricUnit.Count, failed.length);
  if (report.dlqDepth !== null) deps.metrics.addMetric(HEALTH_METRICS.dlqDepth, MetricUnit.Count, report.dlqDepth);
  const summary = {
    healthy: report.healthy,
    verdict: freshness.verdict,
    tableAgeMinutes: freshness.tableAgeMinutes,
    rawAgeMinutes: freshness.rawAgeMinutes,
    dlqDepth: report.dlqDepth,
    failed: failed.map((c) => `${c.id}: ${c.detail}`),
  };
  if (report.healthy) deps.logger.info('health check passed', summary);
  else deps.logger.warn('health check found problems', summary);
  return report;
}
