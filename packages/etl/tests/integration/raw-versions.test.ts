/**
 * Every kind of raw object through the real handler: an NSW local day (a backfill's one object
 * per date) becomes each of its hours in the table and the curated zone with the day key as
 * lineage; an hour's later, different fetch (a revision beside HH.json) replaces the snapshot's
 * readings whatever the order they are processed in; a corrupt day object fails alone.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { generateSampleDataset } from '@opendata-pulse/local/nsw';
import { buildS3Notification } from '@opendata-pulse/shared/events';
import { curatedObjectKey, dailyFromItem, keys, readingFromItem } from '@opendata-pulse/shared/keys';
import type { NswObservation, NswSite } from '@opendata-pulse/shared/nsw';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURATED_METADATA } from '../../src/adapters/curated-store';
import { ObjectsFailedError } from '../../src/use-cases/errors';
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
  objectCreatedBatch,
  partition,
  putRawDay,
  putRawHour,
  putSitesReference,
  TIME_ZONE,
} from '../support/local-aws';

const { s3, dynamo } = clients();

// Stations only this file uses (ids 33xxx), in regions of their own.
const SITES: NswSite[] = [
  { Site_Id: 33001, SiteName: 'Daybreak', Region: 'Version East', Latitude: -33.7, Longitude: 151.2 },
  { Site_Id: 33002, SiteName: 'Revision Hill', Region: 'Version East', Latitude: -33.8, Longitude: 151.1 },
  { Site_Id: 33003, SiteName: 'Snapshot Bay', Region: 'Version West', Latitude: -34.1, Longitude: 150.9 },
];
const SITE_IDS = SITES.map((s) => s.Site_Id);
const REGIONS = ['Version East', 'Version West'];
const dataset = generateSampleDataset({ stations: SITES, timeZone: TIME_ZONE });

/** NSW's whole answer for a local date: every labelled hour 1–24 of every station. */
function wholeDay(date: string): NswObservation[] {
  return Array.from({ length: 24 }, (_, i) => dataset.observationsFor(date, i + 1)).flat();
}

/** The UTC hours of a local date in AEDT (UTC+11), ascending. */
function hoursOfAedtDate(date: string): string[] {
  const first = Date.parse(`${date}T00:00:00+11:00`);
  return Array.from({ length: 24 }, (_, i) => new Date(first + i * HOUR_MS).toISOString());
}

let rawBucket: string;

async function newTarget(name: string): Promise<EtlTarget> {
  return {
    rawBucket,
    curatedBucket: await createBucket(s3, `${name}-cur`),
    table: await createTable(dynamo, name),
  };
}

function reprocess(target: EtlTarget, objectKeys: readonly string[]) {
  return etlHandler(target)(buildS3Notification(rawBucket, objectKeys, local.region), lambdaContext());
}

async function curatedFile(bucket: string, hour: string | number) {
  const key = curatedObjectKey(hour);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { metadata: head.Metadata ?? {}, bytes: Buffer.from((await got.Body?.transformToByteArray()) ?? []) };
}

beforeAll(async () => {
  rawBucket = await createBucket(s3, 'versions-raw');
  await putSitesReference(s3, rawBucket, SITES);
});

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

describe('a raw day object', () => {
  it('puts every hour of its date in the table and the curated zone, each reading naming the day key', async () => {
    // Prepare
    const target = await newTarget('versions-day');
    const date = '2026-02-10';
    const observations = wholeDay(date);
    const fetchedAt = '2026-02-12T03:04:05.000Z';
    const dayKey = await putRawDay(s3, rawBucket, date, observations, fetchedAt);
    const hours = hoursOfAedtDate(date);

    // Act
    const summary = await reprocess(target, [dayKey]);

    // Assess: the summary names the day's hours; every station has a reading in each, from the day key
    expect(summary).toEqual({
      processed: 1,
      skipped: 0,
      failed: 0,
      objects: [{ bucket: rawBucket, key: dayKey, status: 'processed', hours, readings: 72, olderReadings: 0 }],
    });
    for (const siteId of SITE_IDS) {
      const readings = (await partition(dynamo, target.table, keys.site(siteId)))
        .filter((item) => String(item.SK).startsWith('HOUR#'))
        .map(readingFromItem);
      expect(readings.map((r) => r.hourStart)).toEqual(hours);
      expect(readings.every((r) => r.source.rawKey === dayKey && r.source.fetchedAt === fetchedAt)).toBe(true);
      const daily = dailyFromItem((await getItem(dynamo, target.table, keys.daily(siteId, date))) ?? {});
      const no2 = daily.parameters.find((p) => p.parameter === 'NO2');
      expect((no2?.count ?? 0) + (no2?.excluded ?? 0)).toBe(24);
    }
    for (const hour of hours) {
      const { metadata } = await curatedFile(target.curatedBucket, hour);
      const rows = observations.filter((o) => o.Hour === hours.indexOf(hour) + 1).length;
      expect(metadata).toMatchObject({
        [CURATED_METADATA.rawKey]: dayKey,
        [CURATED_METADATA.fetchedAt]: fetchedAt,
        [CURATED_METADATA.rows]: String(rows),
      });
    }
  });
});

