/**
 * Wiring of the health-check Lambda: its configuration, parsed once per cold start, and the
 * clients and target the checks run against, built once (docs/architecture.md, "One skeleton per
 * service").
 */
import { AppSyncClient, GetGraphqlApiCommand } from '@aws-sdk/client-appsync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { clientsFor } from '@opendata-pulse/shared/aws';
import { awsSettings, configOnce, healthCheckEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import { createLogger, createMetrics, type Logger, type Metrics } from '@opendata-pulse/shared/observability';
import * as z from 'zod';
import { apiKeyExpiries } from './adapters/appsync';
import { criticalAlertsTopic } from './adapters/critical-alerts-topic';
import { daysToFirstExpiry } from './domain/api-key-expiry';
import type { AlertTopic, ApiKeyExpiryCheck, HealthCheckRunDeps } from './use-cases/health-check.use-case';
import type { ApiCheck, HealthClients, HealthTarget } from './use-cases/health-checks';

/**
 * The shared schema plus what only this function needs: the AppSync API to look at, and where no
 * CloudWatch alarm publishes its findings (the local stack), the topic to alert and how to reach it.
 */
export const healthCheckConfigSchema = lazySchema(() =>
  healthCheckEnvSchema.extend({
    GRAPHQL_API_ID: z.string().min(1).optional(),
    CRITICAL_ALERTS_TOPIC_ARN: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
        message: 'is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)',
      })
      .optional(),
    AWS_ENDPOINT_URL_SNS: z.url({ protocol: /^https?$/ }).optional(),
  }),
);
export type HealthCheckConfig = z.output<typeof healthCheckConfigSchema>;

type Env = Record<string, string | undefined>;

export interface HealthCheckHandlerOptions {
  env?: () => Env;
  /** replace clients (tests mock the Lambda control plane and AppSync, which have no local server) */
  clients?: Partial<HealthClients> & { appsync?: AppSyncClient; sns?: SNSClient };
  now?: () => number;
}

export function healthTargetFrom(config: HealthCheckConfig): HealthTarget {
  const fn = (base: string) => stageName(base, config.STAGE);
  return {
    // A Lambda endpoint of its own is the local stack's, which answers Invoke only: the function
    // checks then use a DryRun invoke (docs/architecture.md, "Local stack: stand-ins and known gaps").
    mode: config.AWS_ENDPOINT_URL_LAMBDA ? 'local' : 'aws',
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

export interface HealthCheckComposition {
  logger: Logger;
  metrics: Metrics;
  /** one invocation's dependencies; config and clients are built at the first call */
  deps(): HealthCheckRunDeps;
}

export function composeHealthCheck(options: HealthCheckHandlerOptions = {}): HealthCheckComposition {
  const env = options.env ?? (() => process.env);
  const getConfig = configOnce(healthCheckConfigSchema, env);
  const serviceName = stageName(BASE_NAMES.healthCheckFunction, env().STAGE || 'prod');
  const logger = createLogger(serviceName, logLevelFrom(env()));
  const metrics = createMetrics(serviceName);
  const now = options.now ?? Date.now;
  let coldStart:
    | {
        target: HealthTarget;
        clients: HealthClients;
        api?: ApiCheck;
        alerts?: AlertTopic;
        apiKeyExpiry?: ApiKeyExpiryCheck;
      }
    | undefined;

  function build() {
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
    const appsync = apiId ? (o.appsync ?? new AppSyncClient({ region: settings.region })) : undefined;
    const api = appsync && apiId ? appSyncApiCheck(appsync, apiId) : undefined;
    const apiKeyExpiry: ApiKeyExpiryCheck | undefined =
      appsync && apiId ? async () => daysToFirstExpiry(await apiKeyExpiries(appsync, apiId), now()) : undefined;
    const topicArn = config.CRITICAL_ALERTS_TOPIC_ARN;
    const sns = () =>
      o.sns ??
      new SNSClient({
        region: settings.region,
        ...(config.AWS_ENDPOINT_URL_SNS ? { endpoint: config.AWS_ENDPOINT_URL_SNS } : {}),
      });
    const alerts = topicArn ? criticalAlertsTopic(sns(), topicArn) : undefined;
    return {
      target: healthTargetFrom(config),
      clients,
      ...(api ? { api } : {}),
      ...(alerts ? { alerts } : {}),
      ...(apiKeyExpiry ? { apiKeyExpiry } : {}),
    };
  }

  return {
    logger,
    metrics,
    deps() {
      coldStart ??= build();
      return { ...coldStart, metrics, logger, now: now() };
    },
  };
}
