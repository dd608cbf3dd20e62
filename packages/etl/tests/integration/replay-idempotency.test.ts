/**
 * Replaying raw objects any number of times, in any order, leaves the same table and lake:
 * two tables fed the same raw objects, one in order and one shuffled, replayed and raced, end
 * byte-identical; an older object processed after a newer one changes nothing.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateSampleDataset } from '@opendata-pulse/local/nsw';
import { buildS3Notification } from '@opendata-pulse/shared/events';
import { curatedObjectKey, keys, readingFromItem } from '@opendata-pulse/shared/keys';
import type { NswSite } from '@opendata-pulse/shared/nsw';
import { HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clients,
  createBucket,
  createTable,
  dumpTable,
  type EtlTarget,
  etlHandler,
  getItem,
  lambdaContext,
  local,
  putRawHour,
  putSitesReference,
  TIME_ZONE,
} from '../support/local-aws';
import { nswRowAt } from '../support/nsw-rows';

const { s3, dynamo } = clients();

const SITES: NswSite[] = [
  { Site_Id: 32001, SiteName: 'Replay Point', Region: 'Replay North', Latitude: -33.7, Longitude: 151.2 },
  { Site_Id: 32002, SiteName: 'Echo Valley', Region: 'Replay North', Latitude: -33.8, Longitude: 151.1 },
  { Site_Id: 32003, SiteName: 'Encore', Region: 'Replay South', Latitude: -34.1, Longitude: 150.9 },
];
const SITE_IDS = SITES.map((s) => s.Site_Id);
const REGIONS = ['Replay North', 'Replay South'];
// 30 hours from 2026-01-15T00:00Z (11:00 AEDT): crosses local midnight and a whole local day.
const FIRST = Date.parse('2026-01-15T00:00:00Z');
const HOURS = Array.from({ length: 30 }, (_, i) => FIRST + i * HOUR_MS);
const FETCHED = (h: number) => new Date(h + HOUR_MS + 5 * 60_000).toISOString();
const dataset = generateSampleDataset({ stations: SITES, timeZone: TIME_ZONE });

function observationsAt(h: number) {
  const { date, hour } = utcToNswHour(h, TIME_ZONE);
  return dataset.observationsFor(date, hour);
}

/** A deterministic shuffle (the same every run). */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let rawBucket: string;
let inOrder: EtlTarget;
let shuffledTarget: EtlTarget;
let rawKeys: string[];

beforeAll(async () => {
  rawBucket = await createBucket(s3, 'replay-raw');
  await putSitesReference(s3, rawBucket, SITES);
  inOrder = {
    rawBucket,
    curatedBucket: await createBucket(s3, 'replay-cur-a'),
    table: await createTable(dynamo, 'replay-a'),
  };
  shuffledTarget = {
    rawBucket,
    curatedBucket: await createBucket(s3, 'replay-cur-b'),
    table: await createTable(dynamo, 'replay-b'),
  };
  rawKeys = [];
  for (const h of HOURS) rawKeys.push(await putRawHour(s3, rawBucket, h, observationsAt(h), FETCHED(h)));
});

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

async function curatedBytes(bucket: string, hour: number) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: curatedObjectKey(hour) }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

function reprocess(target: EtlTarget, objectKeys: readonly string[]) {
  return etlHandler(target)(buildS3Notification(rawBucket, objectKeys, local.region), lambdaContext());
}

