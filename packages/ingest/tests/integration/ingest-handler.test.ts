import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { ValidationError } from '@opendata-pulse/shared/errors';
import {
  parseRawKey,
  rawDayKey,
  rawDayRevisionKey,
  rawObjectKey,
  rawRevisionKey,
  referenceObjectKey,
} from '@opendata-pulse/shared/keys';
import { hourlyObservationQuery, type NswObservation } from '@opendata-pulse/shared/nsw';
import {
  buildRawDayEnvelope,
  parseRawObject,
  parseSitesReference,
  type RawEnvelope,
  sha256Hex,
} from '@opendata-pulse/shared/raw';
import { nswHourToUtc } from '@opendata-pulse/shared/time';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIngestHandler, type IngestHandlerOptions } from '../../src/handler';
import type { IngestResult } from '../../src/use-cases/ingest-hour.use-case';
import type { TestRunResult } from '../../src/use-cases/test-run.use-case';
import scheduledEvent from '../events/scheduled-event.json' with { type: 'json' };
import {
  freshBucket,
  ingestEnv,
  listKeys,
  readJson,
  recordingClock,
  SNAPSHOT_HOUR,
  SNAPSHOT_KEY,
  SNAPSHOT_NOW,
  testS3,
} from './support';

const s3 = testS3();
let nsw: FakeNsw;
let bucket: string;

beforeAll(async () => {
  nsw = await startFakeNsw({ now: () => SNAPSHOT_NOW });
});
afterAll(async () => {
  await nsw.close();
  s3.destroy();
});
beforeEach(async () => {
  bucket = await freshBucket(s3);
  nsw.setNow(() => SNAPSHOT_NOW);
  nsw.requests.length = 0;
});

function ingest(extraEnv: Record<string, string> = {}, options: IngestHandlerOptions = {}) {
  const handler = createIngestHandler({
    env: () => ingestEnv(bucket, nsw.endpoint, extraEnv),
    clock: recordingClock(),
    random: () => 0.5,
    ...options,
  });
  return (event: unknown) => handler(event, {} as Context);
}

const requestsTo = (operation: string) => nsw.requests.filter((r) => r.path.endsWith(`/${operation}`));
/** Observation queries the fake NSW received for one local date (the snapshot's empty body is none). */
const datedRequestsFor = (date: string) =>
  requestsTo('get_Observations').filter((r) => r.body !== '' && JSON.parse(r.body).StartDate === date);
const rawKeys = async () => (await listKeys(s3, bucket)).filter((k) => parseRawKey(k) !== undefined);

