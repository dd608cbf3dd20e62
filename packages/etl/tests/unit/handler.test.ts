import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createEtlHandler } from '../../src/handler';
import sqsEvent from '../events/sqs-eventbridge-object-created.json' with { type: 'json' };

const context = { functionName: 'opendata-pulse-etl', awsRequestId: 'unit' } as Context;
const config = {
  S3_BUCKET: 'opendata-pulse-raw-data-123456789012',
  CURATED_BUCKET: 'opendata-pulse-curated-data-123456789012',
  DYNAMODB_TABLE: 'opendata-pulse-hot-aggregates',
  LOG_LEVEL: 'SILENT',
};

describe('ETL handler before any work', () => {
  it('fails naming every missing variable when the configuration is incomplete', async () => {
    const handler = createEtlHandler({ env: () => ({ LOG_LEVEL: 'SILENT' }) });
    await expect(handler(sqsEvent, context)).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(/S3_BUCKET is required.*CURATED_BUCKET is required.*DYNAMODB_TABLE is required/),
    });
  });

  it('takes no work with the circuit breaker on: the whole batch fails, so every message goes back', async () => {
    const handler = createEtlHandler({ env: () => ({ ...config, CIRCUIT_BREAKER: 'true' }) });
    await expect(handler(sqsEvent, context)).rejects.toMatchObject({
      name: 'CircuitOpenError',
      errorType: 'CircuitOpen',
    });
  });
});
