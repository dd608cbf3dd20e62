/**
 * nearestStations and exportAirQualityData over HTTP through the local GraphQL server
 * (AppSync's auth and validation, the real handler), dynalite and s3rver: the export's URL is
 * downloaded with fetch, as a browser would.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { stationToItem } from '@opendata-pulse/shared/keys';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlResponse, startApiHarness, USER_TOKEN } from '../support/api-harness';
import { seedStations, station, writeItems } from '../support/fixtures';

// One table serves every test file of the run: ids, names and a patch of ocean unique to this file
// (the South Pacific, far from any other test's stations at -33.8, 151.1).
const RUN = randomUUID().slice(0, 8);
const BASE_ID = randomInt(10_000, 90_000);
const REGION = `Geo Region ${RUN}`;
const SUBURB = `Exportville ${RUN}`;
const ORIGIN = { latitude: -50 + randomInt(0, 1000) / 1000, longitude: -140 + randomInt(0, 1000) / 1000 };
const NOW = Date.UTC(2026, 10, 20, 12, 30);
const HOURS = Array.from({ length: 30 }, (_, i) => Date.UTC(2026, 10, 19) + i * HOUR_MS);

const near = (id: number, name: string, dLat: number, suburb = name) => ({
  ...station(BASE_ID + id, name, REGION, suburb),
  latitude: ORIGIN.latitude + dLat,
  longitude: ORIGIN.longitude,
});
// 0.01 degree of latitude is ~1.11 km
const first = near(1, `${SUBURB} One`, 0.01, SUBURB);
const second = near(2, `${SUBURB} Two`, -0.02, SUBURB);
const third = near(3, `Far ${RUN}`, 0.1);
const fourth = near(5, `Farther ${RUN}`, 0.5);
const fifth = near(6, `Farthest ${RUN}`, -1);
const sixth = near(7, `Beyond ${RUN}`, 2);
const unlocated = { ...station(BASE_ID + 4, `Nowhere ${RUN}`, REGION), latitude: null, longitude: null };

let api: Awaited<ReturnType<typeof startApiHarness>>;

beforeAll(async () => {
  api = await startApiHarness({ now: () => NOW });
  await seedStations(api.seedClient, api.table, [first, second, third, fourth, fifth, sixth], HOURS);
  await writeItems(api.seedClient, api.table, [stationToItem(unlocated)]);
});

afterAll(async () => {
  await api?.close();
});

const NEAREST = /* GraphQL */ `
  query Nearest($latitude: Float!, $longitude: Float!, $limit: Int, $maxDistanceKm: Float) {
    nearestStations(latitude: $latitude, longitude: $longitude, limit: $limit, maxDistanceKm: $maxDistanceKm) {
      distanceKm
      station { siteId name latitude longitude latest { hourStart category measurements { parameter value } } }
    }
  }
`;

const EXPORT = /* GraphQL */ `
  query Export($suburb: String!, $from: AWSDateTime!, $to: AWSDateTime!) {
    exportAirQualityData(suburb: $suburb, from: $from, to: $to) { url expiresAt rows }
  }
`;

type Nearest = {
  distanceKm: number;
  station: { siteId: number; latitude: number | null; latest: { hourStart: string } | null };
}[];

/** The answer's one field, or a failure showing the whole response. */
function field<T>(response: GraphqlResponse, name: string): T {
  const value = response.body.data?.[name];
  if (value === undefined || value === null) throw new Error(`no ${name} in ${JSON.stringify(response.body)}`);
  return value as T;
}

