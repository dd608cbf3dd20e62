/**
 * The exported `handler` exactly as Lambda and the local stack load it: configuration from
 * process.env, the payloads from real event JSON.
 */
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../src/handler';
import backfillEvent from '../events/backfill-event.json' with { type: 'json' };
import scheduledEvent from '../events/scheduled-event.json' with { type: 'json' };
import testEvent from '../events/test-event.json' with { type: 'json' };
import { freshBucket, ingestEnv, listKeys, SNAPSHOT_KEY, SNAPSHOT_NOW, testS3 } from './support';

const s3 = testS3();
let nsw: FakeNsw;
let bucket: string;

beforeAll(async () => {
  nsw = await startFakeNsw({ now: () => SNAPSHOT_NOW });
  bucket = await freshBucket(s3);
  for (const [name, value] of Object.entries(ingestEnv(bucket, nsw.endpoint))) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await nsw.close();
  s3.destroy();
});

describe('the exported handler', () => {
  it('answers each contract payload from process.env configuration, called with or without a context', async () => {
    // Act
    const test = await handler(testEvent, {} as Context);
    const scheduled = await handler(scheduledEvent, {} as Context);
    // @ts-expect-error: the local stack may call it with the event alone
    const backfill = await handler(backfillEvent);
    // Assess
    expect(test).toMatchObject({ test: true, reachable: true, wouldWriteKey: SNAPSHOT_KEY });
    expect(scheduled).toMatchObject({ status: 'written', key: SNAPSHOT_KEY });
    // 13:00Z on 20 Nov is Hour 1 of NSW's 21 Nov: the backfill stores that local day beside the snapshot.
    expect(backfill).toMatchObject({ status: 'written', key: 'nsw-air-quality/raw/days/2026-11-21.json' });
    expect(await listKeys(s3, bucket)).toEqual([
      SNAPSHOT_KEY,
      'nsw-air-quality/raw/days/2026-11-21.json',
      'nsw-air-quality/reference/parameters.json',
      'nsw-air-quality/reference/sites.json',
    ]);
    // JSON-serialisable, as a Lambda result must be
    for (const result of [test, scheduled, backfill]) expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
