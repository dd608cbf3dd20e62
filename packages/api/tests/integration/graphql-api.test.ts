import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPSYNC_CONFIG_PATH, startGraphqlServer } from '@opendata-pulse/local/appsync';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type GraphqlResponse, OPERATOR_TOKEN, startApiHarness, USER_TOKEN } from '../support/api-harness';
import { daily, regionHour, seedDaily, seedRegionHours, seedStations, station } from '../support/fixtures';

// One table serves every test file of the project run: names and ids unique to this file.
const RUN = randomUUID().slice(0, 8);
const BASE_ID = randomInt(10_000, 90_000);
const REGION = `Test Region ${RUN}`;
const SUBURB = `Pulseville ${RUN}`;
const NOW = Date.UTC(2026, 10, 20, 12, 30);
const HOURS = Array.from({ length: 48 }, (_, i) => NOW - 30 * 60_000 - (48 - i) * HOUR_MS); // 48 whole hours before now
const iso = (ms: number) => new Date(ms).toISOString();

// Two stations share the suburb; a third is elsewhere in the region.
const stationA = station(BASE_ID + 1, `${SUBURB} North`, REGION, SUBURB);
const stationB = station(BASE_ID + 2, `${SUBURB} South`, REGION, SUBURB);
const stationC = station(BASE_ID + 3, `Elsewhere ${RUN}`, REGION);

let api: Awaited<ReturnType<typeof startApiHarness>>;

const READINGS = /* GraphQL */ `
  query Readings($suburb: String!, $from: AWSDateTime, $to: AWSDateTime, $limit: Int, $nextToken: String) {
    getAirQualityData(suburb: $suburb, from: $from, to: $to, limit: $limit, nextToken: $nextToken) {
      items { siteId suburb hourStart category measurements { parameter value unit flags rolling { window value } } }
      nextToken
    }
  }
`;

type Reading = { siteId: number; hourStart: string };
type Connection = { items: Reading[]; nextToken: string | null };

async function readings(variables: Record<string, unknown>) {
  const { status, body } = await api.gql(READINGS, variables);
  expect(status).toBe(200);
  return { connection: body.data?.getAirQualityData as Connection | null, errors: body.errors };
}

beforeAll(async () => {
  api = await startApiHarness({ now: () => NOW });
  await seedStations(api.seedClient, api.table, [stationA, stationB, stationC], HOURS);
  await seedRegionHours(
    api.seedClient,
    api.table,
    HOURS.map((h) => regionHour(REGION, h, [stationA, stationB, stationC])),
  );
  await seedDaily(api.seedClient, api.table, [
    daily(stationA.siteId, '2026-11-18'),
    daily(stationA.siteId, '2026-11-19'),
  ]);
});

afterAll(async () => {
  await api?.close();
});

