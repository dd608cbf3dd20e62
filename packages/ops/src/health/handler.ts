/**
 * Lambda `opendata-pulse-health-check` (every 5 minutes): the checks `pulse health` runs, the
 * freshness metric the alarms watch, and the report as the result. A thin adapter: config once
 * per cold start, clients built once, one use case.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { AppSyncClient, GetGraphqlApiCommand } from '@aws-sdk/client-appsync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { clientsFor } from '@opendata-pulse/shared/aws';
import { awsSettings, configOnce, healthCheckEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import { createLogger, createMetrics } from '@opendata-pulse/shared/observability';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { runHealthCheck } from './health-check.use-case';
import type { ApiCheck, HealthClients, HealthReport, HealthTarget } from './health-checks';

/** The shared schema plus what only this function needs: the AppSync API to look at. */
export const healthCheckConfigSchema = healthCheckEnvSchema.extend({
  GRAPHQL_API_ID: z.string().min(1).optional(),
});
export type HealthCheckConfig = z.output<typeof healthCheckConfigSchema>;

type Env = Record<string, string | undefined>;

export interface HealthCheckHandlerOptions {
  env?: () => Env;
  /** replace clients (tests mock the Lambda control plane and AppSync, which have no local server) */
  clients?: Partial<HealthClients> & { appsync?: AppSyncClient };
  now?: () => number;
}

export function healthTargetFrom(config: HealthCheckConfig): HealthTarget {
  const fn = (base: string) => stageName(base, config.STAGE);
  return {
    mode: 'aws',
    stage: config.STAGE,
    functions: {
      ingest: fn(BASE_NAMES.ingestFunction),
      etl: fn(BASE_NAMES.etlFunction),
      api: fn(BASE_NAMES.apiFunction),
    },
    table: config.DYNAMODB_TABLE,
    rawBucket: config.S3_BUCKET,
    curatedBucket: config.CURATED_BUCKET,
    queueUrl: config.QUEUE_URL,
    dlqUrl: config.DLQ_URL,
  };
}

/** The API check from inside AWS: the AppSync API exists (no API key is kept in this function). */
export function appSyncApiCheck(appsync: AppSyncClient, apiId: string): ApiCheck {
  return async () => {
    const { graphqlApi } = await appsync.send(new GetGraphqlApiCommand({ apiId }));
    return {
      status: 'ok',
      detail: `${graphqlApi?.name ?? apiId} exists (${graphqlApi?.authenticationType ?? '?'})`,
      data: { apiId, name: graphqlApi?.name },
    };
  };
}

export function createHealthCheckHandler(options: HealthCheckHandlerOptions = {}) {
  const env = options.env ?? (() => process.env);
  const getConfig = configOnce(healthCheckConfigSchema, env);
  const serviceName = stageName(BASE_NAMES.healthCheckFunction, env().STAGE || 'prod');
  const logger = createLogger(serviceName, logLevelFrom(env()));
  const metrics = createMetrics(serviceName);
  let runtime: { config: HealthCheckConfig; clients: HealthClients; api?: ApiCheck } | undefined;

  function coldStart() {
    if (runtime) return runtime;
    const config = getConfig();
    const settings = awsSettings(config);
    const factories = clientsFor(settings);
    const o = options.clients ?? {};
    const clients: HealthClients = {
      s3: o.s3 ?? factories.s3(),
      dynamo: o.dynamo ?? factories.dynamo(),
      dynamoControl:
        o.dynamoControl ??
        new DynamoDBClient({
          region: settings.region,
          ...(settings.endpoints.dynamodb ? { endpoint: settings.endpoints.dynamodb } : {}),
        }),
      sqs: o.sqs ?? factories.sqs(),
      lambda: o.lambda ?? factories.lambda(),
    };
    const apiId = config.GRAPHQL_API_ID;
    const api = apiId ? appSyncApiCheck(o.appsync ?? new AppSyncClient({ region: settings.region }), apiId) : undefined;
    runtime = { config, clients, ...(api ? { api } : {}) };
    return runtime;
  }

  return middy<unknown, HealthReport, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async () => {
      const { config, clients, api } = coldStart();
      return runHealthCheck({
        target: healthTargetFrom(config),
        clients,
        metrics,
        logger,
        now: (options.now ?? Date.now)(),
        ...(api ? { api } : {}),
      });
    });
}

export const handler = createHealthCheckHandler();