describe('scheduled run', () => {
  it('stores the snapshot under the hour its observations carry, in the raw envelope', async () => {
    // Act
    const result = (await ingest()(scheduledEvent)) as IngestResult;
    // Assess: the result
    expect(result).toMatchObject({ status: 'written', hourStart: SNAPSHOT_HOUR, key: SNAPSHOT_KEY });
    expect(result.recordCount).toBe(12 * 8);
    // Assess: the object holds NSW's body exactly as received, with its provenance
    const snapshotRequest = requestsTo('get_Observations')[0];
    expect(snapshotRequest).toMatchObject({ method: 'POST', body: '' });
    const { envelope, observations } = parseRawObject(JSON.stringify(await readJson(s3, bucket, SNAPSHOT_KEY)));
    expect(envelope).toMatchObject({
      hourStart: SNAPSHOT_HOUR,
      source: {
        url: `${nsw.endpoint}/get_Observations`,
        operation: 'get_Observations',
        label: 'sample',
        timeZone: 'Australia/Sydney',
      },
      request: { method: 'POST', body: null },
      recordCount: 96,
      ingestVersion: '@opendata-pulse/ingest@0.1.0',
      response: { status: 200, contentType: 'application/json; charset=utf-8' },
    });
    expect(envelope.response.body).toBe(JSON.stringify(nsw.dataset.observationsFor('2026-11-21', 1)));
    expect(envelope.contentSha256).toBe(result.contentSha256);
    expect(envelope.fetchedAt).toBe(result.fetchedAt);
    expect(observations.every((o) => o.Date === '2026-11-21' && o.Hour === 1)).toBe(true);
  });

  it('records the hash, record count, hour and fetch time in S3 metadata', async () => {
    const result = (await ingest()(scheduledEvent)) as IngestResult;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: SNAPSHOT_KEY }));
    expect(head.Metadata).toEqual({
      'content-sha256': result.contentSha256,
      'record-count': '96',
      'hour-start': SNAPSHOT_HOUR,
      'fetched-at': result.fetchedAt,
    });
  });

  it('is a no-op when re-run with the same content: one object, unchanged', async () => {
    // Prepare
    const run = ingest();
    const first = (await run(scheduledEvent)) as IngestResult;
    const stored = await readJson<RawEnvelope>(s3, bucket, SNAPSHOT_KEY);
    // Act
    const second = (await run(scheduledEvent)) as IngestResult;
    // Assess
    expect(second).toEqual({ ...first, status: 'unchanged' });
    expect(await rawKeys()).toEqual([SNAPSHOT_KEY]);
    expect(await readJson<RawEnvelope>(s3, bucket, SNAPSHOT_KEY)).toEqual(stored);
  });

  it('stores a changed snapshot beside HH.json, which stays the first snapshot', async () => {
    // Prepare
    const run = ingest();
    const first = (await run(scheduledEvent)) as IngestResult;
    const firstObject = await readJson<RawEnvelope>(s3, bucket, SNAPSHOT_KEY);
    nsw.inject({ kind: 'values-envelope' }); // same observations, different bytes
    // Act
    const second = (await run(scheduledEvent)) as IngestResult;
    // Assess: HH.json untouched, the revision under its own key naming its fetch and hash
    expect(second.status).toBe('written');
    expect(second.contentSha256).not.toBe(first.contentSha256);
    expect(second.key).toBe(rawRevisionKey(SNAPSHOT_HOUR, second.fetchedAt, second.contentSha256));
    expect(await rawKeys()).toEqual([SNAPSHOT_KEY, second.key]);
    expect(await readJson<RawEnvelope>(s3, bucket, SNAPSHOT_KEY)).toEqual(firstObject);
    const { envelope, observations } = parseRawObject(JSON.stringify(await readJson(s3, bucket, second.key)));
    expect(envelope).toMatchObject({ hourStart: SNAPSHOT_HOUR, contentSha256: second.contentSha256 });
    expect(envelope.response.body.startsWith('{"Values":')).toBe(true);
    expect(observations).toHaveLength(96);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: second.key }));
    expect(head.Metadata).toMatchObject({ 'hour-start': SNAPSHOT_HOUR, 'fetched-at': second.fetchedAt });
  });

  it('compares with the newest version: A, B, A stores three objects, and A again nothing', async () => {
    // Prepare
    const run = ingest();
    await run(scheduledEvent); // A
    nsw.inject({ kind: 'values-envelope' });
    const b = (await run(scheduledEvent)) as IngestResult;
    // Act
    const aAgain = (await run(scheduledEvent)) as IngestResult;
    const aOnceMore = (await run(scheduledEvent)) as IngestResult;
    // Assess
    expect(aAgain.status).toBe('written');
    expect(aAgain.key).not.toBe(b.key);
    expect(await rawKeys()).toEqual([SNAPSHOT_KEY, b.key, aAgain.key].sort());
    expect(aOnceMore).toMatchObject({ status: 'unchanged', key: aAgain.key, fetchedAt: aAgain.fetchedAt });
  });

  it('follows NSW to a newer hour when it publishes one', async () => {
    // Prepare
    const run = ingest();
    await run(scheduledEvent);
    nsw.setNow(() => SNAPSHOT_NOW + 3_600_000);
    // Act
    const result = (await run(scheduledEvent)) as IngestResult;
    // Assess
    expect(result.key).toBe('nsw-air-quality/raw/2026/11/20/14.json');
    expect(await listKeys(s3, bucket)).toEqual(
      expect.arrayContaining([SNAPSHOT_KEY, 'nsw-air-quality/raw/2026/11/20/14.json']),
    );
  });
});