describe('getAirQualityData', () => {
  it('matches the suburb case-insensitively and returns readings newest first', async () => {
    // Prepare
    const spellings = [SUBURB, SUBURB.toUpperCase(), `  ${SUBURB.toLowerCase()}  `];

    // Act
    const results = await Promise.all(spellings.map((suburb) => readings({ suburb, limit: 10 })));

    // Assess
    for (const { connection, errors } of results) {
      expect(errors).toBeUndefined();
      expect(connection?.items).toHaveLength(10);
      expect(connection?.items[0]).toMatchObject({ hourStart: iso(HOURS[47] as number), suburb: SUBURB });
      const starts = connection?.items.map((r) => Date.parse(r.hourStart)) ?? [];
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
      expect(new Set(connection?.items.map((r) => r.siteId))).toEqual(new Set([stationA.siteId, stationB.siteId]));
    }
    expect(results[1]?.connection).toEqual(
      results[0]?.connection && { ...results[0].connection, nextToken: expect.any(String) },
    );
  });

  it('pages through every reading once, without gaps or repeats, and ends without a token', async () => {
    // Prepare
    const seen: Reading[] = [];
    let nextToken: string | null = null;
    let pages = 0;

    // Act
    do {
      const { connection, errors } = await readings({ suburb: SUBURB, limit: 7, nextToken });
      expect(errors).toBeUndefined();
      seen.push(...(connection?.items ?? []));
      nextToken = connection?.nextToken ?? null;
      pages++;
    } while (nextToken && pages < 50);

    // Assess
    expect(seen).toHaveLength(96);
    expect(pages).toBe(Math.ceil(96 / 7));
    const ids = seen.map((r) => `${r.hourStart}/${r.siteId}`);
    expect(new Set(ids).size).toBe(96);
    const starts = seen.map((r) => Date.parse(r.hourStart));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('includes readings at "from" and excludes those at "to"', async () => {
    // Prepare
    const from = HOURS[10] as number;
    const to = HOURS[14] as number;

    // Act
    const { connection, errors } = await readings({ suburb: SUBURB, from: iso(from), to: iso(to) });

    // Assess
    expect(errors).toBeUndefined();
    const starts = [...new Set(connection?.items.map((r) => r.hourStart))];
    expect(starts).toEqual([HOURS[13], HOURS[12], HOURS[11], HOURS[10]].map((h) => iso(h as number)));
    expect(connection?.items).toHaveLength(8);
    expect(connection?.nextToken).toBeNull();
  });

  it('reads bounds that are not on whole hours by the hours that start inside them', async () => {
    // Act
    const { connection } = await readings({
      suburb: SUBURB,
      from: iso((HOURS[10] as number) + 60_000),
      to: iso((HOURS[12] as number) + 60_000),
    });

    // Assess
    expect([...new Set(connection?.items.map((r) => r.hourStart))]).toEqual([
      iso(HOURS[12] as number),
      iso(HOURS[11] as number),
    ]);
  });

  it('answers an unknown suburb with no items rather than an error', async () => {
    // Act
    const { connection, errors } = await readings({ suburb: `Nowhere ${RUN}` });

    // Assess
    expect(errors).toBeUndefined();
    expect(connection).toEqual({ items: [], nextToken: null });
  });

  it.each([
    [{ limit: 0 }, '"limit" must be from 1 to 500 (got 0)'],
    [{ limit: 501 }, '"limit" must be from 1 to 500 (got 501)'],
    [
      { from: '2026-11-20T10:00:00Z', to: '2026-11-20T10:00:00Z' },
      '"from" (2026-11-20T10:00:00.000Z) must be before "to"',
    ],
    [{ from: '2026-11-20T10:00:00Z', to: '2026-11-19T10:00:00Z' }, 'must be before "to"'],
    [{ from: '2026-10-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, 'a query covers at most 31 days'],
    [{ nextToken: 'v1.e30.AAAA' }, '"nextToken" is not a valid page token'],
    [{ nextToken: 'not-a-token' }, '"nextToken" is not a valid page token'],
  ])('answers %j with a BadRequest naming the problem', async (args, message) => {
    // Act
    const { status, body } = await api.gql(READINGS, { suburb: SUBURB, ...args });

    // Assess
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({ errorType: 'BadRequest', path: ['getAirQualityData'] });
    expect(body.errors?.[0]?.message).toContain(message);
  });

  it('answers a 20,000-character suburb, and a region over 100 characters, with BadRequest naming the bound', async () => {
    // Act
    const suburb = await api.gql(READINGS, { suburb: 'x'.repeat(20_000) });
    const region = await api.gql('query($r: String) { listStations(region: $r) { siteId } }', { r: 'r'.repeat(101) });

    // Assess
    expect(suburb.status).toBe(200);
    expect(suburb.body.data).toBeNull();
    expect(suburb.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'BadRequest',
        path: ['getAirQualityData'],
        message: '"suburb" must be at most 100 characters (got 20000)',
      }),
    ]);
    expect(region.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'BadRequest',
        path: ['listStations'],
        message: '"region" must be at most 100 characters (got 101)',
      }),
    ]);
  });

  it('refuses a token from another query, and a token whose payload was altered', async () => {
    // Prepare
    const first = await readings({ suburb: SUBURB, limit: 5 });
    const token = first.connection?.nextToken as string;
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString());
    altered.w.fromMs -= HOUR_MS;
    const forged = `${version}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${mac}`;

    // Act
    const otherSuburb = await readings({ suburb: stationC.suburb, limit: 5, nextToken: token });
    const otherBounds = await readings({ suburb: SUBURB, limit: 5, to: iso(NOW), nextToken: token });
    const tampered = await readings({ suburb: SUBURB, limit: 5, nextToken: forged });
    const sameQuery = await readings({ suburb: SUBURB.toUpperCase(), limit: 5, nextToken: token });

    // Assess
    expect(otherSuburb.errors?.[0]).toMatchObject({ errorType: 'BadRequest' });
    expect(otherSuburb.errors?.[0]?.message).toContain('belongs to a different query');
    expect(otherBounds.errors?.[0]?.message).toContain('belongs to a different query');
    expect(tampered.errors?.[0]).toMatchObject({ errorType: 'BadRequest' });
    expect(tampered.errors?.[0]?.message).toContain('not a valid page token');
    expect(sameQuery.errors).toBeUndefined();
    expect(sameQuery.connection?.items[0]?.hourStart).toBe(iso(HOURS[45] as number));
  });

  it('rejects a malformed AWSDateTime before any resolver runs, as AppSync does', async () => {
    // Act
    const { body } = await api.gql(READINGS, { suburb: SUBURB, from: '20/11/2026 10:00' });

    // Assess
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toContain("is not a valid 'AWSDateTime'");
  });

  it('makes one DynamoDB Query per station of the suburb per page, the station directory kept', async () => {
    // Prepare: the function has read its station directory already
    await readings({ suburb: SUBURB, limit: 1 });
    api.resetCounts();

    // Act
    await readings({ suburb: SUBURB, limit: 25 });

    // Assess: the suburb's two stations
    expect(api.dynamo.counts()).toEqual({ QueryCommand: 2 });
  });
});

