/**
 * The local GraphQL server's AppSync parts that live updates rely on, through real HTTP and real
 * WebSocket clients: IAM-signed mutations (SigV4 over the local credentials), the NONE resolver
 * of publishHourUpdate, and the real-time protocol (handshake, start/start_ack, data, filters,
 * stop/complete, errors). The ETL's own publish through the whole stack is in local-stack-live.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlServer, RealtimeClient, startGraphqlServer } from '../../src/appsync';

const API_KEY = 'realtime-test-key';
const USER_TOKEN = 'realtime-user-token';
const PUBLISH = `mutation ($input: HourUpdateInput!) {
  publishHourUpdate(input: $input) { region hourStart stations { siteId name suburb category determiningPollutant } }
}`;
const SUBSCRIBE = `subscription ($region: String) {
  onHourUpdate(region: $region) { region hourStart stations { siteId name category determiningPollutant } }
}`;
const update = (region: string, category = 'FAIR') => ({
  region,
  hourStart: '2026-03-01T01:00:00.000Z',
  stations: [{ siteId: 39, name: 'Rozelle', suburb: 'Rozelle', category, determiningPollutant: 'PM2.5' }],
});

let server: GraphqlServer;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  server = await startGraphqlServer({
    port: 0,
    apiKey: API_KEY,
    cognitoUsers: [{ token: USER_TOKEN, username: 'map-user', groups: [] }],
    invoke: async () => {
      throw new Error('no Lambda resolver is called by these tests');
    },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

async function signedPost(
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
) {
  const url = new URL(server.url);
  const signer = new SignatureV4({ service: 'appsync', region: 'ap-southeast-2', credentials, sha256: Sha256 });
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
  return fetch(server.url, { method: 'POST', headers, body });
}

async function publish(input: unknown, query = PUBLISH) {
  const res = await signedPost(JSON.stringify({ query, variables: { input } }));
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: { errorType?: string; message: string }[] },
  };
}

async function subscriber(auth: Record<string, string> = { 'x-api-key': API_KEY }) {
  const client = await RealtimeClient.connect(server.realtimeUrl, auth);
  clients.push(client);
  return client;
}

describe('local AppSync: IAM-signed publishHourUpdate', () => {
  it('passes a signed mutation through the NONE resolver', async () => {
    // Act
    const answer = await publish(update('Hunter'));

    // Assess
    expect(answer).toEqual({ status: 200, body: { data: { publishHourUpdate: update('Hunter') } } });
  });

  it("refuses a client with only an API key with AppSync's Unauthorized error", async () => {
    // Act
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: PUBLISH, variables: { input: update('Hunter') } }),
    });
    const body = (await res.json()) as { data: unknown; errors: { errorType: string; message: string }[] };

    // Assess
    expect(body.data).toEqual({ publishHourUpdate: null });
    expect(body.errors).toMatchObject([
      { errorType: 'Unauthorized', message: 'Not Authorized to access publishHourUpdate on type Mutation' },
    ]);
  });

  it('refuses a signature made with the wrong secret, and one whose body was changed after signing', async () => {
    // Prepare
    const body = JSON.stringify({ query: PUBLISH, variables: { input: update('Hunter') } });
    const url = new URL(server.url);
    const signer = new SignatureV4({
      service: 'appsync',
      region: 'ap-southeast-2',
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

    // Act
    const wrongSecret = await signedPost(body, { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'nope' });
    const tampered = await fetch(server.url, { method: 'POST', headers, body: body.replace('Hunter', 'Sydney') });

    // Assess
    for (const res of [wrongSecret, tampered]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        errors: [{ errorType: 'UnauthorizedException', message: expect.stringContaining('signature') }],
      });
    }
  });
});

describe('local AppSync: the real-time endpoint', () => {
  it('acknowledges the connection, then delivers updates to an unfiltered and a filtered subscription', async () => {
    // Prepare
    const client = await subscriber();
    const ack = await client.init();
    const all = await client.start('all', { query: SUBSCRIBE, variables: {} }, { 'x-api-key': API_KEY });
    const hunter = await client.start(
      'hunter',
      { query: SUBSCRIBE, variables: { region: 'Hunter' } },
      { 'x-api-key': API_KEY },
    );

    // Act
    await publish(update('Sydney East', 'POOR'));
    await publish(update('Hunter', 'GOOD'));
    const first = await client.next((m) => m.type === 'data' && m.id === 'all');
    const second = await client.next((m) => m.type === 'data' && m.id === 'all');
    const filtered = await client.next((m) => m.type === 'data' && m.id === 'hunter');

    // Assess
    expect(ack).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
    expect([all, hunter]).toEqual([
      { type: 'start_ack', id: 'all' },
      { type: 'start_ack', id: 'hunter' },
    ]);
    const expected = (region: string, category: string) => ({
      onHourUpdate: {
        region,
        hourStart: '2026-03-01T01:00:00.000Z',
        stations: [{ siteId: 39, name: 'Rozelle', category, determiningPollutant: 'PM2.5' }],
      },
    });
    expect([first.payload, second.payload]).toEqual([
      { data: expected('Sydney East', 'POOR') },
      { data: expected('Hunter', 'GOOD') },
    ]);
    expect(filtered.payload).toEqual({ data: expected('Hunter', 'GOOD') });
    expect(client.messages.filter((m) => m.type === 'data')).toEqual([]);
  });

  it('gives subscribers only the fields the mutation selected (the rest are null)', async () => {
    // Prepare
    const client = await subscriber({ Authorization: USER_TOKEN });
    await client.init();
    await client.start(
      'cognito',
      { query: SUBSCRIBE, variables: { region: 'Illawarra' } },
      { Authorization: USER_TOKEN },
    );

    // Act
    await publish(
      update('Illawarra'),
      'mutation ($input: HourUpdateInput!) { publishHourUpdate(input: $input) { region hourStart } }',
    );
    const data = await client.next((m) => m.type === 'data');

    // Assess
    expect(data.payload?.data).toEqual({ onHourUpdate: null });
    expect(data.payload?.errors?.[0]?.message).toMatch(/Cannot return null for non-nullable field HourUpdate.stations/);
  });

  it('answers stop with complete, and sends nothing more to that subscription', async () => {
    // Prepare
    const client = await subscriber();
    await client.init();
    await client.start('s', { query: SUBSCRIBE, variables: { region: 'Central Coast' } }, { 'x-api-key': API_KEY });

    // Act
    const complete = await client.stop('s');
    await publish(update('Central Coast'));
    await publish(update('Hunter'));

    // Assess
    expect(complete).toEqual({ type: 'complete', id: 's' });
    expect(client.messages.filter((m) => m.type === 'data')).toEqual([]);
  });

  it('answers error for a bad key in start, a query that is not a subscription, and an unknown message type', async () => {
    // Prepare
    const client = await subscriber();
    await client.init();

    // Act
    const badKey = await client.start('bad', { query: SUBSCRIBE }, { 'x-api-key': 'not-the-key' });
    const query = await client.start('query', { query: '{ listRegions { name } }' }, { 'x-api-key': API_KEY });
    client.send({ type: 'subscribe', id: 'x' });
    const unknown = await client.next((m) => m.type === 'error' && m.id === 'x');

    // Assess
    expect(badKey).toEqual({
      type: 'error',
      id: 'bad',
      payload: {
        errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
      },
    });
    expect(query.payload?.errors).toEqual([
      { errorType: 'UnsupportedOperation', message: 'query not supported through the realtime channel' },
    ]);
    expect(unknown.payload?.errors?.[0]?.errorType).toBe('UnsupportedOperation');
  });

  it('answers connection_error and closes when the handshake header carries a bad key', async () => {
    // Prepare
    const client = await subscriber({ 'x-api-key': 'not-the-key' });

    // Act
    const error = await client.next((m) => m.type === 'connection_error');
    const closed = await client.closed();

    // Assess
    expect(error.payload?.errors).toEqual([
      { errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 },
    ]);
    expect(closed).toBe(1000);
  });

  it('refuses a WebSocket without the graphql-ws subprotocol', async () => {
    // Act
    const { WebSocket } = await import('ws');
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${server.realtimeUrl}?header=e30=&payload=e30=`, ['graphql-transport-ws']);
      ws.once('error', (e) => resolve(e.message));
      ws.once('open', () => resolve('open'));
    });

    // Assess
    expect(refused).not.toBe('open');
  });
});
