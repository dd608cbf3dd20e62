/**
 * appsync.yml's per-resolver caching on the local GraphQL server: the real handler behind the
 * server, counted at its invocations, so that an answer from the cache is one the function never
 * saw.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, OPERATOR_TOKEN, startApiHarness, USER_TOKEN } from '../support/api-harness';
import { seedStations, station } from '../support/fixtures';

const RUN = randomUUID().slice(0, 8);
const BASE_ID = randomInt(10_000, 90_000);
const NOW = Date.UTC(2026, 10, 20, 12, 30);
const HOURS = Array.from({ length: 6 }, (_, i) => NOW - 30 * 60_000 - (6 - i) * HOUR_MS);
const north = station(BASE_ID + 1, `Cacheville ${RUN}`, `Cache Region ${RUN}`);
const south = station(BASE_ID + 2, `Othertown ${RUN}`, `Cache Region ${RUN}`);

const READINGS = 'query($suburb: String!) { getAirQualityData(suburb: $suburb) { items { siteId hourStart } } }';

let api: Awaited<ReturnType<typeof startApiHarness>>;

async function readingsOf(suburb: string) {
  const { status, body } = await api.gql(READINGS, { suburb });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return (body.data?.getAirQualityData as { items: { siteId: number }[] } | undefined)?.items ?? [];
}

function cacheRequest(method: 'GET' | 'DELETE', token = OPERATOR_TOKEN) {
  return fetch(api.cacheUrl as string, { method, headers: { authorization: token } });
}

beforeAll(async () => {
  api = await startApiHarness({ now: () => NOW, caching: true });
  await seedStations(api.seedClient, api.table, [north, south], HOURS);
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  await cacheRequest('DELETE');
  api.resetCounts();
});

describe('the resolver cache (appsync.yml, per-resolver caching)', () => {
  it('answers a repeated query from the cache without invoking the function', async () => {
    // Act
    const first = await readingsOf(north.suburb);
    const second = await readingsOf(north.suburb);

    // Assess
    expect(first).toHaveLength(HOURS.length);
    expect(second).toEqual(first);
    expect(api.invocations()).toBe(1);
    // the function's first call reads the station directory, then the suburb's one station
    expect(api.dynamo.counts()).toEqual({ QueryCommand: 2 });
  });

  it('misses for a different suburb, the first caching key', async () => {
    // Act
    await readingsOf(north.suburb);
    const other = await readingsOf(south.suburb);

    // Assess
    expect(other.every((r) => r.siteId === south.siteId)).toBe(true);
    expect(api.invocations()).toBe(2);
  });

  it('invokes the function again after a flush, and says what it held', async () => {
    // Prepare
    await readingsOf(north.suburb);
    await readingsOf(south.suburb);
    const before = await (await cacheRequest('GET')).json();

    // Act
    const flush = await cacheRequest('DELETE');
    await readingsOf(north.suburb);

    // Assess
    expect(before).toMatchObject({ behavior: 'PER_RESOLVER_CACHING', ttlSeconds: 300, entries: 2 });
    expect(before.resolvers).toContainEqual({
      field: 'Query.getAirQualityData',
      ttlSeconds: 300,
      keys: [
        '$context.arguments.suburb',
        '$context.arguments.from',
        '$context.arguments.to',
        '$context.arguments.limit',
        '$context.arguments.nextToken',
      ],
      entries: 2,
    });
    expect(flush.status).toBe(200);
    expect(await flush.json()).toEqual({ flushed: 2 });
    expect(api.invocations()).toBe(3);
  });

  it('never caches an error: a refused query reaches the function every time', async () => {
    // Act
    const first = await api.gql(READINGS, { suburb: ' ' });
    const second = await api.gql(READINGS, { suburb: ' ' });

    // Assess
    for (const { body } of [first, second]) expect(body.errors?.[0]).toMatchObject({ errorType: 'BadRequest' });
    expect(api.invocations()).toBe(2);
  });

  it('keeps the cache endpoint for operators: a user outside "operators" and an API key are refused', async () => {
    // Act
    const user = await cacheRequest('DELETE', USER_TOKEN);
    const key = await fetch(api.cacheUrl as string, { method: 'DELETE', headers: { 'x-api-key': API_KEY } });
    const nobody = await fetch(api.cacheUrl as string, { method: 'DELETE' });

    // Assess
    expect(user.status).toBe(403);
    expect(key.status).toBe(403);
    expect(nobody.status).toBe(401);
  });
});