describe('catching up hours a snapshot skipped', () => {
  const catchUp = { INGEST_CATCH_UP_HOURS: '3' };

  it('fills the missing hours before the snapshot hour with one query per local date', async () => {
    // Act: 10:00–12:00Z on 20 Nov are Date 2026-11-20 Hours 22–24 in Sydney
    const result = (await ingest(catchUp)(scheduledEvent)) as IngestResult;
    // Assess
    const earlier = ['10', '11', '12'].map((h) => `nsw-air-quality/raw/2026/11/20/${h}.json`);
    expect(result).toMatchObject({ status: 'written', key: SNAPSHOT_KEY, caughtUp: earlier });
    const queries = requestsTo('get_Observations').map((r) => r.body);
    expect(queries).toEqual(['', JSON.stringify(hourlyObservationQuery('2026-11-20', '2026-11-21'))]);
    expect(await listKeys(s3, bucket)).toEqual(expect.arrayContaining([...earlier, SNAPSHOT_KEY]));
    const { envelope } = parseRawObject(JSON.stringify(await readJson(s3, bucket, earlier[0] ?? '')));
    expect(envelope.hourStart).toBe('2026-11-20T10:00:00.000Z');
  });

  it('leaves hours already stored alone', async () => {
    const run = ingest(catchUp);
    await run(scheduledEvent);
    nsw.requests.length = 0;
    const again = (await run(scheduledEvent)) as IngestResult;
    expect(again.caughtUp).toBeUndefined();
    expect(requestsTo('get_Observations')).toHaveLength(1);
  });

  it('leaves hours a backfilled day object holds alone: each NSW answer is stored once', async () => {
    // Prepare: a backfill of 11:00Z stores the local date 2026-11-20 (its hours up to the clock)
    const run = ingest(catchUp);
    await run({ backfill: true, timestamp: '2026-11-20T11:00:00Z' });
    nsw.requests.length = 0;
    // Act
    const result = (await run(scheduledEvent)) as IngestResult;
    // Assess: only the snapshot was asked for and written
    expect(result).toMatchObject({ status: 'written', key: SNAPSHOT_KEY });
    expect(result.caughtUp).toBeUndefined();
    expect(requestsTo('get_Observations').map((r) => r.body)).toEqual(['']);
  });

  it('skips the repeated hour when daylight saving ends, which has no NSW label', async () => {
    // Prepare: snapshot hour 17:00Z on 4 Apr 2026 (Date 04-05 Hour 4, 03:00 AEST); 16:00Z is the
    // second 02:00–03:00 local hour, which NSW's Hour 3 does not cover
    nsw.setNow(() => Date.UTC(2026, 3, 4, 18, 5));
    // Act
    const result = (await ingest(catchUp)(scheduledEvent)) as IngestResult;
    // Assess
    expect(result.key).toBe('nsw-air-quality/raw/2026/04/04/17.json');
    expect(result.caughtUp).toEqual([
      'nsw-air-quality/raw/2026/04/04/14.json',
      'nsw-air-quality/raw/2026/04/04/15.json',
    ]);
  });

  it('still succeeds, with the snapshot hour stored, when catching up fails', async () => {
    // Prepare: the snapshot succeeds (in NSW's alternative envelope), the day query fails every attempt
    nsw.inject(
      { kind: 'values-envelope' },
      ...Array.from({ length: 3 }, () => ({ kind: 'status', status: 503 }) as const),
    );
    // Act
    const result = (await ingest(catchUp)(scheduledEvent)) as IngestResult;
    // Assess
    expect(result).toMatchObject({ status: 'written', key: SNAPSHOT_KEY });
    expect(result.caughtUp).toBeUndefined();
    expect((await listKeys(s3, bucket)).filter((k) => k.includes('/raw/'))).toEqual([SNAPSHOT_KEY]);
  });
});

