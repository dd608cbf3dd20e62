/**
 * The ETL's wiring, once per cold start: the environment parsed with shared etlEnvSchema, the S3
 * and DynamoDB clients built, the adapters handed to the use cases. Only this module reads
 * process.env; the code below it is given parsed values (docs/architecture.md, "Configuration
 * and errors").
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { createDynamoDocClient, createS3Client } from '@opendata-pulse/shared/aws';
import { configOnce, type EtlEnv, etlEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { lazyLogger } from '@opendata-pulse/shared/lambda';
import { createLogger, createMetrics, type Logger, type Metrics } from '@opendata-pulse/shared/observability';
import {
  createAppSyncPublisher,
  type GraphqlUrlSource,
  noGraphqlUrl,
  ssmGraphqlUrl,
  staticGraphqlUrl,
} from './adapters/appsync-publisher';
import { createCuratedStore } from './adapters/curated-store';
import { createHotTable } from './adapters/hot-table';
import { createHourUpdateSource } from './adapters/hot-table-hour-updates';
import { createRawStore } from './adapters/raw-store';
import type { EtlDeps, EtlSettings } from './use-cases/ports';

export const SERVICE_NAME = 'opendata-pulse-etl';

export type Env = Record<string, string | undefined>;

export interface EtlComposition {
  /** the parsed environment; a ConfigError naming every bad variable when it does not parse */
  config: () => EtlEnv;
  logger: () => Logger;
  metrics: Metrics;
  /** what the use cases work with, built at the first invocation that gets past the config */
  deps: () => EtlDeps;
}

/** DynamoDB throttles (on-demand tables scale in steps) are retried by the SDK this many times. */
const DYNAMO_MAX_ATTEMPTS = 8;

/**
 * `env` is where config is read from: process.env in Lambda; tests and the local stack pass their
 * own. Nothing is read at import: the local stack may set the environment after importing.
 */
export function composeEtl(env: () => Env = () => process.env): EtlComposition {
  const config = configOnce(etlEnvSchema, env);
  // Powertools resets a logger to its constructor's level on every invocation, so it is built
  // when the level is known, at the first invocation.
  const logger = lazyLogger(() => createLogger(SERVICE_NAME, logLevelFrom(env())));
  const metrics = createMetrics(SERVICE_NAME);
  let deps: EtlDeps | undefined;
  return {
    config,
    logger,
    metrics,
    deps: () => {
      deps ??= createEtlDeps(config(), logger(), metrics);
      return deps;
    },
  };
}

function createEtlDeps(config: EtlEnv, logger: Logger, metrics: Metrics): EtlDeps {
  const settings: EtlSettings = {
    rawBucket: config.S3_BUCKET,
    curatedBucket: config.CURATED_BUCKET,
    tableName: config.DYNAMODB_TABLE,
    timeZone: config.NSW_SOURCE_TIMEZONE,
  };
  const s3 = createS3Client({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_S3 });
  const db = createDynamoDocClient({
    region: config.AWS_REGION,
    endpoint: config.AWS_ENDPOINT_URL_DYNAMODB,
    maxAttempts: DYNAMO_MAX_ATTEMPTS,
  });
  return {
    settings,
    raw: createRawStore(s3, settings.rawBucket),
    curated: createCuratedStore(s3, settings.curatedBucket),
    table: createHotTable(db, settings.tableName),
    hourUpdates: {
      source: createHourUpdateSource(db, settings.tableName),
      publisher: createAppSyncPublisher({
        url: graphqlUrlSource(config),
        region: config.AWS_REGION,
        credentials: defaultProvider(),
      }),
    },
    logger,
    metrics,
  };
}

/**
 * Where live updates go: in AWS the SSM parameter the api service writes (GRAPHQL_URL_PARAMETER
 * names it); on the local stack the URL itself (GRAPHQL_URL), which the host sets. Neither: none.
 */
function graphqlUrlSource(config: EtlEnv): GraphqlUrlSource {
  if (config.GRAPHQL_URL) return staticGraphqlUrl(config.GRAPHQL_URL);
  if (config.GRAPHQL_URL_PARAMETER) {
    return ssmGraphqlUrl(new SSMClient({ region: config.AWS_REGION }), config.GRAPHQL_URL_PARAMETER);
  }
  return noGraphqlUrl;
}