describe('stations', () => {
  const STATIONS = /* GraphQL */ `
    query Stations($region: String) {
      listStations(region: $region) { siteId name suburb region latitude longitude latest { siteId hourStart category } }
    }
  `;

  it("lists a region's stations with their latest reading in one Query and one BatchGetItem (no N+1)", async () => {
    // Prepare
    api.resetCounts();

    // Act
    const { body } = await api.gql(STATIONS, { region: REGION.toLowerCase() });

    // Assess
    expect(body.errors).toBeUndefined();
    const stations = body.data?.listStations as { siteId: number; latest: { hourStart: string } | null }[];
    expect(stations.map((s) => s.siteId)).toEqual([stationA.siteId, stationB.siteId, stationC.siteId]);
    for (const s of stations) expect(s.latest).toMatchObject({ siteId: s.siteId, hourStart: iso(HOURS[47] as number) });
    expect(api.dynamo.counts()).toEqual({ QueryCommand: 1, BatchGetItemCommand: 1 });
    expect(api.invocations()).toBe(2);
  });

  it('gets one station, and null for an unknown one', async () => {
    // Act
    const { body } = await api.gql(
      `query($a: Int!, $b: Int!) { a: getStation(siteId: $a) { name latest { siteId } } b: getStation(siteId: $b) { name } }`,
      { a: stationB.siteId, b: BASE_ID + 999 },
    );

    // Assess
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: { name: stationB.name, latest: { siteId: stationB.siteId } }, b: null });
  });

  it('lists regions with station counts', async () => {
    // Act
    const { body } = await api.gql('{ listRegions { name stationCount } }');

    // Assess
    expect(body.data?.listRegions).toContainEqual({ name: REGION, stationCount: 3 });
  });

  it("gives every station's latest reading in a region", async () => {
    // Act
    const { body } = await api.gql('query($r: String!) { latestReadings(region: $r) { siteId hourStart } }', {
      r: REGION,
    });

    // Assess
    expect(body.data?.latestReadings).toEqual(
      [stationA, stationB, stationC].map((s) => ({ siteId: s.siteId, hourStart: iso(HOURS[47] as number) })),
    );
  });
});