describe('nearestStations over HTTP', () => {
  it('answers the nearest stations first with their distance and latest reading (batched)', async () => {
    // Act
    const { status, body } = await api.gql(NEAREST, { ...ORIGIN, limit: 3, maxDistanceKm: 50 });

    // Assess
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const found = body.data?.nearestStations as Nearest;
    expect(found.map((d) => d.station.siteId)).toEqual([first.siteId, second.siteId, third.siteId]);
    expect(found.map((d) => d.distanceKm)).toEqual([
      expect.closeTo(1.112, 2),
      expect.closeTo(2.224, 2),
      expect.closeTo(11.12, 1),
    ]);
    expect(found[0]?.station.latest?.hourStart).toBe(new Date(HOURS[29] as number).toISOString());
  });

  it('defaults to five stations, leaves out stations beyond maxDistanceKm and those without coordinates', async () => {
    // Act
    const all = await api.gql(NEAREST, ORIGIN);
    const within = await api.gql(NEAREST, { ...ORIGIN, maxDistanceKm: 5 });
    const fifty = await api.gql(NEAREST, { ...ORIGIN, limit: 50 });

    // Assess
    const ids = field<Nearest>(all, 'nearestStations').map((d) => d.station.siteId);
    expect(ids).toEqual([first.siteId, second.siteId, third.siteId, fourth.siteId, fifth.siteId]);
    const many = field<Nearest>(fifty, 'nearestStations');
    expect(many.length).toBeGreaterThanOrEqual(6);
    expect(many.map((d) => d.station.siteId)).not.toContain(unlocated.siteId);
    expect(many.every((d) => typeof d.station.latitude === 'number')).toBe(true);
    expect(field<Nearest>(within, 'nearestStations').map((d) => d.station.siteId)).toEqual([
      first.siteId,
      second.siteId,
    ]);
  });

  it.each([
    [{ latitude: -91, longitude: 0 }, '"latitude"'],
    [{ latitude: 0, longitude: 180.5 }, '"longitude"'],
    [{ latitude: 0, longitude: 0, limit: 0 }, '"limit"'],
    [{ latitude: 0, longitude: 0, limit: 51 }, '"limit"'],
    [{ latitude: 0, longitude: 0, maxDistanceKm: -0.5 }, '"maxDistanceKm"'],
  ])('refuses %o with a BadRequest naming %s', async (variables, name) => {
    const { status, body } = await api.gql(NEAREST, variables);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ errorType: 'BadRequest', path: ['nearestStations'] });
    expect(body.errors?.[0]?.message).toContain(name);
  });
});

describe('exportAirQualityData over HTTP', () => {
  const from = new Date(HOURS[0] as number).toISOString();
  const to = new Date((HOURS[29] as number) + HOUR_MS).toISOString();

  it('writes the CSV to the local S3 and answers a pre-signed URL that downloads it', async () => {
    // Act
    const { status, body } = await api.gql(EXPORT, { suburb: SUBURB.toUpperCase(), from, to });
    const answer = body.data?.exportAirQualityData as { url: string; expiresAt: string; rows: number };
    const download = await fetch(answer.url);
    const csv = await download.text();

    // Assess: 2 stations x 30 hours x 2 parameters
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(answer.rows).toBe(120);
    expect(answer.expiresAt).toBe(new Date(NOW + 15 * 60_000).toISOString());
    expect(new URL(answer.url).origin).toBe(new URL(api.endpoints.s3).origin);
    expect(new URL(answer.url).pathname).toMatch(
      new RegExp(
        `^/${api.resources.curatedBucket}/exports/exportville-${RUN}-20261119T000000Z-20261120T060000Z-[0-9a-f-]{36}\\.csv$`,
      ),
    );
    expect(new URL(answer.url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(download.status).toBe(200);
    const lines = csv.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      'site_id,site_name,suburb,region,hour_start_utc,hour_end_local,parameter,value,unit,category,flags',
    );
    expect(lines).toHaveLength(1 + 120);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${second.siteId},${SUBURB} Two,${SUBURB},${REGION},2026-11-20T05:00:00Z,2026-11-20T17:00:00\\+11:00,PM2\\.5,`,
      ),
    );
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set([String(first.siteId), String(second.siteId)]),
    );
  });

  it('is open to signed-in (Cognito) users as well as the API key, and makes a new file per call', async () => {
    // Act
    const asUser = await api.gql(EXPORT, { suburb: SUBURB, from, to }, { authorization: USER_TOKEN });
    const asKey = await api.gql(EXPORT, { suburb: SUBURB, from, to });

    // Assess
    const urls = [asUser, asKey].map((r) => field<{ url: string }>(r, 'exportAirQualityData').url);
    expect(asUser.body.errors).toBeUndefined();
    expect(urls[0]).not.toBe(urls[1]);
  });

  it.each([
    [{ suburb: SUBURB, from: '2026-11-20T00:00:00Z', to: '2026-11-19T00:00:00Z' }, '"from"'],
    [{ suburb: SUBURB, from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, 'at most 366 days'],
    [{ suburb: 'y'.repeat(101), from, to }, '"suburb" must be at most 100 characters'],
  ])('refuses %o with a BadRequest (%s)', async (variables, text) => {
    const { body } = await api.gql(EXPORT, variables);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ errorType: 'BadRequest', path: ['exportAirQualityData'] });
    expect(body.errors?.[0]?.message).toContain(text);
  });

  it('refuses a malformed AWSDateTime before the function is invoked', async () => {
    // Prepare
    api.resetCounts();

    // Act
    const { body } = await api.gql(EXPORT, { suburb: SUBURB, from: '2026-11-19', to });

    // Assess
    expect(body.errors?.[0]?.message).toMatch(/AWSDateTime/);
    expect(api.invocations()).toBe(0);
  });
});
