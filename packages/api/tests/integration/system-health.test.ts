import { randomInt } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OPERATOR_TOKEN, startApiHarness } from '../support/api-harness';
import { seedStations, station } from '../support/fixtures';

const NOW = Date.UTC(2026, 11, 5, 9, 15);
const NEWEST_TABLE_HOUR = NOW - 15 * 60_000 - 4 * HOUR_MS; // 05:00, ends 06:00: 195 minutes old
const NEWEST_RAW_HOUR = NOW - 15 * 60_000 - HOUR_MS; // 08:00, not in the table yet
const id = randomInt(90_000, 99_000);

let api: Awaited<ReturnType<typeof startApiHarness>>;

beforeAll(async () => {
  const { endpoints, resources, region } = inject('localAws');
  api = await startApiHarness({
    now: () => NOW,
    env: {
      S3_BUCKET: resources.rawBucket,
      DLQ_URL: resources.dlqUrl,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    },
  });
  await seedStations(
    api.seedClient,
    api.table,
    [station(id, `Health ${id}`, `Health Region ${id}`)],
    [NEWEST_TABLE_HOUR],
  );
  const s3 = createS3Client({ region, endpoint: endpoints.s3 });
  const sqs = createSqsClient({ region, endpoint: endpoints.sqs });
  for (const hour of [NEWEST_RAW_HOUR - HOUR_MS, NEWEST_RAW_HOUR]) {
    await s3.send(new PutObjectCommand({ Bucket: resources.rawBucket, Key: rawObjectKey(hour), Body: '{}' }));
  }
  await sqs.send(new SendMessageCommand({ QueueUrl: resources.dlqUrl, MessageBody: '{"poison":true}' }));
  s3.destroy();
  sqs.destroy();
});

afterAll(async () => {
  await api?.close();
});

describe('systemHealth', () => {
  it('reports the newest raw hour, the newest stored hour, its age and the DLQ depth, with the problems they show', async () => {
    // Act
    const { body } = await api.gql(
      '{ systemHealth { checkedAt lastIngestHour lastIngestAt lastEtlHour lastEtlFetchedAt dataAgeMinutes stationCount stationsReporting dlqDepth problems } }',
      {},
      { authorization: `Bearer ${OPERATOR_TOKEN}` },
    );

    // Assess
    expect(body.errors).toBeUndefined();
    const health = body.data?.systemHealth as Record<string, unknown>;
    expect(health).toMatchObject({
      checkedAt: new Date(NOW).toISOString(),
      lastIngestHour: new Date(NEWEST_RAW_HOUR).toISOString(),
      dlqDepth: 1,
    });
    expect(typeof health.lastIngestAt).toBe('string');
    // Other test files share the table: this file's station is at least as new as theirs.
    expect(Date.parse(health.lastEtlHour as string)).toBeGreaterThanOrEqual(NEWEST_TABLE_HOUR);
    expect(health.stationCount as number).toBeGreaterThanOrEqual(1);
    expect(health.problems).toContain('1 message(s) in the dead-letter queue');
    expect(health.problems).toContain(`raw hour ${new Date(NEWEST_RAW_HOUR).toISOString()} is not in the table yet`);
  });
});