describe('summaries', () => {
  it("pages a region's hourly summary newest first within the range", async () => {
    // Act
    const first = await api.gql(
      'query($r: String!, $t: String) { getRegionSummary(region: $r, from: "2026-11-19T00:00:00Z", limit: 5, nextToken: $t) { items { hourStart category worstSiteId stations { siteId category } } nextToken } }',
      { r: REGION },
    );
    const page1 = first.body.data?.getRegionSummary as { items: { hourStart: string }[]; nextToken: string };
    const second = await api.gql(
      'query($r: String!, $t: String) { getRegionSummary(region: $r, from: "2026-11-19T00:00:00Z", limit: 5, nextToken: $t) { items { hourStart } nextToken } }',
      { r: REGION, t: page1.nextToken },
    );

    // Assess
    expect(first.body.errors).toBeUndefined();
    expect(page1.items[0]).toMatchObject({ hourStart: iso(HOURS[47] as number), worstSiteId: stationA.siteId });
    const page2 = second.body.data?.getRegionSummary as { items: { hourStart: string }[] };
    expect(page2.items[0]?.hourStart).toBe(iso(HOURS[42] as number));
  });

  it("gives a station's daily summaries with coverage, within [from, to)", async () => {
    // Act
    const { body } = await api.gql(
      'query($s: Int!) { getDailySummary(siteId: $s, from: "2026-11-18", to: "2026-11-19") { items { date parameters { parameter mean min max coverage } } nextToken } }',
      { s: stationA.siteId },
    );

    // Assess
    expect(body.errors).toBeUndefined();
    expect(body.data?.getDailySummary).toEqual({
      items: [{ date: '2026-11-18', parameters: [{ parameter: 'PM2.5', mean: 7.5, min: 2, max: 14, coverage: 95.8 }] }],
      nextToken: null,
    });
  });

  it('refuses a daily range over 366 days', async () => {
    // Act
    const { body } = await api.gql(
      'query($s: Int!) { getDailySummary(siteId: $s, from: "2025-01-01", to: "2026-01-03") { items { date } } }',
      { s: stationA.siteId },
    );

    // Assess
    expect(body.errors?.[0]).toMatchObject({ errorType: 'BadRequest' });
    expect(body.errors?.[0]?.message).toContain('at most 366 days');
  });
});

describe('authorisation', () => {
  const LINEAGE =
    'query($s: String!) { getAirQualityData(suburb: $s, limit: 1) { items { siteId source { rawKey fetchedAt } } } }';

  it.each([
    [{}, 'Valid authorization header not provided.'],
    [{ 'x-api-key': 'wrong-key' }, 'You are not authorized to make this call.'],
    [{ authorization: 'unknown-token' }, 'You are not authorized to make this call.'],
  ])('answers 401 UnauthorizedException to %j', async (headers, message) => {
    // Act
    const { status, body } = await api.gql('{ listRegions { name } }', {}, headers);

    // Assess
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message }] });
  });

  it('refuses the operator-only systemHealth to an API key and to a user outside "operators"', async () => {
    // Act
    const asKey = await api.gql('{ systemHealth { checkedAt } }');
    const asUser = await api.gql('{ systemHealth { checkedAt } }', {}, { authorization: USER_TOKEN });

    // Assess
    for (const { status, body } of [asKey, asUser]) {
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]).toMatchObject({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access systemHealth on type Query',
        path: ['systemHealth'],
      });
    }
  });

  it('serves lineage to signed-in users only: an API key gets the readings without it', async () => {
    // Act
    const asKey = await api.gql(LINEAGE, { s: SUBURB });
    const asUser = await api.gql(LINEAGE, { s: SUBURB }, { authorization: `Bearer ${USER_TOKEN}` });

    // Assess
    expect(asKey.body.data?.getAirQualityData).toEqual({ items: [{ siteId: expect.any(Number), source: null }] });
    expect(asKey.body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access source on type HourlyReading',
    });
    expect(asUser.body.errors).toBeUndefined();
    const connection = asUser.body.data?.getAirQualityData as { items: { source: { rawKey: string } }[] } | undefined;
    expect(connection?.items[0]?.source.rawKey).toMatch(/^nsw-air-quality\/raw\/2026\/11\/20\/\d{2}\.json$/);
  });

  it('gives operators systemHealth', async () => {
    // Act
    const { body } = await api.gql(
      '{ systemHealth { checkedAt lastEtlHour stationCount stationsReporting dlqDepth problems } }',
      {},
      { authorization: OPERATOR_TOKEN },
    );

    // Assess
    expect(body.errors).toBeUndefined();
    const health = body.data?.systemHealth as { checkedAt: string; stationCount: number; problems: string[] };
    expect(health.checkedAt).toBe(iso(NOW));
    expect(health.stationCount).toBeGreaterThanOrEqual(3);
    expect(health.problems).toContain('dead-letter queue not configured (DLQ_URL)');
  });
});

