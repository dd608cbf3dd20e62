/**
 * The offline stack end to end, in-process: its own local AWS servers on random ports and a temp
 * data dir, the real ingest, ETL and API handlers, a real HTTP NSW server (the shared fake) as
 * the source, and clients that talk HTTP to it as a user's would.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PENDING_FILE } from '../../src/glue/pending-objects';
import { endpointsPath, isProcessAlive, readEndpointsFile } from '../../src/stack/endpoints-file';
import {
  type LocalStack,
  type LocalStackOptions,
  latestHours,
  StackAlreadyRunningError,
  startLocalStack,
  writtenKeysOf,
} from '../../src/stack/local-stack';
import { PortInUseError } from '../../src/stack/ports';
import { memoryLog } from '../../src/stack/stack-log';

const API_KEY = 'test-key';
const ROZELLE =
  'query($suburb: String!) { getAirQualityData(suburb: $suburb) { items { siteId siteName suburb hourStart measurements { parameter value unit } } nextToken } }';

const PAGED =
  'query($suburb: String!, $nextToken: String) { getAirQualityData(suburb: $suburb, limit: 1, nextToken: $nextToken) { items { siteId hourStart measurements { parameter } } nextToken } }';

let nsw: FakeNsw;
const running: LocalStack[] = [];

beforeAll(async () => {
  nsw = await startFakeNsw();
});
afterAll(async () => {
  await nsw.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'pulse-local-test-'));
}

async function start(dataDir: string, overrides: Partial<LocalStackOptions> = {}) {
  const log = memoryLog();
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    apiKey: API_KEY,
    source: nsw.endpoint,
    ingestOnStart: 0,
    schedule: false,
    retryDelaySeconds: 1,
    handlerLogLevel: 'SILENT',
    log,
    ...overrides,
  });
  running.push(stack);
  return { stack, log };
}

async function graphql<T>(stack: LocalStack, query: string, variables: Record<string, unknown>, apiKey = API_KEY) {
  const res = await fetch(stack.endpoints.graphql.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: T; errors?: Array<{ message: string }> } };
}

interface Readings {
  getAirQualityData: {
    items: Array<{ siteId: number; siteName: string; hourStart: string; measurements: Array<{ parameter: string }> }>;
  };
}

async function ingestAndDrain(stack: LocalStack, hours: number[]) {
  const runs = await stack.ingestHours(hours);
  const drain = await stack.waitUntilDrained({ expectKeys: writtenKeysOf(runs), timeoutMs: 60_000 });
  return { runs, drain };
}

function hourStartsOf(body: { data?: Readings }): number[] {
  return (body.data?.getAirQualityData.items ?? []).map((i) => Date.parse(i.hourStart));
}

describe('pulse local: the pipeline on one machine', () => {
  it('ingests hours from the NSW source, runs them through S3 -> SQS -> ETL and serves them over GraphQL', async () => {
    // Prepare: a receive stays invisible for the retry delay, so on a busy machine an ETL run
    // longer than 1 s would be received again (at-least-once, harmless but counted below)
    const { stack, log } = await start(tempDataDir(), { retryDelaySeconds: 30 });
    const hours = latestHours(3);

    // Act
    const { runs, drain } = await ingestAndDrain(stack, hours);
    const answer = await graphql<Readings>(stack, ROZELLE, { suburb: 'rozelle' });

    // Assess
    // one backfill per NSW local date the hours fall on, each storing that date's whole answer
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.flatMap((r) => r.hours)).toEqual(hours);
    expect(runs.map((r) => r.error)).toEqual(runs.map(() => undefined));
    expect(drain).toMatchObject({ drained: true, missingEvents: [] });
    expect(await stack.dlqDepth()).toBe(0);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const items = answer.body.data?.getAirQualityData.items ?? [];
    expect(hourStartsOf(answer.body)).toEqual(expect.arrayContaining(hours));
    expect(items.every((i) => i.siteId === 39 && i.siteName === 'Rozelle')).toBe(true);
    expect(items[0]?.measurements.map((m) => m.parameter)).toContain('PM2.5');
    expect(await stack.stationHours(hours)).toBe(12 * 3);
    expect(log.lines.filter((l) => l.tag === 'ingest' && l.level === 'ok')).toHaveLength(runs.length);
    expect(log.lines.filter((l) => l.tag === 'etl' && l.level === 'ok')).toHaveLength(runs.length);
  });

  it("answers a repeated query from appsync.yml's cache, and flushes it at the endpoint endpoints.json names", async () => {
    // Prepare
    const dataDir = tempDataDir();
    const { stack } = await start(dataDir);
    const written = readEndpointsFile(dataDir);
    const invoke = vi.spyOn(stack.functions, 'invoke');
    const apiInvocations = () => invoke.mock.calls.filter(([key]) => key === 'api').length;
    const flush = () =>
      fetch(written?.graphql.cacheUrl as string, {
        method: 'DELETE',
        headers: { authorization: written?.graphql.operatorToken as string },
      });

    // Act
    await graphql<Readings>(stack, ROZELLE, { suburb: 'Rozelle' });
    await graphql<Readings>(stack, ROZELLE, { suburb: 'Rozelle' });
    const afterRepeat = apiInvocations();
    await graphql<Readings>(stack, ROZELLE, { suburb: 'Randwick' });
    const afterOtherSuburb = apiInvocations();
    const flushed = await flush();
    await graphql<Readings>(stack, ROZELLE, { suburb: 'Rozelle' });

    // Assess
    expect(written?.graphql.cacheUrl).toBe(stack.endpoints.graphql.url.replace('/graphql', '/local/api-cache'));
    expect(afterRepeat).toBe(1);
    expect(afterOtherSuburb).toBe(2);
    expect(await flushed.json()).toEqual({ flushed: 2 });
    expect(apiInvocations()).toBe(3);
  });

  it('refuses GraphQL requests without the API key', async () => {
    const { stack } = await start(tempDataDir());

    const answer = await graphql<Readings>(stack, ROZELLE, { suburb: 'Rozelle' }, 'wrong-key');

    expect(answer.status === 401 || answer.status === 403 || (answer.body.errors?.length ?? 0) > 0).toBe(true);
    expect(answer.body.data?.getAirQualityData).toBeFalsy();
  });

  it('answers Lambda Invoke from the AWS SDK for every hosted function, and fails as Lambda does', async () => {
    // Prepare
    const { stack } = await start(tempDataDir());
    const lambda = new LambdaClient({
      region: stack.endpoints.region,
      endpoint: stack.endpoints.endpoints.lambda,
      credentials: LOCAL_CREDENTIALS,
    });

    // Act
    const test = await lambda.send(
      new InvokeCommand({ FunctionName: 'opendata-pulse-ingest-local', Payload: JSON.stringify({ test: true }) }),
    );
    const bad = await lambda.send(
      new InvokeCommand({ FunctionName: 'opendata-pulse-etl', Qualifier: 'LIVE', Payload: '{"nonsense":true}' }),
    );
    const missing = await lambda
      .send(new InvokeCommand({ FunctionName: 'opendata-pulse-nothing-local', Payload: '{}' }))
      .catch((error: Error) => error);
    const after = await graphql<Readings>(stack, ROZELLE, { suburb: 'Rozelle' });

    // Assess
    expect(test.StatusCode).toBe(200);
    expect(test.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(test.Payload ?? []).toString())).toBeTypeOf('object');
    expect(bad.StatusCode).toBe(200);
    expect(bad.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(bad.Payload ?? []).toString())).toMatchObject({
      errorType: expect.any(String),
      errorMessage: expect.any(String),
    });
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(after.status).toBe(200);
    lambda.destroy();
  });

  it('sends an object the ETL cannot process to the DLQ after three receives, and keeps it for the next start', async () => {
    // Prepare
    const dataDir = tempDataDir();
    const { stack, log } = await start(dataDir);
    const { s3 } = stack.localAws.clients();
    const key = rawObjectKey(Date.parse('2020-02-02T02:00:00Z'));

    // Act
    await s3.send(new PutObjectCommand({ Bucket: stack.resources.rawBucket, Key: key, Body: 'not a raw object' }));
    const drain = await stack.waitUntilDrained({ expectKeys: [key], timeoutMs: 60_000 });

    // Assess
    expect(drain.drained).toBe(true);
    expect(await stack.dlqDepth()).toBe(1);
    expect(log.lines.map((l) => l.message)).toContain(`${key} failed (receive 3 of 3), moving to the DLQ`);
    const pending = JSON.parse(readFileSync(join(dataDir, PENDING_FILE), 'utf8')) as {
      objects: Array<{ key: string }>;
    };
    expect(pending.objects.map((o) => o.key)).toEqual([key]);
    s3.destroy();
  });
});

describe('pulse local: restart, shutdown, conflicts', () => {
  it('keeps the data across a stop and a start on the same data dir', async () => {
    // Prepare
    const dataDir = tempDataDir();
    const hours = latestHours(2);
    const first = await start(dataDir);
    await ingestAndDrain(first.stack, hours);
    const before = await graphql<Readings>(first.stack, ROZELLE, { suburb: 'Rozelle' });
    await first.stack.stop();

    // Act
    const second = await start(dataDir);
    const after = await graphql<Readings>(second.stack, ROZELLE, { suburb: 'Rozelle' });

    // Assess
    expect(hourStartsOf(before.body).length).toBeGreaterThanOrEqual(2);
    expect(hourStartsOf(after.body)).toEqual(hourStartsOf(before.body));
    expect(await second.stack.stationHours(hours)).toBe(12 * 2);
  });

  it('honours a page token issued before a stop and a start on the same data dir', async () => {
    // Prepare
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    await ingestAndDrain(first.stack, latestHours(2));
    const page1 = await graphql<Readings & { getAirQualityData: { nextToken: string | null } }>(first.stack, PAGED, {
      suburb: 'Rozelle',
    });
    const token = page1.body.data?.getAirQualityData.nextToken;
    await first.stack.stop();

    // Act
    const second = await start(dataDir);
    const page2 = await graphql<Readings>(second.stack, PAGED, { suburb: 'Rozelle', nextToken: token });

    // Assess
    expect(token).toMatch(/^v1\./);
    expect(page2.body.errors).toBeUndefined();
    expect(hourStartsOf(page2.body)).toHaveLength(1);
    expect(hourStartsOf(page2.body)[0]).toBeLessThan(hourStartsOf(page1.body)[0] as number);
  });

  it('stops everything: the local AWS child is gone, every port is free, endpoints.json is removed', async () => {
    // Prepare
    const dataDir = tempDataDir();
    const { stack } = await start(dataDir);
    const written = readEndpointsFile(dataDir);
    const childPid = stack.localAws.pid;
    const ports = [stack.endpoints.graphql.url, ...Object.values(stack.endpoints.endpoints)].map((url) =>
      Number(new URL(url).port),
    );

    // Act
    await stack.stop();

    // Assess
    expect(written?.pids).toEqual({ stack: process.pid, localAws: childPid });
    expect(childPid).toBeTypeOf('number');
    expect(isProcessAlive(childPid)).toBe(false);
    expect(existsSync(endpointsPath(dataDir))).toBe(false);
    for (const port of ports) await expect(canListen(port)).resolves.toBe(true);
  });

  it('names the port when the GraphQL port is taken, and starts nothing', async () => {
    // Prepare
    const blocker = await occupy();
    const port = (blocker.address() as { port: number }).port;
    const dataDir = tempDataDir();

    // Act
    const attempt = start(dataDir, { port });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(`port ${port} on 127.0.0.1 (GraphQL API) is already in use`);
    expect(existsSync(endpointsPath(dataDir))).toBe(false);
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('refuses a second stack on a data dir a running stack uses', async () => {
    const dataDir = tempDataDir();
    await start(dataDir);

    await expect(start(dataDir)).rejects.toBeInstanceOf(StackAlreadyRunningError);
  });
});

function occupy(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
