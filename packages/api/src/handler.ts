/**
 * Lambda `opendata-pulse-api`: AppSync's direct Lambda resolver for every field with a resolver
 * (routed by `info.parentTypeName` / `info.fieldName`), single or BatchInvoke.
 */
import middy from '@middy/core';
import { configOnce, logLevelFrom } from '@opendata-pulse/shared/config';
import { createLogger, type Logger } from '@opendata-pulse/shared/observability';
import { dispatch, type RouterRuntime } from './adapters/appsync/resolver-router';
import { ROUTES, type Route } from './adapters/appsync/resolver-routes';
import { apiConfigSchema, buildRuntime } from './runtime';

export const SERVICE_NAME = 'opendata-pulse-api';

/**
 * Adds the Lambda context to logs when there is one: the local stack and tests invoke the handler
 * in-process, where a context may be absent.
 */
const lambdaContextLogging = (logger: Logger): middy.MiddlewareObj => ({
  before: ({ context }) => {
    if (context && typeof context === 'object' && 'awsRequestId' in context) logger.addContext(context);
  },
  after: () => logger.resetKeys(),
  onError: () => logger.resetKeys(),
});

export function createApiHandler(options: {
  logger: Logger;
  runtime: () => Promise<RouterRuntime>;
  routes?: Readonly<Record<string, Route>>;
}) {
  const { logger, runtime, routes = ROUTES } = options;
  return middy<unknown, unknown>()
    .use(lambdaContextLogging(logger))
    .handler((event) => dispatch(event, routes, runtime, logger));
}

const logger = createLogger(SERVICE_NAME, logLevelFrom());
const config = configOnce(apiConfigSchema);
let runtime: Promise<RouterRuntime> | undefined;

/** Built on first use, once per cold start; a failed build (bad config, SSM) is retried next time. */
function coldStartRuntime(): Promise<RouterRuntime> {
  runtime ??= Promise.resolve()
    .then(() => buildRuntime(config(), logger))
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}

export const handler = createApiHandler({ logger, runtime: coldStartRuntime });