describe('replaying raw objects', () => {
  it('leaves the same table whether objects come in order, shuffled, twice, or racing each other', async () => {
    // Act: A one object at a time in time order; B shuffled, racing in two invocations, then all again
    for (const key of rawKeys) await reprocess(inOrder, [key]);
    const order = shuffled(rawKeys);
    await Promise.all([reprocess(shuffledTarget, order.slice(0, 15)), reprocess(shuffledTarget, order.slice(15))]);
    await reprocess(shuffledTarget, shuffled(order));
    const dumpA = await dumpTable(dynamo, inOrder.table, SITE_IDS, REGIONS);
    const dumpB = await dumpTable(dynamo, shuffledTarget.table, SITE_IDS, REGIONS);
    await reprocess(shuffledTarget, rawKeys);
    const dumpB2 = await dumpTable(dynamo, shuffledTarget.table, SITE_IDS, REGIONS);

    // Assess: 3 stations x (30 readings + latest + 2 or 3 local days) + station items + region hours
    expect(dumpA.length).toBeGreaterThan(3 * 30 + 2 * 30);
    expect(dumpB).toEqual(dumpA);
    expect(dumpB2).toEqual(dumpA);
    for (const h of HOURS) {
      expect(await curatedBytes(shuffledTarget.curatedBucket, h)).toEqual(await curatedBytes(inOrder.curatedBucket, h));
    }
  });

  it('changes nothing when an older object is processed after a newer one, and the newer one corrects later hours', async () => {
    // Prepare: hour 10 fetched again later with a high ozone value at one station
    const hour = HOURS[10] ?? 0;
    const key = rawKeys[10] ?? '';
    const older = observationsAt(hour);
    const newer = older.map((o) =>
      o.Site_Id === 32001 && o.Parameter.ParameterCode === 'OZONE' ? { ...o, Value: 14 } : o,
    );
    const before = await dumpTable(dynamo, inOrder.table, SITE_IDS, REGIONS);
    const laterBefore = readingFromItem(
      (await getItem(dynamo, inOrder.table, keys.reading(32001, hour + 2 * HOUR_MS))) ?? {},
    );

    // Act: the newer object into both tables; then the older one back in place, into B only
    await putRawHour(s3, rawBucket, hour, newer, '2026-02-01T00:00:00.000Z');
    await reprocess(inOrder, [key]);
    await reprocess(shuffledTarget, [key]);
    const curatedNewer = await curatedBytes(inOrder.curatedBucket, hour);
    await putRawHour(s3, rawBucket, hour, older, FETCHED(hour));
    const summary = await reprocess(shuffledTarget, [key]);

    // Assess
    const dumpA = await dumpTable(dynamo, inOrder.table, SITE_IDS, REGIONS);
    expect(await dumpTable(dynamo, shuffledTarget.table, SITE_IDS, REGIONS)).toEqual(dumpA);
    expect(dumpA).not.toEqual(before);
    expect(summary).toMatchObject({ objects: [{ key, status: 'processed', readings: 3, olderReadings: 3 }] });
    expect(await curatedBytes(shuffledTarget.curatedBucket, hour)).toEqual(curatedNewer);
    const later = readingFromItem(
      (await getItem(dynamo, inOrder.table, keys.reading(32001, hour + 2 * HOUR_MS))) ?? {},
    );
    const ozone = (r: typeof later) => r.measurements.find((m) => m.parameter === 'OZONE')?.rolling?.[0];
    expect(ozone(later)?.value).toBeGreaterThan((ozone(laterBefore)?.value ?? 0) + 2);
    expect(ozone(later)?.hours).toBe(4);
  });
});

describe('stations without a sites reference', () => {
  it('stores "Station <id>" in region Unknown, flagged, and a replay after the reference arrives fixes it', async () => {
    // Prepare: a raw bucket with no reference yet
    const bare = await createBucket(s3, 'noref-raw');
    const target = {
      rawBucket: bare,
      curatedBucket: await createBucket(s3, 'noref-cur'),
      table: await createTable(dynamo, 'noref'),
    };
    const hour = Date.parse('2026-01-20T00:00:00Z');
    const key = await putRawHour(s3, bare, hour, [nswRowAt(32009, 'NO2', hour, 1, 'GOOD')], '2026-01-20T01:00:00.000Z');
    const run = () => etlHandler(target)(buildS3Notification(bare, [key], local.region), lambdaContext());

    // Act
    await run();
    const first = readingFromItem((await getItem(dynamo, target.table, keys.reading(32009, hour))) ?? {});
    const firstStation = await getItem(dynamo, target.table, keys.station(32009));
    // as if stored while readings were in the index (docs/architecture.md, "key design")
    await dynamo.send(
      new UpdateCommand({
        TableName: target.table,
        Key: keys.reading(32009, hour),
        UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
        ExpressionAttributeValues: { ':pk': 'SUBURB#station 32009', ':sk': 'HOUR#2026-01-20T00:00:00Z#SITE#32009' },
      }),
    );
    await putSitesReference(s3, bare, [{ Site_Id: 32009, SiteName: 'Late Reference', Region: 'Sydney East' }]);
    await run();
    const secondItem = await getItem(dynamo, target.table, keys.reading(32009, hour));
    const second = readingFromItem(secondItem ?? {});
    const secondStation = await getItem(dynamo, target.table, keys.station(32009));

    // Assess
    expect(first).toMatchObject({ siteName: 'Station 32009', suburb: 'Station 32009', region: 'Unknown' });
    expect(first.source.stationFallback).toBe(true);
    expect(firstStation).toMatchObject({
      name: 'Station 32009',
      region: 'Unknown',
      GSI1PK: keys.stationIndex('Unknown'),
    });
    expect(second).toMatchObject({ siteName: 'Late Reference', suburb: 'Late Reference', region: 'Sydney East' });
    expect(second.source).toEqual({ rawKey: key, fetchedAt: '2026-01-20T01:00:00.000Z' });
    expect(second.measurements).toEqual(first.measurements);
    expect(secondStation).toMatchObject({ name: 'Late Reference', GSI1PK: keys.stationIndex('Sydney East') });
    expect(secondItem).not.toHaveProperty('GSI1PK');
    expect(secondItem).not.toHaveProperty('GSI1SK');
  });
});
