/**
 * The AWS path, end to end on the local servers: a raw object in S3 -> an EventBridge "Object
 * Created" event on the processing queue -> the handler (through a poller that honours partial
 * batch failures) -> the hot-aggregates table and the curated Parquet lake. Also the DLQ path.
 * These tests share the project's queue and DLQ, so they live in one file and run in order.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { buildEventBridgeObjectCreated, buildS3Notification } from '@opendata-pulse/shared/events';
import {
  curatedObjectKey,
  GSI_NAME,
  keys,
  latestFromItem,
  rawObjectKey,
  readingFromItem,
  regionHourFromItem,
  stationFromItem,
} from '@opendata-pulse/shared/keys';
import type { NswSite } from '@opendata-pulse/shared/nsw';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  clients,
  etlHandler,
  getItem,
  lambdaContext,
  local,
  putRawHour,
  putSitesReference,
  queryAll,
} from '../support/local-aws';
import { nswRow, nswRowAt } from '../support/nsw-rows';
import { pollOnce } from '../support/sqs-poller';

const { s3, dynamo, sqs } = clients();
const { rawBucket, curatedBucket, table, queueUrl, dlqUrl } = local.resources;
const target = { rawBucket, curatedBucket, table };
const handler = etlHandler(target);

// Stations only this file uses (ids 31xxx), in a region of their own.
const SITES: NswSite[] = [
  { Site_Id: 31001, SiteName: 'Queueville', Region: 'Queue Coast', Latitude: -33.1, Longitude: 151.1 },
  { Site_Id: 31002, SiteName: 'Batch Creek', Region: 'Queue Coast', Latitude: null, Longitude: null },
];

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
  sqs.destroy();
});

function objectCreated(key: string) {
  return JSON.stringify(
    buildEventBridgeObjectCreated({ bucket: rawBucket, key, region: local.region, account: '000000000000' }),
  );
}

async function send(body: string) {
  const out = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  return out.MessageId ?? '';
}

/** Poll until the queue gives nothing more (messages left for a later receive come back first). */
async function drain(options: { visibilityTimeout?: number } = {}) {
  const polls = [];
  for (;;) {
    const poll = await pollOnce(sqs, queueUrl, handler, { ...options, waitTimeSeconds: 1 });
    if (poll.received.length === 0) return polls;
    polls.push(poll);
  }
}

async function readParquet(key: string) {
  const got = await s3.send(new GetObjectCommand({ Bucket: curatedBucket, Key: key }));
  const bytes = await got.Body?.transformToByteArray();
  if (!bytes) throw new Error(`no body for ${key}`);
  return parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  });
}

