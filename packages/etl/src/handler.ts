/**
 * Lambda `opendata-pulse-etl`: SQS batches of S3 "Object Created" notifications (partial batch
 * failures), or a plain S3 event (the runbook's manual reprocess). A thin adapter: config at cold
 * start, the circuit breaker, then one use case per event kind.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { configOnce, etlEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { CircuitOpenError } from '@opendata-pulse/shared/errors';
import { createLogger, createMetrics } from '@opendata-pulse/shared/observability';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { isSqsEvent, processQueueBatch } from './adapters/sqs-batch';
import { createEtlDeps, SERVICE_NAME } from './composition';
import type { EtlDeps } from './use-cases/ports';
import { type ObjectEventSummary, processObjectEvent } from './use-cases/process-object-event.use-case';

export type EtlResult = SQSBatchResponse | ObjectEventSummary;

type Env = Record<string, string | undefined>;

export interface EtlHandlerOptions {
  /** the environment to read config from (process.env in Lambda; tests and the local stack pass theirs) */
  env?: () => Env;
}

export function createEtlHandler(options: EtlHandlerOptions = {}) {
  const env = options.env ?? (() => process.env);
  const getConfig = configOnce(etlEnvSchema, env);
  const logger = createLogger(SERVICE_NAME, logLevelFrom(env()));
  const metrics = createMetrics(SERVICE_NAME);
  let deps: EtlDeps | undefined;

  return middy<unknown, EtlResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      const config = getConfig();
      if (config.CIRCUIT_BREAKER) {
        // Failing the whole invocation returns every message to the queue untouched.
        logger.warn('circuit breaker is on (CIRCUIT_BREAKER=true): taking no work');
        throw new CircuitOpenError(`${SERVICE_NAME} circuit breaker is on; no work was taken`);
      }
      deps ??= createEtlDeps(config, { logger, metrics });
      if (isSqsEvent(event)) return processQueueBatch(event, deps, { context });
      return processObjectEvent(event, deps);
    });
}

export const handler = createEtlHandler();