describe('an hour revision', () => {
  it("replaces the snapshot's readings with a newer fetch, and the snapshot processed afterwards (or before) changes nothing", async () => {
    // Prepare: the snapshot, and a later different fetch of the same hour stored beside it
    const hour = Date.parse('2026-02-15T02:00:00Z');
    const snapshot = dataset.observationsFor('2026-02-15', 14);
    const revised = snapshot.map((o) =>
      o.Site_Id === 33002 && o.Parameter.ParameterCode === 'OZONE' ? { ...o, Value: 13.5 } : o,
    );
    const snapshotKey = await putRawHour(s3, rawBucket, hour, snapshot, '2026-02-15T03:05:00.000Z');
    const revisionKey = await putRawHour(s3, rawBucket, hour, revised, '2026-02-15T09:30:00.000Z', { revision: true });
    const forward = await newTarget('versions-fwd');
    const backward = await newTarget('versions-bwd');

    // Act: snapshot then revision then the snapshot again; and into another table the other way round
    await reprocess(forward, [snapshotKey]);
    const fromRevision = await reprocess(forward, [revisionKey]);
    const afterRevision = await dumpTable(dynamo, forward.table, SITE_IDS, REGIONS);
    const curatedAfterRevision = await curatedFile(forward.curatedBucket, hour);
    const snapshotAgain = await reprocess(forward, [snapshotKey]);
    await reprocess(backward, [revisionKey]);
    await reprocess(backward, [snapshotKey]);

    // Assess: the revision's readings stand, naming its key; the older snapshot wrote nothing
    expect(revisionKey).toMatch(/\/2026\/02\/15\/02\.rev-20260215T093000Z-[a-f0-9]{8}\.json$/);
    expect(fromRevision).toMatchObject({
      objects: [{ key: revisionKey, status: 'processed', hourStart: new Date(hour).toISOString(), readings: 3 }],
    });
    const reading = readingFromItem((await getItem(dynamo, forward.table, keys.reading(33002, hour))) ?? {});
    expect(reading.source).toEqual({ rawKey: revisionKey, fetchedAt: '2026-02-15T09:30:00.000Z' });
    expect(reading.measurements.find((m) => m.parameter === 'OZONE')?.value).toBe(13.5);
    expect(snapshotAgain).toMatchObject({ objects: [{ key: snapshotKey, readings: 3, olderReadings: 3 }] });
    expect(await dumpTable(dynamo, forward.table, SITE_IDS, REGIONS)).toEqual(afterRevision);
    expect(await curatedFile(forward.curatedBucket, hour)).toEqual(curatedAfterRevision);
    expect(curatedAfterRevision.metadata[CURATED_METADATA.rawKey]).toBe(revisionKey);
    expect(await dumpTable(dynamo, backward.table, SITE_IDS, REGIONS)).toEqual(afterRevision);
    expect((await curatedFile(backward.curatedBucket, hour)).bytes).toEqual(curatedAfterRevision.bytes);
  });
});

describe('a corrupt day object', () => {
  it('fails alone in a queue batch, beside a day and a newer revision of one of its hours', async () => {
    // Prepare: a good day, a later revision of its 06:00Z hour, and a day whose envelope names another date
    const target = await newTarget('versions-batch');
    const date = '2026-02-20';
    const dayKey = await putRawDay(s3, rawBucket, date, wholeDay(date), '2026-02-22T00:00:00.000Z');
    const hour = Date.parse('2026-02-20T06:00:00Z');
    const revised = dataset.observationsFor(date, 18).map((o) => ({ ...o, Value: o.Value === null ? 1 : o.Value + 1 }));
    const revisionKey = await putRawHour(s3, rawBucket, hour, revised, '2026-02-23T00:00:00.000Z', { revision: true });
    const badKey = await putRawDay(s3, rawBucket, '2026-02-21', wholeDay('2026-02-21'), '2026-02-22T00:00:00.000Z', {
      envelopeDate: '2026-02-19',
    });

    // Act
    const response = (await etlHandler(target)(
      objectCreatedBatch(rawBucket, [dayKey, badKey, revisionKey], 'versions'),
      lambdaContext(),
    )) as SQSBatchResponse;

    // Assess: only the bad day's message fails; the revision's hour beats the day's, the rest are the day's
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'versions-1' }]);
    const readings = (await partition(dynamo, target.table, keys.site(33001)))
      .filter((item) => String(item.SK).startsWith('HOUR#'))
      .map(readingFromItem);
    expect(readings).toHaveLength(24);
    expect(readings.filter((r) => r.source.rawKey === revisionKey).map((r) => r.hourStart)).toEqual([
      '2026-02-20T06:00:00.000Z',
    ]);
    expect(readings.filter((r) => r.source.rawKey === dayKey)).toHaveLength(23);
    expect((await curatedFile(target.curatedBucket, hour)).metadata[CURATED_METADATA.rawKey]).toBe(revisionKey);
  });

  it('is named with a clear reason in a plain S3 event, as is a day holding no hour of its date', async () => {
    // Prepare
    const target = await newTarget('versions-bad');
    const mismatched = await putRawDay(
      s3,
      rawBucket,
      '2026-02-25',
      wholeDay('2026-02-25'),
      '2026-02-26T00:00:00.000Z',
      {
        envelopeDate: '2026-02-24',
      },
    );
    const empty = await putRawDay(s3, rawBucket, '2026-02-26', wholeDay('2026-02-27'), '2026-02-28T00:00:00.000Z');

    // Act
    const error = await reprocess(target, [mismatched, empty]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ObjectsFailedError);
    expect((error as ObjectsFailedError).failed).toEqual([
      {
        bucket: rawBucket,
        key: mismatched,
        reason: `raw day envelope names local date 2026-02-24 but its key ${mismatched} names 2026-02-25`,
        errorType: 'Validation',
      },
      {
        bucket: rawBucket,
        key: empty,
        reason:
          `raw day object ${empty} holds no observation of 2026-02-26 that can be placed in an hour ` +
          `(${wholeDay('2026-02-27').length} received: ${wholeDay('2026-02-27').length} labelled with another date, 0 unplaceable in ${TIME_ZONE})`,
        errorType: 'Validation',
      },
    ]);
    expect(await partition(dynamo, target.table, keys.site(33001))).toEqual([]);
  });
});