describe('backfill', () => {
  // 02:00Z on 3 Jun 2026 is Date 2026-06-03 Hour 13 in Sydney (AEST, UTC+10); that local day runs
  // from 14:00Z on 2 Jun (Hour 1) to 13:00Z on 3 Jun (Hour 24).
  const hourStart = '2026-06-03T02:00:00Z';
  const dayHours = Array.from({ length: 24 }, (_, i) => new Date(Date.UTC(2026, 5, 2, 14 + i)).toISOString());

  it("stores the hour's local day once, as received, as that date's day object", async () => {
    // Act
    const result = (await ingest()({ backfill: true, timestamp: hourStart })) as IngestResult;
    // Assess: the result
    expect(result).toEqual({
      status: 'written',
      hourStart: '2026-06-03T02:00:00.000Z',
      key: rawDayKey('2026-06-03'),
      localDate: '2026-06-03',
      hours: dayHours,
      recordCount: 24 * 96,
      contentSha256: expect.stringMatching(/^[a-f0-9]{64}$/),
      fetchedAt: expect.any(String),
    });
    // Assess: one dated query, stored untouched in a day envelope with its metadata
    const query = hourlyObservationQuery('2026-06-03', '2026-06-04');
    expect(requestsTo('get_Observations').map((r) => JSON.parse(r.body))).toEqual([query]);
    expect(await rawKeys()).toEqual([rawDayKey('2026-06-03')]);
    const { envelope, observations } = parseRawObject(JSON.stringify(await readJson(s3, bucket, result.key)), 'day');
    expect(envelope).toMatchObject({ localDate: '2026-06-03', request: { method: 'POST', body: query } });
    const day = Array.from({ length: 24 }, (_, i) => nsw.dataset.observationsFor('2026-06-03', i + 1)).flat();
    expect(envelope.response.body).toBe(JSON.stringify(day));
    expect(envelope.contentSha256).toBe(result.contentSha256);
    const forHour = observations.filter(
      (o: NswObservation) => nswHourToUtc(o.Date, o.Hour, 'Australia/Sydney') === result.hourStart,
    );
    expect(forHour).toHaveLength(96);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: result.key }));
    expect(head.Metadata).toEqual({
      'content-sha256': result.contentSha256,
      'record-count': String(24 * 96),
      'fetched-at': result.fetchedAt,
      'local-date': '2026-06-03',
      'first-hour': dayHours[0],
      'last-hour': dayHours[23],
    });
  });

  it('answers another hour of a stored date from the stored day: unchanged, one dated request in all', async () => {
    // Prepare
    const run = ingest();
    const first = (await run({ backfill: true, timestamp: hourStart })) as IngestResult;
    // Act: Hour 1 of the same local date, and the first hour again
    const other = (await run({ backfill: true, timestamp: '2026-06-02T14:00:00Z' })) as IngestResult;
    const again = (await run({ backfill: true, timestamp: hourStart })) as IngestResult;
    // Assess
    expect(other).toEqual({ ...first, status: 'unchanged', hourStart: '2026-06-02T14:00:00.000Z' });
    expect(again).toEqual({ ...first, status: 'unchanged' });
    expect(datedRequestsFor('2026-06-03')).toHaveLength(1);
    expect(await rawKeys()).toEqual([rawDayKey('2026-06-03')]);
  });

  it('asks NSW again for an hour the stored day lacks, and stores the new answer beside it', async () => {
    // Prepare: the date stored while in progress, Hours 1–10 only (14:00Z–23:00Z on 2 Jun)
    const partial = JSON.stringify(
      Array.from({ length: 10 }, (_, i) => nsw.dataset.observationsFor('2026-06-03', i + 1)).flat(),
    );
    const early = buildRawDayEnvelope({
      localDate: '2026-06-03',
      source: { url: nsw.endpoint, operation: 'get_Observations', label: 'sample', timeZone: 'Australia/Sydney' },
      request: { method: 'POST', body: hourlyObservationQuery('2026-06-03', '2026-06-04') },
      fetchedAt: '2026-06-02T23:30:00.000Z',
      recordCount: 10 * 96,
      ingestVersion: 'test',
      response: { status: 200, contentType: 'application/json', body: partial },
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: rawDayKey('2026-06-03'),
        Body: JSON.stringify(early),
        Metadata: {
          'content-sha256': early.contentSha256,
          'fetched-at': early.fetchedAt,
          'first-hour': dayHours[0] as string,
          'last-hour': dayHours[9] as string,
        },
      }),
    );
    // Act: Hour 13 is not in it
    const result = (await ingest()({ backfill: true, timestamp: hourStart })) as IngestResult;
    // Assess
    expect(result.status).toBe('written');
    expect(result.key).toBe(rawDayRevisionKey('2026-06-03', result.fetchedAt, result.contentSha256));
    expect(result.hours).toEqual(dayHours);
    expect(datedRequestsFor('2026-06-03')).toHaveLength(1);
    expect(await rawKeys()).toEqual([rawDayKey('2026-06-03'), result.key]);
    expect(await readJson(s3, bucket, rawDayKey('2026-06-03'))).toEqual(early);
  });

  it('fails clearly and writes nothing when NSW has no observation for that hour', async () => {
    // Prepare: the second 02:00–03:00 of 5 Apr 2026 in Sydney (daylight saving ends) has no label
    // of its own: NSW's Hour 3 of that day is the first occurrence, 15:00Z.
    const repeatedHour = '2026-04-04T16:00:00Z';
    // Act
    const act = ingest()({ backfill: true, timestamp: repeatedHour });
    // Assess
    await expect(act).rejects.toThrow(
      'NSW returned 2304 observations for 2026-04-05 but none for 2026-04-04T16:00:00.000Z (Date 2026-04-05 Hour 3 in Australia/Sydney); nothing was written',
    );
    expect(await listKeys(s3, bucket)).toEqual([]);
  });

  it('refuses an hour that has not ended yet', async () => {
    const current = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    await expect(ingest()({ backfill: true, timestamp: current })).rejects.toThrow(
      /has not ended yet; only complete hours can be backfilled/,
    );
    expect(nsw.requests).toEqual([]);
  });
});

