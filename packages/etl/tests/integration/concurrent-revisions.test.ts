/**
 * Two fetches of one hour processed at the same time by two workers end with the newer one stored,
 * whatever the interleaving: readings are written in BatchWrites without a condition, and the
 * hour's fetches item lets the worker that overwrote a newer fetch find it and write it back
 * (packages/etl/src/use-cases/readings-writes.ts).
 */
import { generateSampleDataset } from '@opendata-pulse/local/nsw';
import { keys, readingFromItem } from '@opendata-pulse/shared/keys';
import type { NswSite } from '@opendata-pulse/shared/nsw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeEtl } from '../../src/composition';
import type { EtlDeps, HotTable } from '../../src/use-cases/ports';
import { processRawObjects } from '../../src/use-cases/process-raw-objects.use-case';
import {
  clients,
  createBucket,
  createTable,
  dumpTable,
  type EtlTarget,
  etlEnv,
  getItem,
  putRawHour,
  putSitesReference,
  TIME_ZONE,
} from '../support/local-aws';

const { s3, dynamo } = clients();

// Stations only this file uses (ids 34xxx), in regions of their own.
const SITES: NswSite[] = [
  { Site_Id: 34001, SiteName: 'Race Point', Region: 'Race North', Latitude: -33.7, Longitude: 151.2 },
  { Site_Id: 34002, SiteName: 'Photo Finish', Region: 'Race North', Latitude: -33.8, Longitude: 151.1 },
  { Site_Id: 34003, SiteName: 'Dead Heat', Region: 'Race South', Latitude: -34.1, Longitude: 150.9 },
];
const SITE_IDS = SITES.map((s) => s.Site_Id);
const REGIONS = ['Race North', 'Race South'];
const dataset = generateSampleDataset({ stations: SITES, timeZone: TIME_ZONE });
const HOUR = Date.parse('2026-03-10T02:00:00Z');

let rawBucket: string;
let snapshotKey: string;
let revisionKey: string;

async function depsFor(name: string): Promise<EtlDeps> {
  const target: EtlTarget = {
    rawBucket,
    curatedBucket: await createBucket(s3, `${name}-cur`),
    table: await createTable(dynamo, name),
  };
  return composeEtl(() => etlEnv(target)).deps();
}

const ozoneAt = async (deps: EtlDeps, siteId: number) =>
  readingFromItem((await getItem(dynamo, deps.settings.tableName, keys.reading(siteId, HOUR))) ?? {});

beforeAll(async () => {
  rawBucket = await createBucket(s3, 'race-raw');
  await putSitesReference(s3, rawBucket, SITES);
  const snapshot = dataset.observationsFor('2026-03-10', 14);
  const revised = snapshot.map((o) => (o.Parameter.ParameterCode === 'OZONE' ? { ...o, Value: 12.5 } : o));
  snapshotKey = await putRawHour(s3, rawBucket, HOUR, snapshot, '2026-03-10T03:05:00.000Z');
  revisionKey = await putRawHour(s3, rawBucket, HOUR, revised, '2026-03-10T09:30:00.000Z', { revision: true });
});

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

describe('two fetches of one hour processed at once', () => {
  it('end with the newer one, even when the older one is written last, blind', async () => {
    // Prepare: the snapshot then the revision, one after the other: the table both races must leave
    const sequential = await depsFor('race-seq');
    await processRawObjects([{ bucket: rawBucket, key: snapshotKey }], sequential);
    await processRawObjects([{ bucket: rawBucket, key: revisionKey }], sequential);
    const expected = await dumpTable(dynamo, sequential.settings.tableName, SITE_IDS, REGIONS);

    // Act: the snapshot's worker joins the hour's fetches first, then waits to write its readings
    // until the revision's worker has finished: its blind writes land over the newer fetch
    const gated = await depsFor('race-gated');
    let reachedWrite: () => void = () => undefined;
    const atWrite = new Promise<void>((resolve) => {
      reachedWrite = resolve;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const heldBack: HotTable = {
      ...gated.table,
      async putReadings(readings) {
        reachedWrite();
        await released;
        return gated.table.putReadings(readings);
      },
    };
    const older = processRawObjects([{ bucket: rawBucket, key: snapshotKey }], { ...gated, table: heldBack });
    await atWrite;
    await processRawObjects([{ bucket: rawBucket, key: revisionKey }], gated);
    release();
    const olderResult = await older;
    // and the two workers started together, with nothing held back
    const together = await depsFor('race-free');
    await Promise.all([
      processRawObjects([{ bucket: rawBucket, key: snapshotKey }], together),
      processRawObjects([{ bucket: rawBucket, key: revisionKey }], together),
    ]);

    // Assess: the older worker found the newer fetch after writing and wrote it back
    expect(olderResult.table?.newerFetches).toEqual([
      { fetchedAt: '2026-03-10T09:30:00.000Z', bucket: rawBucket, key: revisionKey },
    ]);
    for (const deps of [gated, together]) {
      for (const siteId of SITE_IDS) {
        const reading = await ozoneAt(deps, siteId);
        expect(reading.source).toEqual({ rawKey: revisionKey, fetchedAt: '2026-03-10T09:30:00.000Z' });
        expect(reading.measurements.find((m) => m.parameter === 'OZONE')?.value).toBe(12.5);
      }
      expect(await dumpTable(dynamo, deps.settings.tableName, SITE_IDS, REGIONS)).toEqual(expected);
    }
  });
});
