/**
 * Composition root: config -> clients -> reader, token codec, probes. The deployed handler builds
 * it once per cold start; tests, the bench and the local stack build it with their own clients.
 * The only module of the API that reads the environment (docs/architecture.md, "Configuration and errors").
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { apiEnvSchema, awsSettings, configOnce, etlEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import { createLogger, type Logger } from '@opendata-pulse/shared/observability';
import * as z from 'zod';
import type { RouterRuntime } from './adapters/appsync/resolver-router';
import { createExportStore } from './adapters/export-store';
import { createHotAggregatesReader } from './adapters/hot-aggregates-reader';
import { loadPageTokenKey } from './adapters/page-token-key';
import { createPipelineProbes } from './adapters/pipeline-probes';
import { createPageTokenCodec } from './domain/page-token';
import { createStationDirectory } from './use-cases/station-directory';

export const SERVICE_NAME = 'opendata-pulse-api';

/** Shared's API schema plus the two optional probes `systemHealth` uses. */
export const apiConfigSchema = lazySchema(() =>
  apiEnvSchema.extend({
    /** raw bucket, listed (read-only) for the newest raw hour */
    S3_BUCKET: z.string().min(3).optional(),
    /** processing dead-letter queue, read for its depth */
    DLQ_URL: z.url().optional(),
    /** curated bucket: exportAirQualityData writes under its exports/ prefix */
    CURATED_BUCKET: etlEnvSchema.shape.CURATED_BUCKET,
  }),
);
export type ApiConfig = z.output<typeof apiConfigSchema>;

export interface RuntimeOverrides {
  dynamo?: DynamoDBDocumentClient;
  secrets?: Pick<SecretsManagerClient, 'send'>;
  s3?: S3Client;
  now?: () => number;
}

export async function buildRuntime(
  config: ApiConfig,
  logger: Logger,
  overrides: RuntimeOverrides = {},
): Promise<RouterRuntime> {
  const { region, endpoints } = awsSettings(config);
  const dynamo = overrides.dynamo ?? createDynamoDocClient({ region, endpoint: endpoints.dynamodb });
  const key = await loadPageTokenKey({
    secretArn: config.PAGE_TOKEN_KEY_SECRET_ARN,
    file: config.PAGE_TOKEN_KEY_FILE,
    secrets: () => overrides.secrets ?? new SecretsManagerClient({ region }),
    logger,
  });
  const s3 = overrides.s3 ?? createS3Client({ region, endpoint: endpoints.s3 });
  const reader = createHotAggregatesReader({ client: dynamo, tableName: config.DYNAMODB_TABLE });
  const now = overrides.now ?? Date.now;
  return {
    circuitOpen: config.CIRCUIT_BREAKER,
    deps: {
      reader,
      tokens: createPageTokenCodec(key),
      probes: createPipelineProbes({
        rawBucket: config.S3_BUCKET,
        s3: config.S3_BUCKET ? s3 : undefined,
        dlqUrl: config.DLQ_URL,
        sqs: config.DLQ_URL ? createSqsClient({ region, endpoint: endpoints.sqs }) : undefined,
      }),
      now,
      logger,
      stationDirectory: createStationDirectory(reader, now),
      exports: createExportStore({ s3, bucket: config.CURATED_BUCKET }),
      newId: randomUUID,
    },
  };
}

/** The deployed function's logger, at the level its environment asks for. */
export const logger = createLogger(SERVICE_NAME, logLevelFrom());
const config = configOnce(apiConfigSchema);
let runtime: Promise<RouterRuntime> | undefined;

/**
 * The deployed function's runtime, built on first use, once per cold start. A failed build (bad
 * config, the key's secret unreadable) is not cached, so the next invocation tries again.
 */
export function coldStartRuntime(): Promise<RouterRuntime> {
  runtime ??= Promise.resolve()
    .then(() => buildRuntime(config(), logger))
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}
