/**
 * A 30-day backfill of 20 stations through the real handler: 720 raw hours in SQS-shaped batches
 * of 10, two invocations at a time (as Lambda would run them), into a table and lake of its own.
 * Everything lands, nothing fails or is throttled, and the derived figures match an independent
 * computation from the same dataset (so parallel invocations did not leave stale figures).
 */
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { generateSampleDataset, syntheticStations } from '@opendata-pulse/local/nsw';
import { buildEventBridgeObjectCreated } from '@opendata-pulse/shared/events';
import {
  CURATED_PREFIX,
  dailyFromItem,
  GSI_NAME,
  keys,
  latestFromItem,
  rawObjectKey,
  readingFromItem,
  regionHourFromItem,
} from '@opendata-pulse/shared/keys';
import { isUsable } from '@opendata-pulse/shared/model';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clients,
  createBucket,
  createTable,
  type EtlTarget,
  etlHandler,
  getItem,
  lambdaContext,
  local,
  putRawHour,
  putSitesReference,
  queryAll,
  TIME_ZONE,
} from '../support/local-aws';

const { s3, dynamo } = clients();
const SITES = syntheticStations(20);
const dataset = generateSampleDataset({ stations: SITES, timeZone: TIME_ZONE });
// 30 days across the end of daylight saving (2026-04-05 in Sydney: a 25-hour local day).
const FIRST = Date.parse('2026-03-20T00:00:00Z');
const HOURS = Array.from({ length: 30 * 24 }, (_, i) => FIRST + i * HOUR_MS);
const fetchedAt = (h: number) => new Date(h + HOUR_MS + 7 * 60_000).toISOString();

const observations = new Map<number, NswObservation[]>();
for (const h of HOURS) {
  const { date, hour } = utcToNswHour(h, TIME_ZONE);
  // The label of the repeated hour's second pass is the first pass's: that object holds no hour of its own.
  observations.set(
    h,
    dataset.observationsFor(date, hour).filter(() => utcToNswHour(h - HOUR_MS, TIME_ZONE).hour !== hour),
  );
}

/** The dataset's value for a station, parameter and hour: what the table should hold. */
function valueAt(siteId: number, parameter: string, h: number): number | null | undefined {
  return observations.get(h)?.find((o) => o.Site_Id === siteId && o.Parameter.ParameterCode === parameter)?.Value;
}

let target: EtlTarget;

beforeAll(async () => {
  target = {
    rawBucket: await createBucket(s3, 'backfill-raw'),
    curatedBucket: await createBucket(s3, 'backfill-cur'),
    table: await createTable(dynamo, 'backfill'),
  };
  await putSitesReference(s3, target.rawBucket, SITES);
  for (let i = 0; i < HOURS.length; i += 48) {
    await Promise.all(
      HOURS.slice(i, i + 48).map((h) => putRawHour(s3, target.rawBucket, h, observations.get(h) ?? [], fetchedAt(h))),
    );
  }
}, 120_000);

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

function sqsBatch(hours: number[], offset: number): SQSEvent {
  return {
    Records: hours.map((h, i) => ({
      messageId: `backfill-${offset + i}`,
      receiptHandle: `rh-${offset + i}`,
      body: JSON.stringify(
        buildEventBridgeObjectCreated({
          bucket: target.rawBucket,
          key: rawObjectKey(h),
          region: local.region,
          account: '000000000000',
        }),
      ),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(h),
        SenderId: 'backfill',
        ApproximateFirstReceiveTimestamp: String(h),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${local.region}:000000000000:opendata-pulse-processing-local`,
      awsRegion: local.region,
    })),
  };
}

describe('30-day backfill of 20 stations', () => {
  it('stores every station-hour and its derived figures without a failed or throttled record', async () => {
    // Act: batches of 10 in time order, two invocations in flight
    const handler = etlHandler(target);
    const batches = Array.from({ length: HOURS.length / 10 }, (_, b) =>
      sqsBatch(HOURS.slice(b * 10, b * 10 + 10), b * 10),
    );
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < batches.length) {
          const batch = batches[next++] as SQSEvent;
          const response = (await handler(batch, lambdaContext())) as SQSBatchResponse;
          failures.push(...response.batchItemFailures.map((f) => f.itemIdentifier));
        }
      }),
    );

    // Assess: nothing failed; every hour with data is stored for every station
    expect(failures).toEqual([]);
    const hoursWithData = HOURS.filter((h) => (observations.get(h)?.length ?? 0) > 0);
    expect(hoursWithData).toHaveLength(719);
    for (const site of [SITES[0], SITES[19]]) {
      const items = await queryAll(dynamo, {
        TableName: target.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hour)',
        ExpressionAttributeValues: { ':pk': keys.site(site?.Site_Id ?? 0), ':hour': 'HOUR#' },
      });
      expect(items).toHaveLength(719);
    }

    // rolling averages equal an independent computation from the dataset, across the whole range
    const siteId = SITES[7]?.Site_Id ?? 0;
    for (const h of [HOURS[0], HOURS[5], HOURS[100], HOURS[400], HOURS[719]] as number[]) {
      const stored = readingFromItem((await getItem(dynamo, target.table, keys.reading(siteId, h))) ?? {});
      for (const [parameter, window] of [
        ['OZONE', 4],
        ['CO', 8],
        ['PM2.5', 24],
      ] as const) {
        const values = Array.from({ length: window }, (_, i) => valueAt(siteId, parameter, h - i * HOUR_MS)).filter(
          isUsable,
        );
        const rolling = stored.measurements.find((m) => m.parameter === parameter)?.rolling?.[0];
        expect(rolling?.hours).toBe(values.length);
        expect(rolling?.value).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
      }
    }

    // the 25-hour local day has a daily summary over 24 labelled hours
    const day = await getItem(dynamo, target.table, keys.daily(siteId, '2026-04-05'));
    const ozone = dailyFromItem(day ?? {}).parameters.find((p) => p.parameter === 'OZONE');
    expect((ozone?.count ?? 0) + (ozone?.excluded ?? 0)).toBe(24);
    expect(ozone?.coverage).toBe(Math.round(((ozone?.count ?? 0) / 25) * 1000) / 10);

    // latest per station is the last hour; the last hour's region summaries list their stations
    const last = HOURS[HOURS.length - 1] ?? 0;
    const latest = await queryAll(dynamo, {
      TableName: target.table,
      IndexName: GSI_NAME,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.latestIndex('Sydney East') },
    });
    expect(latest.map((i) => latestFromItem(i).hourStart)).toEqual(Array(4).fill(new Date(last).toISOString()));
    for (const region of ['Sydney East', 'Sydney North-west', 'Sydney South-west', 'Illawarra', 'Lower Hunter']) {
      const summary = regionHourFromItem((await getItem(dynamo, target.table, keys.regionHour(region, last))) ?? {});
      expect(summary.stations).toHaveLength(4);
    }

    // one curated file per raw hour
    let files = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: target.curatedBucket, Prefix: CURATED_PREFIX },
    )) {
      files += page.KeyCount ?? 0;
    }
    expect(files).toBe(720);
  }, 300_000);
});