describe('test mode', () => {
  it('reaches NSW and S3, reports what a run would write, and writes nothing', async () => {
    // Act
    const result = (await ingest()({ test: true })) as TestRunResult;
    // Assess
    expect(result).toMatchObject({
      test: true,
      reachable: true,
      recordCount: 96,
      hourStart: SNAPSHOT_HOUR,
      wouldWriteKey: SNAPSHOT_KEY,
      alreadyStored: false,
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await listKeys(s3, bucket)).toEqual([]);
    expect(nsw.requests.map((r) => r.path)).toEqual(['/api/Data/get_Observations']);
  });

  it('counts any stored version of the hour as already stored', async () => {
    // Prepare: the hour's first snapshot and a revision beside it
    const run = ingest();
    await run(scheduledEvent);
    nsw.inject({ kind: 'values-envelope' });
    await run(scheduledEvent);
    // Act
    const result = (await run({ test: true })) as TestRunResult;
    // Assess
    expect(result).toMatchObject({ wouldWriteKey: SNAPSHOT_KEY, alreadyStored: true });
  });

  it('reports an unreachable NSW API as the finding, still writing nothing', async () => {
    nsw.inject({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const result = (await ingest()({ test: true })) as TestRunResult;
    expect(result).toMatchObject({ test: true, reachable: false, recordCount: 0 });
    expect(result.error).toMatch(/NSW get_Observations failed after 3 attempts: HTTP 503/);
    expect(await listKeys(s3, bucket)).toEqual([]);
  });

  it('fails when the raw bucket cannot be reached', async () => {
    const run = ingest({ S3_BUCKET: 'ingest-it-no-such-bucket' });
    await expect(run({ test: true })).rejects.toThrow(
      'Raw bucket "ingest-it-no-such-bucket" cannot be reached: it does not exist',
    );
    expect(nsw.requests).toEqual([]);
  });
});

describe('circuit breaker', () => {
  it('takes no work when CIRCUIT_BREAKER is "true"', async () => {
    const result = await ingest({ CIRCUIT_BREAKER: 'true' })(scheduledEvent);
    expect(result).toEqual({ skipped: 'circuit-breaker' });
    expect(nsw.requests).toEqual([]);
    expect(await listKeys(s3, bucket)).toEqual([]);
  });

  it('skips backfills and test runs too', async () => {
    const run = ingest({ CIRCUIT_BREAKER: 'true' });
    expect(await run({ backfill: true, timestamp: '2026-06-03T02:00:00Z' })).toEqual({ skipped: 'circuit-breaker' });
    expect(await run({ test: true })).toEqual({ skipped: 'circuit-breaker' });
    expect(nsw.requests).toEqual([]);
  });
});

describe('payloads and configuration', () => {
  it('rejects a malformed payload with a ValidationError before any work', async () => {
    const act = ingest()({ backfill: 'yes' });
    await expect(act).rejects.toThrow(ValidationError);
    await expect(ingest()({ hour: 13 })).rejects.toThrow(/Unrecognised ingest payload/);
    expect(nsw.requests).toEqual([]);
  });

  it('names the missing variable when the bucket is not configured', async () => {
    const run = ingest({ S3_BUCKET: '' });
    await expect(run(scheduledEvent)).rejects.toThrow(/S3_BUCKET is required/);
  });
});

describe('reference data', () => {
  it('stores the site and parameter lists on the first run and not again the same day', async () => {
    // Prepare
    const run = ingest();
    // Act
    await run(scheduledEvent);
    await run(scheduledEvent);
    // Assess
    expect(requestsTo('get_SiteDetails')).toHaveLength(1);
    expect(requestsTo('get_ParameterDetails')).toHaveLength(1);
    const keys = await listKeys(s3, bucket);
    expect(keys).toEqual([SNAPSHOT_KEY, referenceObjectKey('parameters'), referenceObjectKey('sites')]);
    const sitesText = JSON.stringify(await readJson(s3, bucket, referenceObjectKey('sites')));
    const { envelope, sites } = parseSitesReference(sitesText);
    expect(sites).toEqual(nsw.dataset.sites);
    expect(envelope).toMatchObject({ kind: 'sites', source: { operation: 'get_SiteDetails', label: 'sample' } });
    expect(envelope.contentSha256).toBe(sha256Hex(JSON.stringify(nsw.dataset.sites)));
  });

  it('refreshes them once they are a day old', async () => {
    // Prepare
    await ingest()(scheduledEvent);
    // Act: the same bucket seen from a clock 25 hours on
    await ingest({}, { clock: recordingClock(25 * 3_600_000) })(scheduledEvent);
    // Assess
    expect(requestsTo('get_SiteDetails')).toHaveLength(2);
    expect(requestsTo('get_ParameterDetails')).toHaveLength(2);
  });

  it('does not fail the hour when the site list cannot be fetched', async () => {
    // Prepare: the snapshot succeeds (in NSW's alternative envelope), then every site-list attempt fails
    nsw.inject(
      { kind: 'values-envelope' },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
    );
    // Act
    const result = (await ingest()(scheduledEvent)) as IngestResult;
    // Assess
    expect(result.status).toBe('written');
    expect(await listKeys(s3, bucket)).toEqual([rawObjectKey(SNAPSHOT_HOUR), referenceObjectKey('parameters')]);
  });
});
