/**
 * History is served whatever its age (docs/architecture.md, "Hot aggregates table: key design"):
 * an hour from two years ago goes through the real ingest (backfill payload, the fake NSW server
 * serving that date), the real ETL (an SQS batch, as the queue delivers it) and comes back through
 * the local GraphQL server over the real API handler; no item the ETL wrote carries an expiry.
 * The three handlers run in the local Lambda host's worker threads, each with its own environment.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startGraphqlServer } from '@opendata-pulse/local/appsync';
import { FunctionHost, LOCAL_FUNCTION_SPECS } from '@opendata-pulse/local/lambda';
import { type FakeNsw, startFakeNsw, syntheticStations } from '@opendata-pulse/local/nsw';
import { buildEventBridgeObjectCreated } from '@opendata-pulse/shared/events';
import { DAY_MS, HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, createBucket, createTable, local, TIME_ZONE } from '../support/local-aws';

const API_KEY = 'history-test-key';
const SITES = syntheticStations(2);
const SUBURB = SITES[0]?.SiteName ?? '';
/** The hour two years before this run: far past any expiry the table ever had (90 days). */
const HOUR = Math.floor((Date.now() - 2 * 365 * DAY_MS) / HOUR_MS) * HOUR_MS;
const HOUR_ISO = new Date(HOUR).toISOString();

const { s3, dynamo } = clients();
let nsw: FakeNsw;
let functions: FunctionHost;
let graphql: { url: string; close(): Promise<void> };
let table: string;
let rawBucket: string;

beforeAll(async () => {
  nsw = await startFakeNsw({ stations: SITES, timeZone: TIME_ZONE });
  rawBucket = await createBucket(s3, 'history-raw');
  const curatedBucket = await createBucket(s3, 'history-cur');
  table = await createTable(dynamo, 'history');
  functions = new FunctionHost({
    stage: 'local',
    region: local.region,
    env: {
      AWS_REGION: local.region,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: local.endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
      LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      S3_BUCKET: rawBucket,
      CURATED_BUCKET: curatedBucket,
      DYNAMODB_TABLE: table,
      NSW_API_ENDPOINT: nsw.endpoint,
      NSW_SOURCE_TIMEZONE: TIME_ZONE,
      NSW_SOURCE_LABEL: 'sample',
    },
    specs: LOCAL_FUNCTION_SPECS.filter((s) => ['ingest', 'etl', 'api'].includes(s.key)),
  });
  graphql = await startGraphqlServer({
    port: 0,
    apiKey: API_KEY,
    invoke: (event) => functions.invoke('api', event),
  });
}, 60_000);

afterAll(async () => {
  await graphql.close();
  await functions.stop();
  await nsw.close();
  s3.destroy();
  dynamo.destroy();
});

/** An SQS batch of S3 "Object Created" notifications, as the processing queue hands them to the ETL. */
function queueBatch(keys: string[]): SQSEvent {
  return {
    Records: keys.map((key, i) => ({
      messageId: `history-${i}`,
      receiptHandle: `rh-${i}`,
      body: JSON.stringify(
        buildEventBridgeObjectCreated({ bucket: rawBucket, key, region: local.region, account: '000000000000' }),
      ),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${local.region}:000000000000:opendata-pulse-processing-local`,
      awsRegion: local.region,
    })),
  };
}

async function gql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(graphql.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe('an hour from two years ago', () => {
  it('is backfilled, processed, served through GraphQL and stored without an expiry', async () => {
    // Act: backfill the hour, hand what ingest wrote to the ETL, ask the API for it
    const ingested = await functions.invoke<{ status: string; hourStart: string; key: string }>('ingest', {
      backfill: true,
      timestamp: HOUR_ISO,
    });
    const processed = await functions.invoke<SQSBatchResponse>('etl', queueBatch([ingested.key]));
    const readings = await gql(
      'query($suburb: String!, $from: AWSDateTime, $to: AWSDateTime) { getAirQualityData(suburb: $suburb, from: $from, to: $to) { items { siteName hourStart measurements { parameter value } } } }',
      { suburb: SUBURB, from: HOUR_ISO, to: new Date(HOUR + HOUR_MS).toISOString() },
    );
    const region = await gql(
      'query($region: String!, $from: AWSDateTime, $to: AWSDateTime) { getRegionSummary(region: $region, from: $from, to: $to) { items { hourStart } } }',
      { region: SITES[0]?.Region, from: HOUR_ISO, to: new Date(HOUR + HOUR_MS).toISOString() },
    );
    const localDate = utcToNswHour(HOUR, TIME_ZONE).date;
    const nextDate = new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const daily = await gql(
      'query($siteId: Int!, $from: AWSDate, $to: AWSDate) { getDailySummary(siteId: $siteId, from: $from, to: $to) { items { date } } }',
      { siteId: SITES[0]?.Site_Id, from: localDate, to: nextDate },
    );
    const items = await everyItem();

    // Assess: stored and served like any recent hour
    expect(ingested).toMatchObject({ status: 'written', hourStart: HOUR_ISO });
    expect(processed).toEqual({ batchItemFailures: [] });
    expect(readings).toEqual({
      data: {
        getAirQualityData: {
          items: [
            expect.objectContaining({
              siteName: SUBURB,
              hourStart: HOUR_ISO,
              measurements: expect.arrayContaining([expect.objectContaining({ parameter: 'PM2.5' })]),
            }),
          ],
        },
      },
    });
    expect(region).toEqual({ data: { getRegionSummary: { items: [{ hourStart: HOUR_ISO }] } } });
    expect(daily).toEqual({ data: { getDailySummary: { items: [{ date: localDate }] } } });
    // Assess: readings, latest, daily, region hour, station and hour fetches items, none carrying an expiry
    expect(new Set(items.map((i) => i.itemType))).toEqual(
      new Set(['station', 'reading', 'latest', 'daily', 'regionHour', 'hourFetches']),
    );
    expect(items.filter((i) => 'expiresAt' in i)).toEqual([]);
    // nothing a TTL could read as a time already past (epoch seconds up to now)
    const nowSeconds = Date.now() / 1000;
    const pastEpochSeconds = items.flatMap((i) =>
      Object.entries(i).filter(([, v]) => typeof v === 'number' && v > 1e9 && v <= nowSeconds),
    );
    expect(pastEpochSeconds).toEqual([]);
  }, 60_000);
});
