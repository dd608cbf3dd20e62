/**
 * What the ETL's use cases work with, built once per cold start from the parsed config. The
 * local stack and the ops CLI build the same thing with their own config.
 */

import { createDynamoDocClient, createS3Client } from '@opendata-pulse/shared/aws';
import type { EtlEnv } from '@opendata-pulse/shared/config';
import { createLogger, createMetrics, type Logger, type Metrics } from '@opendata-pulse/shared/observability';
import { createCuratedStore } from './adapters/curated-store';
import { createHotTable } from './adapters/hot-table';
import { createRawStore } from './adapters/raw-store';
import type { EtlDeps, EtlSettings } from './use-cases/ports';

export const SERVICE_NAME = 'opendata-pulse-etl';

/** DynamoDB throttles (on-demand tables scale in steps) are retried by the SDK this many times. */
const DYNAMO_MAX_ATTEMPTS = 8;

export function createEtlDeps(config: EtlEnv, observability: { logger?: Logger; metrics?: Metrics } = {}): EtlDeps {
  const settings: EtlSettings = {
    rawBucket: config.S3_BUCKET,
    curatedBucket: config.CURATED_BUCKET,
    tableName: config.DYNAMODB_TABLE,
    timeZone: config.NSW_SOURCE_TIMEZONE,
    ttlDays: config.HOT_DATA_TTL_DAYS,
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
    table: createHotTable(db, settings.tableName, { ttlDays: settings.ttlDays }),
    logger: observability.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL),
    metrics: observability.metrics ?? createMetrics(SERVICE_NAME),
  };
}
