/**
 * Lambda `opendata-pulse-etl`: SQS batches of S3 "Object Created" notifications (partial batch
 * failures), or a plain S3 event (the runbook's manual reprocess). A bad config or the circuit
 * breaker fails the whole invocation, so every message returns to the queue untouched.
 */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CircuitOpenError } from '@opendata-pulse/shared/errors';
import { lambdaContextLogging, mapBundleStackTraces, reportFailures } from '@opendata-pulse/shared/lambda';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { isSqsEvent, processQueueBatch } from './adapters/sqs-batch';
import { composeEtl, type Env, SERVICE_NAME } from './composition';
import { type ObjectEventSummary, processObjectEvent } from './use-cases/process-object-event.use-case';
import { ETL_METRICS } from './use-cases/process-raw-objects.use-case';

export type EtlResult = SQSBatchResponse | ObjectEventSummary;

export interface EtlHandlerOptions {
  /** the environment to read config from (process.env in Lambda; tests and the local stack pass theirs) */
  env?: () => Env;
}

export function createEtlHandler(options: EtlHandlerOptions = {}) {
  const { config, logger, metrics, deps } = composeEtl(options.env);
  const failures = { logger, metrics, metricName: ETL_METRICS.invocationsFailed, message: 'etl invocation failed' };
  return (
    middy<unknown, EtlResult, Error, Context>()
      .use(lambdaContextLogging(logger))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered after logMetrics, so its onError adds the failure metric before the flush.
      .use(reportFailures(failures))
      .handler(async (event, context) => {
        if (config().CIRCUIT_BREAKER) {
          logger().warn('circuit breaker is on (CIRCUIT_BREAKER=true): taking no work');
          throw new CircuitOpenError(`${SERVICE_NAME} circuit breaker is on; no work was taken`);
        }
        if (isSqsEvent(event)) return processQueueBatch(event, deps(), { context });
        return processObjectEvent(event, deps());
      })
  );
}

// Stack traces at their TypeScript lines, the source map read only when one is formatted
// (docs/DEPLOY.md, "Source maps and cold starts").
mapBundleStackTraces(import.meta.url);
export const handler = createEtlHandler();