describe('raw object -> SQS -> handler -> table and curated zone', () => {
  it('stores the hour as readings, station, latest, daily and region items and one Parquet file', async () => {
    // Prepare: 2026-03-10 hour 14 local (AEDT) starts 02:00Z
    await putSitesReference(s3, rawBucket, SITES);
    const hour = Date.parse('2026-03-10T02:00:00Z');
    const key = await putRawHour(
      s3,
      rawBucket,
      hour,
      [
        nswRow(31001, 'PM2.5', '2026-03-10', 14, 30, 'GOOD'),
        nswRow(31001, 'OZONE', '2026-03-10', 14, 2.5, 'GOOD'),
        nswRow(31002, 'PM10', '2026-03-10', 14, -9.997, null),
        nswRow(31001, 'PM2.5', '2026-03-10', 13, 12, 'GOOD'), // the hour before: not this object's
      ],
      '2026-03-10T03:04:05.000Z',
    );
    await send(objectCreated(key));

    // Act
    const polls = await drain();

    // Assess: one batch, nothing failed, queue empty
    expect(polls).toHaveLength(1);
    expect(polls[0]?.failed).toEqual([]);

    const reading = readingFromItem((await getItem(dynamo, table, keys.reading(31001, hour))) ?? {});
    expect(reading).toEqual({
      siteId: 31001,
      siteName: 'Queueville',
      suburb: 'Queueville',
      region: 'Queue Coast',
      hourStart: '2026-03-10T02:00:00.000Z',
      category: 'FAIR',
      determiningPollutant: 'PM2.5',
      measurements: [
        {
          parameter: 'OZONE',
          value: 2.5,
          unit: 'pphm',
          category: 'GOOD',
          nswCategory: 'GOOD',
          flags: [],
          rolling: [{ window: '4h', value: 2.5, hours: 1 }],
        },
        {
          parameter: 'PM2.5',
          value: 30,
          unit: 'µg/m³',
          category: 'FAIR',
          nswCategory: 'GOOD',
          flags: ['CATEGORY_MISMATCH'],
          rolling: [{ window: '24h', value: 30, hours: 1 }],
        },
      ],
      source: { rawKey: key, fetchedAt: '2026-03-10T03:04:05.000Z' },
    });

    // a station's hours, newest first (the API's getAirQualityData reads its suburb's stations so);
    // readings stay out of the index
    const byStation = await queryAll(dynamo, {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hour)',
      ExpressionAttributeValues: { ':pk': keys.site(31001), ':hour': 'HOUR#' },
      ScanIndexForward: false,
    });
    expect(byStation.map((i) => readingFromItem(i).hourStart)).toEqual(['2026-03-10T02:00:00.000Z']);
    expect(byStation[0]).not.toHaveProperty('GSI1PK');

    // stations by region (listStations) and latest per station in the region
    const stations = await queryAll(dynamo, {
      TableName: table,
      IndexName: GSI_NAME,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.stationIndex('Queue Coast') },
    });
    expect(stations.map(stationFromItem)).toEqual([
      {
        siteId: 31001,
        name: 'Queueville',
        suburb: 'Queueville',
        region: 'Queue Coast',
        latitude: -33.1,
        longitude: 151.1,
      },
      {
        siteId: 31002,
        name: 'Batch Creek',
        suburb: 'Batch Creek',
        region: 'Queue Coast',
        latitude: null,
        longitude: null,
      },
    ]);
    const latest = await queryAll(dynamo, {
      TableName: table,
      IndexName: GSI_NAME,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.latestIndex('Queue Coast') },
    });
    expect(latest.map((i) => latestFromItem(i).siteId)).toEqual([31001, 31002]);
    expect(latestFromItem(latest[0] ?? {})).toEqual(reading);

    // daily summary for the local date, region summary for the hour
    const daily = await getItem(dynamo, table, keys.daily(31002, '2026-03-10'));
    expect(daily?.parameters).toEqual([
      { parameter: 'PM10', unit: 'µg/m³', mean: null, min: null, max: null, count: 0, excluded: 1, coverage: 0 },
    ]);
    const region = regionHourFromItem((await getItem(dynamo, table, keys.regionHour('Queue Coast', hour))) ?? {});
    expect(region).toEqual({
      region: 'Queue Coast',
      hourStart: '2026-03-10T02:00:00.000Z',
      category: 'FAIR',
      worstSiteId: 31001,
      stations: [{ siteId: 31001, category: 'FAIR' }, { siteId: 31002 }],
    });

    // curated: one Parquet file for the hour, read back
    const rows = await readParquet(curatedObjectKey(hour));
    expect(rows.map((r) => [r.site_id, r.parameter, r.value, r.flags])).toEqual([
      [31001, 'OZONE', 2.5, ''],
      [31001, 'PM2.5', 30, 'CATEGORY_MISMATCH'],
      [31002, 'PM10', -9.997, 'NEGATIVE'],
    ]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: curatedBucket, Key: curatedObjectKey(hour) }));
    expect(head.Metadata?.['fetched-at']).toBe('2026-03-10T03:04:05.000Z');
  });

  it('accepts the classic S3 notification shape in a message, and deletes an S3 test event', async () => {
    // Prepare
    const hour = Date.parse('2026-03-10T05:00:00Z');
    const key = await putRawHour(
      s3,
      rawBucket,
      hour,
      [nswRowAt(31002, 'NO2', hour, 1.2, 'GOOD')],
      '2026-03-10T06:00:00.000Z',
    );
    await send(JSON.stringify(buildS3Notification(rawBucket, [key], local.region)));
    await send(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: rawBucket }));
    // Act
    const polls = await drain();
    // Assess
    expect(polls.flatMap((p) => p.failed)).toEqual([]);
    expect(polls.flatMap((p) => p.received)).toHaveLength(2);
    expect(
      readingFromItem((await getItem(dynamo, table, keys.reading(31002, hour))) ?? {}).measurements[0]?.value,
    ).toBe(1.2);
  });

  it('moves a poison object to the DLQ after 3 receives, with the reason logged, while its batch-mates succeed', async () => {
    // Prepare: one raw key holding something that is not a raw envelope, two good hours
    const poisonHour = Date.parse('2026-03-11T00:00:00Z');
    const poisonKey = rawObjectKey(poisonHour);
    await s3.send(new PutObjectCommand({ Bucket: rawBucket, Key: poisonKey, Body: '{"not":"an envelope"}' }));
    const good = [Date.parse('2026-03-11T01:00:00Z'), Date.parse('2026-03-11T02:00:00Z')];
    const goodKeys = await Promise.all(
      good.map((h, i) =>
        putRawHour(s3, rawBucket, h, [nswRowAt(31001, 'NO2', h, 1 + i, 'GOOD')], '2026-03-11T03:00:00.000Z'),
      ),
    );
    const poisonBody = objectCreated(poisonKey);
    const poisonId = await send(poisonBody);
    for (const key of goodKeys) await send(objectCreated(key));
    const logged: string[] = [];
    const loud = etlHandler(target, { LOG_LEVEL: 'ERROR' });
    // Powertools writes ERROR lines to stderr (its own Console over process.stdout/stderr).
    const capture = (chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];

    // Act: three receives; each time the poison's visibility (1 s) lapses and it comes back
    const failures: string[][] = [];
    try {
      for (let receive = 1; receive <= 3; receive++) {
        const polls = [];
        for (;;) {
          const poll = await pollOnce(sqs, queueUrl, loud, { visibilityTimeout: 1, waitTimeSeconds: 2 });
          polls.push(poll);
          if (poll.received.includes(poisonId) || poll.received.length === 0) break;
        }
        failures.push(polls.flatMap((p) => p.failed));
        await new Promise((resolve) => setTimeout(resolve, 1_200));
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const fourth = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));

    // Assess
    expect(failures).toEqual([[poisonId], [poisonId], [poisonId]]);
    expect(fourth.Messages ?? []).toEqual([]);
    expect(dlq.Messages?.map((m) => m.Body)).toEqual([poisonBody]);
    for (const [i, h] of good.entries()) {
      const item = readingFromItem((await getItem(dynamo, table, keys.reading(31001, h))) ?? {});
      expect(item.source.rawKey).toBe(goodKeys[i]);
    }
    const errors = logged.filter((line) => line.includes(poisonKey)).map((line) => JSON.parse(line));
    expect(errors).toHaveLength(3);
    expect(errors[2]).toMatchObject({
      level: 'ERROR',
      message: 'raw object failed for the last time; the queue moves its message to the DLQ',
      receiveCount: 3,
      keys: [poisonKey],
    });
    // The hour schema (shared `/raw`) names the first field it missed.
    expect(errors[2].reason).toMatch(/raw hour envelope invalid at hourStart/);
  });

  it('takes no work while the circuit breaker is on: the batch fails whole and the message stays queued', async () => {
    // Prepare
    const hour = Date.parse('2026-03-12T00:00:00Z');
    const key = await putRawHour(
      s3,
      rawBucket,
      hour,
      [nswRowAt(31001, 'NO2', hour, 5, 'GOOD')],
      '2026-03-12T01:00:00.000Z',
    );
    const id = await send(objectCreated(key));
    const broken = etlHandler(target, { CIRCUIT_BREAKER: 'true' });
    // Act
    const poll = await pollOnce(sqs, queueUrl, broken, { visibilityTimeout: 1, waitTimeSeconds: 2 });
    const untouched = await getItem(dynamo, table, keys.reading(31001, hour));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const after = await drain();
    // Assess: nothing written while open; the same message is processed once the breaker is off
    expect(poll.received).toEqual([id]);
    expect(poll.error).toMatchObject({ name: 'CircuitOpenError' });
    expect(untouched).toBeUndefined();
    expect(after.flatMap((p) => p.received)).toEqual([id]);
    expect(await getItem(dynamo, table, keys.reading(31001, hour))).toBeDefined();
  });
});

