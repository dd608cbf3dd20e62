import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bodyToString, createDynamoDocClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { GSI_NAME, keys, latestFromItem, latestToItem } from '@opendata-pulse/shared/keys';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { afterAll, describe, expect, inject, it } from 'vitest';

const { endpoints, resources, region } = inject('localAws');
const s3 = createS3Client({ region, endpoint: endpoints.s3 });
const dynamo = createDynamoDocClient({ region, endpoint: endpoints.dynamodb });
const sqs = createSqsClient({ region, endpoint: endpoints.sqs });

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
  sqs.destroy();
});

function reading(siteId: number, suburb: string, hourStart: string): HourlyReading {
  return {
    siteId,
    siteName: suburb,
    suburb,
    region: 'Sydney East',
    hourStart,
    category: 'GOOD',
    determiningPollutant: 'PM2.5',
    measurements: [{ parameter: 'PM2.5', value: 8.034, unit: 'µg/m³', category: 'GOOD', flags: [] }],
    source: { rawKey: 'nsw-air-quality/raw/2026/11/20/13.json', fetchedAt: '2026-11-20T14:05:00.000Z' },
  };
}

describe('local S3 (s3rver) through the shared client', () => {
  it('stores an object sent as a stream and returns it intact', async () => {
    // Prepare
    const text = JSON.stringify({ hello: 'Rozelle', µ: 'µg/m³' });
    // Act
    await s3.send(
      new PutObjectCommand({
        Bucket: resources.rawBucket,
        Key: 'probe/stream.json',
        Body: Readable.from([Buffer.from(text)]),
        ContentLength: Buffer.byteLength(text),
        ContentType: 'application/json',
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: resources.rawBucket, Key: 'probe/stream.json' }));
    // Assess
    expect(await bodyToString(got.Body)).toBe(text);
    expect(got.ContentType).toBe('application/json');
  });

  it('never lets a read see a half-written object while the same key is overwritten (patched s3rver)', async () => {
    // Prepare: two large bodies that differ everywhere, so a torn read cannot pass for either
    const key = 'probe/overwritten.json';
    const bodies = ['a', 'b'].map((c) => JSON.stringify({ fill: c.repeat(2_000_000) }));
    await s3.send(new PutObjectCommand({ Bucket: resources.rawBucket, Key: key, Body: bodies[0] }));
    // Act: overwrite repeatedly while reading the key as fast as possible
    const writes = (async () => {
      for (let i = 1; i <= 10; i++) {
        await s3.send(new PutObjectCommand({ Bucket: resources.rawBucket, Key: key, Body: bodies[i % 2] }));
      }
    })();
    const seen: string[] = [];
    let writing = true;
    void writes.finally(() => {
      writing = false;
    });
    while (writing) {
      const got = await s3.send(new GetObjectCommand({ Bucket: resources.rawBucket, Key: key }));
      seen.push(await bodyToString(got.Body));
    }
    await writes;
    // Assess: every read returned one whole version
    expect(seen.length).toBeGreaterThan(0);
    for (const body of seen) expect(bodies.includes(body)).toBe(true);
  });

  it('pages a listing of more than 1,000 keys without loss', async () => {
    const total = 1_050;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: resources.curatedBucket,
              Key: `paging/${String(i + j).padStart(5, '0')}`,
              Body: 'x',
            }),
          ),
        ),
      );
    }
    const first = await s3.send(new ListObjectsV2Command({ Bucket: resources.curatedBucket, Prefix: 'paging/' }));
    expect(first.KeyCount).toBe(1_000);
    expect(first.IsTruncated).toBe(true);

    const seen: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: resources.curatedBucket, Prefix: 'paging/' },
    )) {
      seen.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});

describe('local DynamoDB (dynalite) with the project table', () => {
  it('answers a GeographicIndex query: the latest readings of a region, by station', async () => {
    const items = [
      { ...reading(39, 'Rozelle', '2026-11-20T13:00:00.000Z'), region: 'Sydney East' },
      { ...reading(2, 'Randwick', '2026-11-20T12:00:00.000Z'), region: 'Sydney East' },
      { ...reading(7, 'Wollongong', '2026-11-20T13:00:00.000Z'), region: 'Illawarra' },
    ].map(latestToItem);
    await dynamo.send(
      new BatchWriteCommand({ RequestItems: { [resources.table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );

    const out = await dynamo.send(
      new QueryCommand({
        TableName: resources.table,
        IndexName: GSI_NAME,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.latestIndex('Sydney East') },
      }),
    );
    expect(out.Items?.map((i) => latestFromItem(i).siteId)).toEqual([2, 39]);
    expect(latestFromItem(out.Items?.[1] ?? {})).toEqual(reading(39, 'Rozelle', '2026-11-20T13:00:00.000Z'));
  });

  it('refuses a conditional put that would replace newer data', async () => {
    const key = keys.reading(7, '2026-11-20T13:00:00Z');
    await dynamo.send(new PutCommand({ TableName: resources.table, Item: { ...key, fetchedAt: 'b' } }));
    await expect(
      dynamo.send(
        new PutCommand({
          TableName: resources.table,
          Item: { ...key, fetchedAt: 'a' },
          ConditionExpression: 'attribute_not_exists(PK) OR fetchedAt <= :f',
          ExpressionAttributeValues: { ':f': 'a' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});

describe('local SQS with the processing queue and its DLQ', () => {
  it('moves a message to the DLQ after 3 receives', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: '{"poison":true}' }));
    // A failed processing leaves the message alone; it comes back when its visibility lapses.
    // (ChangeMessageVisibility would count as a receive in local-aws-sqs, unlike AWS.)
    for (let receive = 1; receive <= 3; receive++) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queueUrl,
          WaitTimeSeconds: 3,
          MaxNumberOfMessages: 1,
          VisibilityTimeout: 1,
        }),
      );
      expect(got.Messages?.[0]?.Body).toBe('{"poison":true}');
    }
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const fourth = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, WaitTimeSeconds: 1 }));
    expect(fourth.Messages ?? []).toHaveLength(0);

    const dlq = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });
});
