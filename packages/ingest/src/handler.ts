/**
 * Lambda `opendata-pulse-ingest`: the shared middleware, the payload parsed, one use case called
 * (docs/architecture.md, "One skeleton per service"). The wiring is in composition.ts.
 */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { lambdaContextLogging, mapBundleStackTraces, reportFailures } from '@opendata-pulse/shared/lambda';
import type { Context } from 'aws-lambda';
import { composeIngest, type IngestHandlerOptions } from './composition';
import { parseIngestEvent } from './domain/ingest-event.schema';
import { INGEST_METRICS } from './domain/ingest-metrics';
import { handleIngestRequest, type IngestOutput } from './use-cases/handle-ingest-request.use-case';

export type { IngestHandlerOptions } from './composition';
export type { IngestOutput } from './use-cases/handle-ingest-request.use-case';

export function createIngestHandler(options: IngestHandlerOptions = {}) {
  const { getLogger, metrics, dependencies } = composeIngest(options);
  return middy<unknown, IngestOutput, Error, Context>()
    .use(lambdaContextLogging(getLogger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(reportFailures({ logger: getLogger, metrics, metricName: INGEST_METRICS.failures, message: 'ingest failed' }))
    .handler(async (event, context) => {
      // Parsed before the config is read, so a wrong payload is named even when the config is wrong.
      const request = parseIngestEvent(event);
      // The local stack may invoke with the event alone.
      return handleIngestRequest(dependencies(context?.getRemainingTimeInMillis?.()), request);
    });
}

// Stack traces at their TypeScript lines, the source map read only when one is formatted
// (docs/DEPLOY.md, "Source maps and cold starts").
mapBundleStackTraces(import.meta.url);
export const handler = createIngestHandler();
