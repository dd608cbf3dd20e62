/**
 * Live updates through the whole local stack: real WebSocket subscribers on the real-time endpoint
 * endpoints.json names, an hour ingested from the NSW source through S3 -> SQS -> the real ETL,
 * which publishes publishHourUpdate signed with SigV4 (the same code path as in AWS, the URL
 * handed over by the host instead of SSM), and the update compared with what the API serves.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeClient, type RealtimeMessage } from '../../src/appsync';
import { type LocalStack, latestHours, startLocalStack, writtenKeysOf } from '../../src/stack/local-stack';
import { memoryLog } from '../../src/stack/stack-log';

const API_KEY = 'live-updates-key';
const SUBSCRIBE = `subscription ($region: String) {
  onHourUpdate(region: $region) { region hourStart stations { siteId name suburb category determiningPollutant } }
}`;
const LATEST =
  'query ($region: String!) { latestReadings(region: $region) { siteId siteName suburb hourStart category determiningPollutant } }';

interface Update {
  region: string;
  hourStart: string;
  stations: {
    siteId: number;
    name: string;
    suburb: string;
    category: string | null;
    determiningPollutant: string | null;
  }[];
}

let nsw: FakeNsw;
let stack: LocalStack;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  nsw = await startFakeNsw();
  stack = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), 'pulse-live-test-')),
    port: 0,
    apiKey: API_KEY,
    source: nsw.endpoint,
    ingestOnStart: 0,
    schedule: false,
    healthCheckEveryMs: 0,
    retryDelaySeconds: 30,
    handlerLogLevel: 'SILENT',
    log: memoryLog(),
  });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await stack?.stop();
  await nsw?.close();
});

async function subscribe(id: string, variables: Record<string, unknown>, key = API_KEY) {
  const url = stack.endpoints.graphql.realtimeUrl ?? '';
  const client = await RealtimeClient.connect(url, { 'x-api-key': API_KEY });
  clients.push(client);
  await client.init();
  const answer = await client.start(id, { query: SUBSCRIBE, variables }, { 'x-api-key': key });
  return { client, answer };
}

async function ingestAndDrain(hours: number[]) {
  const runs = await stack.ingestHours(hours);
  return stack.waitUntilDrained({ expectKeys: writtenKeysOf(runs), timeoutMs: 60_000 });
}

/** A publish of our own, for a region no station has: every update sent before it has arrived once it does. */
async function sentinel(region: string) {
  const url = new URL(stack.endpoints.graphql.url);
  const body = JSON.stringify({
    query:
      'mutation ($input: HourUpdateInput!) { publishHourUpdate(input: $input) { region hourStart stations { siteId name suburb category determiningPollutant } } }',
    variables: { input: { region, hourStart: '2026-01-01T00:00:00.000Z', stations: [] } },
  });
  const signer = new SignatureV4({
    service: 'appsync',
    region: stack.endpoints.region,
    credentials: LOCAL_CREDENTIALS,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  const res = await fetch(url, { method: 'POST', headers, body });
  expect(res.status).toBe(200);
}

/** What latestReadings serves for a region's stations at one hour, in the update's station shape. */
async function servedAt(region: string, hourIso: string) {
  const res = await fetch(stack.endpoints.graphql.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query: LATEST, variables: { region } }),
  });
  const { data } = (await res.json()) as {
    data: {
      latestReadings: {
        siteId: number;
        siteName: string;
        suburb: string;
        hourStart: string;
        category: string | null;
        determiningPollutant: string | null;
      }[];
    };
  };
  const stations = data.latestReadings
    .filter((r) => r.hourStart === hourIso)
    .map((r) => ({
      siteId: r.siteId,
      name: r.siteName,
      suburb: r.suburb,
      category: r.category,
      determiningPollutant: r.determiningPollutant,
    }));
  return { region, stations };
}

const updatesOf = (messages: RealtimeMessage[]) =>
  messages.flatMap((m) => {
    const update = (m.payload?.data as { onHourUpdate?: Update } | undefined)?.onHourUpdate;
    return update ? [update] : [];
  });

describe('pulse local: live updates', () => {
  it('delivers one update per region for a new hour, with the categories the API serves; a backfill publishes nothing', async () => {
    // Prepare
    const all = await subscribe('all', {});
    const east = await subscribe('east', { region: 'Sydney East' });
    const badKey = await subscribe('bad', {}, 'not-the-key');
    const [newest = 0] = latestHours(1);

    // Act: the newest hour, then an older one (a backfill)
    const live = await ingestAndDrain([newest]);
    await sentinel('Sentinel One');
    const afterLive = await all.client.next(
      (m) => m.type === 'data' && m.payload?.data !== undefined && JSON.stringify(m).includes('Sentinel One'),
    );
    const liveUpdates = updatesOf(all.client.messages.splice(0).filter((m) => m.type === 'data'));
    const eastUpdates = updatesOf(east.client.messages.splice(0).filter((m) => m.type === 'data'));
    // What the API serves once the hour is in: the backfill below may still move the newest hour's
    // rolling averages (its 24-hour window reaches back), and a backfill publishes no update.
    const hourIso = new Date(newest).toISOString();
    const servedAfterLive = await Promise.all(liveUpdates.map((u) => servedAt(u.region, hourIso)));
    const backfill = await ingestAndDrain([newest - 3 * HOUR_MS]);
    await sentinel('Sentinel Two');
    await all.client.next((m) => m.type === 'data' && JSON.stringify(m).includes('Sentinel Two'));
    const afterBackfill = all.client.messages.filter((m) => m.type === 'data');

    // Assess
    expect([all.answer.type, east.answer.type]).toEqual(['start_ack', 'start_ack']);
    expect(badKey.answer).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'UnauthorizedException' }] },
    });
    expect([live.drained, backfill.drained]).toEqual([true, true]);
    expect(afterLive.type).toBe('data');
    const regions = liveUpdates.map((u) => u.region).sort();
    expect(regions.length).toBeGreaterThan(1);
    expect(new Set(regions).size).toBe(regions.length);
    expect(liveUpdates.every((u) => u.hourStart === hourIso && u.stations.length > 0)).toBe(true);
    expect(eastUpdates.map((u) => u.region)).toEqual(['Sydney East']);
    expect(afterBackfill).toEqual([]);
    expect(liveUpdates.map((u) => ({ region: u.region, stations: u.stations }))).toEqual(servedAfterLive);
  });
});
