/**
 * One run of the health-check Lambda: the same checks as `pulse health`, then the figures the
 * alarms watch, as EMF metrics. No data at all publishes no freshness figure: the freshness
 * alarm treats missing data as breaching, so "nothing ever arrived" alarms too.
 *
 * Where no alarm watches those figures (the local stack) the run is given an alert topic and
 * publishes to it itself whenever it finds problems. In AWS it is given none: the alarms page
 * once per state change and only after several bad runs, where this would page every 5 minutes,
 * and they also page when the health check stops running, which the function cannot report
 * (docs/architecture.md, "Alerts").
 */
import { type Logger, type Metrics, MetricUnit } from '@opendata-pulse/shared/observability';
import { type HealthAlert, renderHealthAlert } from '../domain/health-alert';
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
  apiKeyDaysToExpiry: 'ApiKeyDaysToExpiry',
} as const;

/** Days until the API's first key expires (undefined: the API has no key). */
export type ApiKeyExpiryCheck = () => Promise<number | undefined>;

/** Where an unhealthy run's alert goes (the `critical-alerts` topic). */
export interface AlertTopic {
  topicArn: string;
  /** answers the message id */
  publish(alert: HealthAlert): Promise<string | undefined>;
}

export interface HealthCheckRunDeps {
  target: HealthTarget;
  clients: HealthClients;
  metrics: Metrics;
  logger: Logger;
  now: number;
  api?: ApiCheck;
  /** given only where no alarm publishes the health check's findings */
  alerts?: AlertTopic;
  /** given where the API is known (AWS): the API key expiry figure */
  apiKeyExpiry?: ApiKeyExpiryCheck;
}

/** What became of the alert of an unhealthy run. */
export type AlertOutcome = { topicArn: string; messageId: string | undefined } | { topicArn: string; error: string };

/** The report, and the alert it led to, if any: the Lambda's result. */
export type HealthCheckRun = HealthReport & { alert?: AlertOutcome };

/**
 * A failed publish is logged and reported in the result, not thrown: the report and its metrics
 * are still worth returning, and a thrown error would only reach the on-failure destination,
 * which is the same topic.
 */
async function sendAlert(deps: HealthCheckRunDeps, alerts: AlertTopic, report: HealthReport): Promise<AlertOutcome> {
  const alert = renderHealthAlert(report);
  try {
    const messageId = await alerts.publish(alert);
    deps.logger.info('health alert published', { topicArn: alerts.topicArn, messageId, subject: alert.subject });
    return { topicArn: alerts.topicArn, messageId };
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    deps.logger.error('health alert NOT published', { topicArn: alerts.topicArn, error: message });
    return { topicArn: alerts.topicArn, error: message };
  }
}

/**
 * Publishes ApiKeyDaysToExpiry. A failed read publishes nothing and is logged: the alarm treats a
 * missing figure as breaching, so an expiry nobody can see still pages.
 */
export async function recordApiKeyExpiry(
  check: ApiKeyExpiryCheck,
  deps: Pick<HealthCheckRunDeps, 'metrics' | 'logger'>,
): Promise<number | undefined> {
  try {
    const days = await check();
    if (days !== undefined) deps.metrics.addMetric(HEALTH_METRICS.apiKeyDaysToExpiry, MetricUnit.NoUnit, days);
    else deps.logger.warn('the GraphQL API has no API key: the dashboard cannot read it');
    return days;
  } catch (error) {
    deps.logger.error('API key expiry NOT read', { error: (error as Error)?.message ?? String(error) });
    return undefined;
  }
}

export async function runHealthCheck(deps: HealthCheckRunDeps): Promise<HealthCheckRun> {
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
  const apiKeyDaysToExpiry = deps.apiKeyExpiry ? await recordApiKeyExpiry(deps.apiKeyExpiry, deps) : undefined;
  const summary = {
    healthy: report.healthy,
    verdict: freshness.verdict,
    tableAgeMinutes: freshness.tableAgeMinutes,
    rawAgeMinutes: freshness.rawAgeMinutes,
    dlqDepth: report.dlqDepth,
    apiKeyDaysToExpiry,
    failed: failed.map((c) => `${c.id}: ${c.detail}`),
  };
  if (report.healthy) {
    deps.logger.info('health check passed', summary);
    return report;
  }
  deps.logger.warn('health check found problems', summary);
  return deps.alerts ? { ...report, alert: await sendAlert(deps, deps.alerts, report) } : report;
}
