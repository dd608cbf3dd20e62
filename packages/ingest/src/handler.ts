/**
 * Lambda `opendata-pulse-ingest`: parse the payload, take the circuit breaker into account, call
 * one use case, return its result. Config is parsed once per cold start from the environment.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import { createS3Client } from '@opendata-pulse/shared/aws';
import { awsSettings, configOnce, logLevelFrom } from '@opendata-pulse/shared/config';
import { AppError } from '@opendata-pulse/shared/errors';
import {
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  MetricUnit,
} from '@opendata-pulse/shared/observability';
import type { Context } from 'aws-lambda';
import { reportAttempts } from './adapters/attempt-reporting';
import { createNswClient } from './adapters/nsw-client';
import { createRawStore } from './adapters/raw-store';
import { systemClock } from './adapters/system-clock';
import { type IngestConfig, ingestConfigSchema } from './config';
import { parseIngestEvent } from './domain/ingest-event.schema';
import { INGEST_METRICS } from './domain/ingest-metrics';
import { type IngestResult, ingestHour } from './use-cases/ingest-hour.use-case';
import type { Clock, IngestDeps, RawStore } from './use-cases/ports';
import { type TestRunResult, testRun } from './use-cases/test-run.use-case';
import { SERVICE_NAME } from './version';

export type IngestOutput = IngestResult | TestRunResult | { skipped: 'circuit-breaker' };

export interface IngestHandlerOptions {
  /** where config is read from (default: process.env), once per handler instance */
  env?: () => Record<string, string | undefined>;
  clock?: Clock;
  /** jitter source, [0, 1) */
  random?: () => number;
  logger?: Logger;
  metrics?: Metrics;
}

export function createIngestHandler(options: IngestHandlerOptions = {}) {
  const env = options.env ?? (() => process.env);
  const metrics = options.metrics ?? createMetrics(SERVICE_NAME);
  const clock = options.clock ?? systemClock;
  const config = configOnce(ingestConfigSchema, env);
  // Powertools resets a logger to its constructor's level on every invocation, so the level must
  // be known when it is built: at the first invocation, not at import (the local stack may set the
  // environment after importing this module).
  let logger = options.logger;
  const getLogger = () => {
    logger ??= createLogger(SERVICE_NAME, logLevelFrom(env()));
    return logger;
  };
  let coldStart: { config: IngestConfig; store: RawStore } | undefined;

  function runtime() {
    if (!coldStart) {
      const parsed = config();
      // Only the S3 factory: clientsFor would bundle the Lambda, DynamoDB and SQS clients too.
      const { region, endpoints } = awsSettings(parsed);
      const s3 = createS3Client({ region, endpoint: endpoints.s3 });
      coldStart = { config: parsed, store: createRawStore(s3, parsed.S3_BUCKET) };
    }
    return coldStart;
  }

  /** One invocation's dependencies; `remaining` is the Lambda's time left (none when run in-process). */
  function dependencies(config: IngestConfig, store: RawStore, logger: Logger, remaining: number | undefined) {
    const nsw = createNswClient({
      endpoint: config.NSW_API_ENDPOINT,
      timeoutMs: config.NSW_TIMEOUT_MS,
      retry: {
        maxAttempts: config.NSW_MAX_ATTEMPTS,
        baseDelayMs: config.NSW_BACKOFF_BASE_MS,
        maxDelayMs: config.NSW_BACKOFF_MAX_MS,
      },
      clock,
      random: options.random,
      // Keep time back for the S3 writes, so retries never run the function into its timeout.
      deadline: remaining === undefined ? undefined : clock.now() + remaining - config.INGEST_RESERVE_MS,
      onAttempt: reportAttempts(logger, metrics),
    });
    return {
      nsw,
      store,
      source: { label: config.NSW_SOURCE_LABEL, timeZone: config.NSW_SOURCE_TIMEZONE },
      catchUpHours: config.INGEST_CATCH_UP_HOURS,
      clock,
      logger,
      metrics,
    } satisfies IngestDeps;
  }

  return middy<unknown, IngestOutput, Error, Context>()
    .use(lazy(() => injectLambdaContext(getLogger(), { resetKeys: true })))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(reportFailures(getLogger, metrics))
    .handler(async (event, context): Promise<IngestOutput> => {
      const logger = getLogger();
      const request = parseIngestEvent(event);
      const { config, store } = runtime();
      if (config.CIRCUIT_BREAKER) {
        metrics.addMetric(INGEST_METRICS.circuitBreakerSkips, MetricUnit.Count, 1);
        logger.warn('circuit breaker is on (CIRCUIT_BREAKER=true): no work taken', { request: request.kind });
        return { skipped: 'circuit-breaker' };
      }
      const deps = dependencies(config, store, logger, context.getRemainingTimeInMillis?.());
      logger.appendKeys({ request: request.kind });
      switch (request.kind) {
        case 'test':
          return testRun(deps);
        case 'scheduled':
          return ingestHour(deps, { kind: 'latest' });
        case 'backfill':
          return ingestHour(deps, { kind: 'hour', hourStart: request.hourStart });
      }
    });
}

/** Count and log every failed invocation; the error still reaches the caller unchanged. */
function reportFailures(logger: () => Logger, metrics: Metrics): MiddlewareObj<unknown, IngestOutput, Error, Context> {
  return {
    onError: (request) => {
      const error = request.error;
      metrics.addMetric(INGEST_METRICS.failures, MetricUnit.Count, 1);
      logger().error('ingest failed', {
        errorType: error instanceof AppError ? error.errorType : 'InternalError',
        error: error ?? undefined,
      });
    },
  };
}

/** A middleware built on first use (its dependencies are only known then). */
function lazy<E, R>(build: () => MiddlewareObj<E, R, Error, Context>): MiddlewareObj<E, R, Error, Context> {
  let built: MiddlewareObj<E, R, Error, Context> | undefined;
  const get = () => {
    built ??= build();
    return built;
  };
  return {
    before: (request) => get().before?.(request),
    after: (request) => get().after?.(request),
    onError: (request) => get().onError?.(request),
  };
}

export const handler = createIngestHandler();