describe('serving', () => {
  it('shows GraphiQL to a browser at GET /graphql, with the API key filled in', async () => {
    // Act
    const response = await fetch(api.url, { headers: { accept: 'text/html' } });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('OpenData Pulse GraphQL (local)');
    expect(html).toContain(API_KEY);
    expect(html).not.toContain('unpkg.com');
  });

  it("serves the deepest query the schema allows within appsync.yml's depth limit", async () => {
    // Act
    const { body } = await api.gql(
      'fragment F on Query { listStations(region: "none") { latest { measurements { rolling { window } } } } } query { ...F }',
    );

    // Assess
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ listStations: [] });
  });

  it('takes a Lambda function-error payload from invoke as that error, single or batched', async () => {
    // Prepare: an invoke that answers as a Lambda-invoke endpoint does for a failed function
    const server = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      invoke: async (event) =>
        Array.isArray(event)
          ? { errorType: 'Runtime.ExitError', errorMessage: 'function crashed' }
          : [{ siteId: 1, name: 'One', suburb: 'One', region: 'R' }],
    });

    // Act
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ listStations { siteId latest { siteId } } }' }),
    });
    const body = (await response.json()) as GraphqlResponse['body'];
    await server.close();

    // Assess
    expect(body.data).toEqual({ listStations: [{ siteId: 1, latest: null }] });
    expect(body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Runtime.ExitError',
        message: 'function crashed',
        path: ['listStations', 0, 'latest'],
      }),
    ]);
  });

  async function serverWithLimits(limits: { depth?: number; resolvers?: number }) {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-appsync-'));
    const path = join(dir, 'appsync.yml');
    let yml = readFileSync(APPSYNC_CONFIG_PATH, 'utf8');
    if (limits.depth) yml = yml.replace(/^queryDepthLimit: \d+$/m, `queryDepthLimit: ${limits.depth}`);
    if (limits.resolvers) yml = yml.replace(/^resolverCountLimit: \d+$/m, `resolverCountLimit: ${limits.resolvers}`);
    writeFileSync(path, yml);
    const events: unknown[] = [];
    const server = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      appSyncConfigPath: path,
      invoke: async (event) => {
        events.push(event);
        if (Array.isArray(event)) return event.map(() => ({ data: { measurements: [{ unit: 'pphm' }] } }));
        const info = (event as { info: { fieldName: string } }).info;
        return info.fieldName === 'getStation' ? { siteId: 1, name: 'One' } : [{ siteId: 1, name: 'One' }];
      },
    });
    const post = async (query: string) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as GraphqlResponse['body'];
    };
    return { server, events, post };
  }

  it('answers fields past the configured depth with QueryDepthLimitReached, as AppSync does', async () => {
    // Prepare
    const { server, post } = await serverWithLimits({ depth: 3 });

    // Act
    const body = await post('{ listStations { name latest { measurements { unit } } } }');
    await server.close();

    // Assess: unit (depth 4) fails; non-null up to the first nullable parent, latest
    expect(body.data).toEqual({ listStations: [{ name: 'One', latest: null }] });
    expect(body.errors).toEqual([
      expect.objectContaining({
        errorType: 'QueryDepthLimitReached',
        path: ['listStations', 0, 'latest', 'measurements', 0, 'unit'],
      }),
    ]);
  });

  it('runs no resolver past the configured count: ResolverExecutionLimitReached', async () => {
    // Prepare
    const { server, events, post } = await serverWithLimits({ resolvers: 2 });

    // Act
    const body = await post(
      '{ a: getStation(siteId: 1) { name } b: getStation(siteId: 2) { name } c: getStation(siteId: 3) { name } }',
    );
    await server.close();

    // Assess
    expect(body.data).toEqual({ a: { name: 'One' }, b: { name: 'One' }, c: null });
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'ResolverExecutionLimitReached', path: ['c'] })]);
    expect(events).toHaveLength(2);
  });

  it("serves GraphiQL's introspection whatever the depth limit", async () => {
    // Prepare
    const { server, post } = await serverWithLimits({ depth: 2 });

    // Act
    const body = await post(
      '{ __schema { queryType { fields { name args { name type { ofType { name kind } } } } } } }',
    );
    await server.close();

    // Assess
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('getAirQualityData');
  });
});
