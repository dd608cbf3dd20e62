/**
 * Lambda middleware every service uses (middy). Written once here so the handlers stay thin:
 * a handler is middleware plus one use-case call (docs/architecture.md, "One skeleton per service").
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { AppError } from '../errors';
import type { Logger, Metrics } from '../observability';
import { MetricUnit } from '../observability';

type Middleware<E, R> = MiddlewareObj<E, R, Error, Context>;

/**
 * A logger built at the first invocation, not at import: Powertools resets a logger to its
 * constructor's level on every invocation, so the level must be known when it is built.
 */
export function lazyLogger(build: () => Logger): () => Logger {
  let logger: Logger | undefined;
  return () => {
    logger ??= build();
    return logger;
  };
}

/**
 * Adds the Lambda context to logs when there is one (the local stack and tests may invoke a
 * handler in-process with none) and clears per-invocation keys afterwards.
 */
export function lambdaContextLogging<E, R>(logger: () => Logger): Middleware<E, R> {
  return {
    before: ({ context }) => {
      if (context && typeof context === 'object' && 'awsRequestId' in context) logger().addContext(context);
    },
    after: () => logger().resetKeys(),
    onError: () => logger().resetKeys(),
  };
}

/** Counts and logs every failed invocation; the error still reaches the caller unchanged. */
export function reportFailures<E, R>(options: {
  logger: () => Logger;
  metrics: Metrics;
  /** the metric counted once per failed invocation */
  metricName: string;
  message: string;
}): Middleware<E, R> {
  return {
    onError: (request) => {
      const error = request.error;
      options.metrics.addMetric(options.metricName, MetricUnit.Count, 1);
      options.logger().error(options.message, {
        errorType: error instanceof AppError ? error.errorType : 'InternalError',
        error: error ?? undefined,
      });
    },
  };
}
export { mapBundleStackTraces } from './stack-traces';
