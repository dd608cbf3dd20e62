/**
 * Composition root: config -> clients -> reader, token codec, probes. Built once per cold start
 * (the handler caches it); tests and the local stack build it with their own clients.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { apiEnvSchema, awsSettings } from '@opendata-pulse/shared/config';
import type { Logger } from '@opendata-pulse/shared/observability';
import * as z from 'zod';
import type { RouterRuntime } from './adapters/appsync/resolver-router';
import { createHotAggregatesReader } from './adapters/hot-aggregates-reader';
import { loadPageTokenKey } from './adapters/page-token-key';
import { createPipelineProbes } from './adapters/pipeline-probes';
import { createPageTokenCodec } from './domain/page-token';

/** Shared's API schema plus the two optional probes `systemHealth` uses. */
export const apiConfigSchema = apiEnvSchema.extend({
  /** raw bucket, listed (read-only) for the newest raw hour */
  S3_BUCKET: z.string().min(3).optional(),
  /** processing dead-letter queue, read for its depth */
  DLQ_URL: z.url().optional(),
});
export type ApiConfig = z.output<typeof apiConfigSchema>;

export interface RuntimeOverrides {
  dynamo?: DynamoDBDocumentClient;
  ssm?: Pick<SSMClient, 'send'>;
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
    parameterName: config.PAGE_TOKEN_KEY_PARAMETER,
    ssm: () => overrides.ssm ?? new SSMClient({ region }),
    logger,
  });
  return {
    circuitOpen: config.CIRCUIT_BREAKER,
    deps: {
      reader: createHotAggregatesReader({ client: dynamo, tableName: config.DYNAMODB_TABLE }),
      tokens: createPageTokenCodec(key),
      probes: createPipelineProbes({
        rawBucket: config.S3_BUCKET,
        s3: config.S3_BUCKET ? createS3Client({ region, endpoint: endpoints.s3 }) : undefined,
        dlqUrl: config.DLQ_URL,
        sqs: config.DLQ_URL ? createSqsClient({ region, endpoint: endpoints.sqs }) : undefined,
      }),
      now: overrides.now ?? Date.now,
      logger,
    },
  };
}
