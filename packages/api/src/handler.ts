/**
 * Lambda `opendata-pulse-api`: AppSync's direct Lambda resolver for every field with a resolver
 * (routed by `info.parentTypeName` / `info.fieldName`), single or BatchInvoke. Wiring lives in
 * composition.ts (docs/architecture.md, "One skeleton per service").
 */
import middy from '@middy/core';
import { lambdaContextLogging, mapBundleStackTraces } from '@opendata-pulse/shared/lambda';
import type { Logger } from '@opendata-pulse/shared/observability';
import { dispatch, type RouterRuntime } from './adapters/appsync/resolver-router';
import { ROUTES, type Route } from './adapters/appsync/resolver-routes';
import { coldStartRuntime, logger } from './composition';

export { SERVICE_NAME } from './composition';

/** The handler over a given runtime; tests, the bench and the local stack pass their own. */
export function createApiHandler(options: {
  logger: Logger;
  runtime: () => Promise<RouterRuntime>;
  routes?: Readonly<Record<string, Route>>;
}) {
  const { logger, runtime, routes = ROUTES } = options;
  return middy<unknown, unknown>()
    .use(lambdaContextLogging(() => logger))
    .handler((event) => dispatch(event, routes, runtime, logger));
}

// Stack traces at their TypeScript lines, the source map read only when one is formatted
// (docs/DEPLOY.md, "Source maps and cold starts").
mapBundleStackTraces(import.meta.url);
export const handler = createApiHandler({ logger, runtime: coldStartRuntime });