describe('plain S3 event (the runbook manual reprocess)', () => {
  it('answers per key what happened', async () => {
    const hour = Date.parse('2026-03-13T00:00:00Z');
    const key = await putRawHour(
      s3,
      rawBucket,
      hour,
      [nswRowAt(31001, 'NO2', hour, 2, 'GOOD')],
      '2026-03-13T01:00:00.000Z',
    );
    const summary = await handler(
      buildS3Notification(rawBucket, [key, 'nsw-air-quality/reference/sites.json'], local.region),
      lambdaContext(),
    );
    expect(summary).toEqual({
      processed: 1,
      skipped: 1,
      failed: 0,
      objects: [
        {
          bucket: rawBucket,
          key,
          status: 'processed',
          hourStart: '2026-03-13T00:00:00.000Z',
          readings: 1,
          olderReadings: 0,
        },
        {
          bucket: rawBucket,
          key: 'nsw-air-quality/reference/sites.json',
          status: 'skipped',
          reason: 'not a raw hour or day object key',
        },
      ],
    });
  });

  it('processes the rest and then fails, naming the objects that failed and why', async () => {
    // Prepare
    const good = Date.parse('2026-03-13T01:00:00Z');
    const goodKey = await putRawHour(
      s3,
      rawBucket,
      good,
      [nswRowAt(31002, 'NO2', good, 3, 'GOOD')],
      '2026-03-13T02:00:00.000Z',
    );
    const missingKey = rawObjectKey(Date.parse('2026-03-13T02:00:00Z'));
    // Act
    const run = handler(buildS3Notification(rawBucket, [missingKey, goodKey], local.region), lambdaContext());
    // Assess
    await expect(run).rejects.toMatchObject({
      name: 'ObjectsFailedError',
      message: `1 of 2 raw objects failed: ${missingKey}: raw object s3://${rawBucket}/${missingKey} does not exist`,
      failed: [{ key: missingKey, errorType: 'NotFound' }],
    });
    expect(await getItem(dynamo, table, keys.reading(31002, good))).toBeDefined();
  });

  it('rejects an event it cannot read', async () => {
    await expect(handler({ hello: 'world' }, lambdaContext())).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
