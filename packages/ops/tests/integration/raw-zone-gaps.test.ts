/**
 * `pulse gaps`' reading of the raw zone and the table, against s3rver and dynalite seeded directly
 * (through shared's key builders and envelopes): a day object makes its hours present, the newest
 * fetch speaks for an hour, and a single station-hour missing in the table is reported.
 * No handler runs here, so these hold whatever the ingest and ETL branches write.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { rawDayKey, rawDayRevisionKey, rawObjectKey, rawRevisionKey, readingToItem } from '@opendata-pulse/shared/keys';
import type { Station } from '@opendata-pulse/shared/model';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { newestRawHour } from '@opendata-pulse/shared/pipeline';
import { buildRawDayEnvelope, buildRawEnvelope } from '@opendata-pulse/shared/raw';
import { HOUR_MS, toHourIso } from '@opendata-pulse/shared/time';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { findGaps } from '../../src/use-cases/gaps.use-case';
import { rawSpeakers } from '../../src/use-cases/raw-presence';
import { rawKeysForDate } from '../../src/use-cases/reprocess.use-case';
import { LIVERPOOL, putCuratedHour, putRegionHour, putStations, ROZELLE } from '../support/seed';
import { clientsFor, createTestResources, type TestClients, type TestResources } from '../support/test-stack';

const local = inject('localAws');
const SYDNEY = 'Australia/Sydney';
// NSW local 2026-11-21 (AEDT, UTC+11) Hours 1-3 are these UTC hours
const H = [0, 1, 2].map((n) => Date.parse('2026-11-20T13:00:00Z') + n * HOUR_MS);
const [H0, H1, H2] = H as [number, number, number];

function observations(localDate: string, hours: number[], stations: Station[]): NswObservation[] {
  return hours.flatMap((hour) =>
    stations.map((s) => ({
      Site_Id: s.siteId,
      Parameter: { ParameterCode: 'PM10', Units: 'µg/m³' },
      Date: localDate,
      Hour: hour,
      Value: 10,
      AirQualityCategory: 'GOOD',
    })),
  );
}

const capture = (fetchedAt: string, observed: NswObservation[]) => ({
  source: {
    url: 'http://nsw.test/api/Data',
    operation: 'get_Observations',
    label: 'custom' as const,
    timeZone: SYDNEY,
  },
  request: { method: 'POST' as const, body: null },
  fetchedAt,
  recordCount: observed.length,
  ingestVersion: 'test',
  response: { status: 200, contentType: 'application/json', body: JSON.stringify(observed) },
});

describe('raw zone and table as gaps reads them', () => {
  let clients: TestClients;
  let resources: TestResources;
  let deps: Parameters<typeof findGaps>[0];

  async function putRaw(key: string, body: unknown, metadata: Record<string, string> = {}) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: resources.rawBucket, Key: key, Body: JSON.stringify(body), Metadata: metadata }),
    );
  }

  async function putReading(station: Station, hour: number, rawKey: string) {
    await clients.dynamo.send(
      new PutCommand({
        TableName: resources.table,
        Item: readingToItem({
          siteId: station.siteId,
          siteName: station.name,
          suburb: station.suburb,
          region: station.region,
          hourStart: new Date(hour).toISOString(),
          measurements: [],
          source: { rawKey, fetchedAt: '2026-11-21T04:00:00Z' },
        }),
      }),
    );
  }

  beforeEach(async () => {
    clients = clientsFor(local);
    resources = await createTestResources(local, clients);
    deps = {
      s3: clients.s3,
      dynamo: clients.dynamo,
      rawBucket: resources.rawBucket,
      curatedBucket: resources.curatedBucket,
      table: resources.table,
      timeZone: SYDNEY,
    };
  });
  afterEach(() => {
    clients.s3.destroy();
    clients.dynamo.destroy();
    clients.sqs.destroy();
  });

  it('freshness sees the newest hour a day object holds, beside the hour objects', async () => {
    // Prepare: a snapshot of H0 and, newer, a backfilled day holding H0-H2
    await putRaw(
      rawObjectKey(H0),
      buildRawEnvelope({ hourStart: toHourIso(H0), ...capture('2026-11-20T14:05:00Z', []) }),
    );
    const now = H2 + 3 * HOUR_MS;
    const before = await newestRawHour(clients.s3, resources.rawBucket, now);
    await putRaw(
      rawDayKey('2026-11-21'),
      buildRawDayEnvelope({ localDate: '2026-11-21', ...capture('2026-11-21T04:00:00Z', []) }),
      {
        'fetched-at': '2026-11-21T04:00:00Z',
        'first-hour': toHourIso(H0),
        'last-hour': toHourIso(H2),
      },
    );

    // Act
    const after = await newestRawHour(clients.s3, resources.rawBucket, now);

    // Assert
    expect(before?.hourStart).toBe(H0);
    expect(after?.hourStart).toBe(H2);
    expect(await newestRawHour(clients.s3, resources.rawBucket, H1)).toMatchObject({ hourStart: H0 });
  });

  it('a day object makes its hours present, and a single missing station-hour is reported', async () => {
    // Prepare: only a day object in raw (no hour keys); every hour curated with region summaries;
    // every station-hour has its reading except Liverpool at the middle hour
    const dayKey = rawDayKey('2026-11-21');
    await putRaw(
      dayKey,
      buildRawDayEnvelope({
        localDate: '2026-11-21',
        ...capture('2026-11-21T04:00:00Z', observations('2026-11-21', [1, 2, 3], [ROZELLE, LIVERPOOL])),
      }),
      { 'fetched-at': '2026-11-21T04:00:00Z', 'first-hour': toHourIso(H0), 'last-hour': toHourIso(H2) },
    );
    await putStations(clients, resources, [ROZELLE, LIVERPOOL]);
    for (const hour of H) {
      await putCuratedHour(clients, resources, hour);
      await putRegionHour(clients, resources, ROZELLE, hour);
      await putRegionHour(clients, resources, LIVERPOOL, hour);
      await putReading(ROZELLE, hour, dayKey);
      if (hour !== H1) await putReading(LIVERPOOL, hour, dayKey);
    }

    // Act
    const report = await findGaps(deps, H0, H2 + HOUR_MS, H);

    // Assess
    expect(report.missing).toEqual({
      raw: [],
      curated: [],
      table: [toHourIso(H1)],
      stationHours: [{ hour: toHourIso(H1), siteId: LIVERPOOL.siteId }],
    });
    expect(report.gaps).toEqual([
      { hour: toHourIso(H1), raw: true, curated: true, table: false, missingStations: [LIVERPOOL.siteId] },
    ]);
    expect(report.unreadableRaw).toBeUndefined();
  });

  it('the newest fetch speaks for each hour: a day over an older snapshot, a newer hour revision over the day', async () => {
    // Prepare: a snapshot of H0 fetched before the day; a revision of H2 fetched after it;
    // the day object carries no hour metadata, so it is read to learn which hours it holds
    const body = (hours: number[]) => observations('2026-11-21', hours, [ROZELLE]);
    const snapshot = rawObjectKey(H0);
    await putRaw(
      snapshot,
      buildRawEnvelope({ hourStart: toHourIso(H0), ...capture('2026-11-20T14:05:00Z', body([1])) }),
      { 'fetched-at': '2026-11-20T14:05:00Z' },
    );
    const dayKey = rawDayKey('2026-11-21');
    await putRaw(
      dayKey,
      buildRawDayEnvelope({ localDate: '2026-11-21', ...capture('2026-11-21T04:00:00Z', body([1, 2, 3])) }),
    );
    const revision = buildRawEnvelope({ hourStart: toHourIso(H2), ...capture('2026-11-22T00:00:00Z', body([3])) });
    const revisionKey = rawRevisionKey(H2, revision.fetchedAt, revision.contentSha256);
    await putRaw(revisionKey, revision);

    // Act
    const found = await rawSpeakers({ s3: clients.s3, bucket: resources.rawBucket, timeZone: SYDNEY }, H);

    // Assess
    expect([...found.speakers.entries()]).toEqual([
      [H0, dayKey],
      [H1, dayKey],
      [H2, revisionKey],
    ]);
    expect(found.unreadable).toEqual([]);
  });

  it('a UTC date selects every version of its hours and of the day objects of the local dates it touches', async () => {
    // Prepare: UTC 2026-11-20 falls on Sydney's 2026-11-20 and 2026-11-21
    const empty = (localDate: string) => buildRawDayEnvelope({ localDate, ...capture('2026-11-21T04:00:00Z', []) });
    const stored = [
      rawDayKey('2026-11-20'),
      rawDayKey('2026-11-21'),
      rawDayRevisionKey('2026-11-21', '2026-11-22T00:00:00Z', 'ab'.repeat(32)),
      rawDayKey('2026-11-22'),
      rawObjectKey(H0),
      rawRevisionKey(H0, '2026-11-21T00:00:00Z', 'cd'.repeat(32)),
      rawObjectKey(Date.parse('2026-11-21T00:00:00Z')),
    ];
    for (const key of stored) await putRaw(key, empty('2026-11-20'));

    // Act
    const keys = await rawKeysForDate(clients.s3, resources.rawBucket, '2026-11-20', SYDNEY);

    // Assess
    expect(keys).toEqual(stored.slice(0, 3).concat(stored.slice(4, 6)));
  });
});
