/**
 * Lambda `opendata-pulse-health-check` (every 5 minutes): the checks `pulse health` runs, the
 * freshness metric the alarms watch, an alert where no alarm sends one, and the report as the
 * result. Wiring is in ./composition.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { mapBundleStackTraces } from '@opendata-pulse/shared/lambda';
import type { Context } from 'aws-lambda';
import { composeHealthCheck, type HealthCheckHandlerOptions } from './composition';
import { type HealthCheckRun, runHealthCheck } from './use-cases/health-check.use-case';

export function createHealthCheckHandler(options: HealthCheckHandlerOptions = {}) {
  const { logger, metrics, deps } = composeHealthCheck(options);
  return middy<unknown, HealthCheckRun, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(() => runHealthCheck(deps()));
}

// Stack traces at their TypeScript lines, the source map read only when one is formatted
// (docs/DEPLOY.md, "Source maps and cold starts").
mapBundleStackTraces(import.meta.url);
export const handler = createHealthCheckHandler();
