import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { UpstreamError } from '@opendata-pulse/shared/errors';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../src/handler';
import type { IngestResult } from '../../src/use-cases/ingest-hour.use-case';
import scheduledEvent from '../events/scheduled-event.json' with { type: 'json' };
import {
  freshBucket,
  ingestEnv,
  listKeys,
  type RecordingClock,
  recordingClock,
  SNAPSHOT_KEY,
  SNAPSHOT_NOW,
  testS3,
} from './support';

const s3 = testS3();
let nsw: FakeNsw;
let bucket: string;
let clock: RecordingClock;

beforeAll(async () => {
  nsw = await startFakeNsw({ now: () => SNAPSHOT_NOW });
});
afterAll(async () => {
  await nsw.close();
  s3.destroy();
});
beforeEach(async () => {
  bucket = await freshBucket(s3);
  clock = recordingClock();
  nsw.requests.length = 0;
});

/** One scheduled run; the jitter draw is fixed at 0.5 so delays are half of each ceiling. */
function run(extraEnv: Record<string, string> = {}, context: Partial<Context> = {}) {
  const handler = createIngestHandler({
    env: () => ingestEnv(bucket, nsw.endpoint, extraEnv),
    clock,
    random: () => 0.5,
  });
  return handler(scheduledEvent, context as Context);
}

const snapshotRequests = () => nsw.requests.filter((r) => r.path.endsWith('/get_Observations'));

async function expectNothingWritten() {
  expect(await listKeys(s3, bucket)).toEqual([]);
}

describe('transient faults are retried with exponential backoff and full jitter', () => {
  it('recovers from two 500s and writes the hour', async () => {
    // Prepare
    nsw.inject({ kind: 'status', status: 500 }, { kind: 'status', status: 502 });
    // Act
    const result = (await run()) as IngestResult;
    // Assess: base 50 ms doubling, half of each ceiling
    expect(result).toMatchObject({ status: 'written', key: SNAPSHOT_KEY });
    expect(snapshotRequests()).toHaveLength(3);
    expect(clock.delays).toEqual([25, 50]);
  });

  it('recovers from a connection reset', async () => {
    nsw.inject({ kind: 'reset' });
    expect(((await run()) as IngestResult).status).toBe('written');
    expect(snapshotRequests()).toHaveLength(2);
  });

  it('recovers from a hang once the per-request timeout fires', async () => {
    nsw.inject({ kind: 'hang' });
    expect(((await run({ NSW_TIMEOUT_MS: '200' })) as IngestResult).status).toBe('written');
    expect(snapshotRequests()).toHaveLength(2);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    nsw.inject({ kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    expect(((await run()) as IngestResult).status).toBe('written');
    expect(clock.delays).toEqual([2_000]);
  });
});

describe('every upstream fault that persists ends in a clear error and writes nothing', () => {
  it('500 on every attempt', async () => {
    nsw.inject(...Array.from({ length: 3 }, () => ({ kind: 'status', status: 500 }) as const));
    const act = run();
    await expect(act).rejects.toThrow(UpstreamError);
    await expect(act).rejects.toThrow(
      /^NSW get_Observations failed after 3 attempts: HTTP 500 \(\{"message":"injected 500"\}\)$/,
    );
    expect(clock.delays).toEqual([25, 50]);
    await expectNothingWritten();
  });

  it('a hang on every attempt', async () => {
    nsw.inject({ kind: 'hang' }, { kind: 'hang' });
    await expect(run({ NSW_TIMEOUT_MS: '150', NSW_MAX_ATTEMPTS: '2' })).rejects.toThrow(
      'NSW get_Observations failed after 2 attempts: no complete response within 150 ms',
    );
    await expectNothingWritten();
  });

  it('a connection reset on every attempt', async () => {
    nsw.inject({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    await expect(run()).rejects.toThrow(/^NSW get_Observations failed after 3 attempts: the connection failed \(.+\)$/);
    await expectNothingWritten();
  });

  it('truncated JSON on every attempt', async () => {
    nsw.inject({ kind: 'truncated' }, { kind: 'truncated' }, { kind: 'truncated' });
    await expect(run()).rejects.toThrow(
      /^NSW get_Observations failed after 3 attempts: the response body is not valid JSON \(.+\)$/,
    );
    await expectNothingWritten();
  });

  it('a schema change, without retrying: the same answer would come back', async () => {
    nsw.inject({ kind: 'schema-change' });
    await expect(run()).rejects.toThrow(
      /^NSW get_Observations failed after 1 attempt: observations response failed validation at \[0\]\.Site_Id: /,
    );
    expect(snapshotRequests()).toHaveLength(1);
    await expectNothingWritten();
  });

  it('a 4xx other than 429, without retrying', async () => {
    nsw.inject({ kind: 'status', status: 400, body: '{"message":"bad query"}' });
    const act = run();
    await expect(act).rejects.toThrow(
      'NSW get_Observations failed after 1 attempt: HTTP 400 ({"message":"bad query"})',
    );
    expect(snapshotRequests()).toHaveLength(1);
    await expectNothingWritten();
  });

  it('an empty snapshot', async () => {
    // Prepare: a valid answer with no rows
    nsw.inject({ kind: 'status', status: 200, body: '[]' });
    await expect(run()).rejects.toThrow(/NSW snapshot held no observations/);
    await expectNothingWritten();
  });
});

describe('retries fit the Lambda timeout', () => {
  it('stops retrying when another attempt could not finish before the deadline', async () => {
    // Prepare: 1.2 s left, 1 s kept back for the S3 writes -> 200 ms for NSW; a 150 ms hang uses most of it
    nsw.inject({ kind: 'hang' }, { kind: 'hang' });
    const context = { getRemainingTimeInMillis: () => 1_200 };
    // Act
    const act = run({ NSW_TIMEOUT_MS: '150', INGEST_RESERVE_MS: '1000', NSW_BACKOFF_BASE_MS: '100' }, context);
    // Assess
    await expect(act).rejects.toThrow(
      'NSW get_Observations failed after 1 attempt (no time left for another attempt before the deadline): no complete response within 150 ms',
    );
    expect(snapshotRequests()).toHaveLength(1);
    await expectNothingWritten();
  });
});
