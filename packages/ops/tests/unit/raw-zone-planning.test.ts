/**
 * The raw zone's pure planning: which NSW local dates a backfill invokes the ingest for (one per
 * date, at most N + 1 for N local days, daylight saving included), how each requested hour reads
 * the answer of its date, and which stored fetch speaks for an hour.
 */
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { rawDayKey, rawDayRevisionKey, rawObjectKey, rawRevisionKey } from '@opendata-pulse/shared/keys';
import { fetchedAtOfKey, localDatesOf, planBackfillDays, speakingObject } from '@opendata-pulse/shared/raw';
import { HOUR_MS, hoursBetween, toHourIso } from '@opendata-pulse/shared/time';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { backfill } from '../../src/use-cases/backfill.use-case';
import { reprocessKeys } from '../../src/use-cases/gaps.use-case';
import { inputsOf } from '../support/aws-mocks';

const SYDNEY = 'Australia/Sydney';
const iso = (ms: number) => new Date(ms).toISOString();

describe('backfill days', () => {
  it('a week of hours at any UTC offset touches at most 8 NSW local dates, each invoked with its latest hour', () => {
    // Prepare: 7 × 24 hours starting mid-way through a Sydney day
    const from = Date.parse('2026-11-20T05:00:00Z');
    const hours = hoursBetween(from, from + 7 * 24 * HOUR_MS);

    // Act
    const days = planBackfillDays(hours, SYDNEY);

    // Assess
    expect(days).toHaveLength(8);
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ]);
    expect(days.flatMap((d) => d.hours)).toEqual(hours);
    for (const day of days) expect(day.hour).toBe(Math.max(...day.hours));
    // 2026-11-21 in Sydney (AEDT, UTC+11) runs from 2026-11-20T13:00Z to 2026-11-21T13:00Z
    expect(iso(days[1]?.hour as number)).toBe('2026-11-21T12:00:00.000Z');
  });

  it('whole local days cost one invocation each, across the end of daylight saving (a 25-hour day)', () => {
    // Prepare: Sydney local 2026-04-04 00:00 (AEDT) to 2026-04-06 00:00 (AEST): 24 + 25 hours
    const hours = hoursBetween(Date.parse('2026-04-03T13:00:00Z'), Date.parse('2026-04-05T14:00:00Z'));

    // Act
    const days = planBackfillDays(hours, SYDNEY);

    // Assess
    expect(hours).toHaveLength(49);
    expect(days.map((d) => [d.date, d.hours.length, iso(d.hour)])).toEqual([
      ['2026-04-04', 24, '2026-04-04T12:00:00.000Z'],
      ['2026-04-05', 25, '2026-04-05T13:00:00.000Z'],
    ]);
  });

  it('the start of daylight saving makes a 23-hour local day', () => {
    // Prepare: Sydney local 2026-10-04 00:00 (AEST) to 2026-10-05 00:00 (AEDT)
    const hours = hoursBetween(Date.parse('2026-10-03T14:00:00Z'), Date.parse('2026-10-04T13:00:00Z'));

    // Act
    const dates = localDatesOf(hours, SYDNEY);

    // Assess
    expect(hours).toHaveLength(23);
    expect(dates).toEqual(['2026-10-04']);
  });
});

describe('backfill through the ingest (Lambda mocked: no local Lambda control plane fakes a day answer)', () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());
  // the SDK's payload type is a Uint8Array with helpers the decoder under test does not use
  const payload = (body: unknown) => new TextEncoder().encode(JSON.stringify(body)) as InvokeCommandOutput['Payload'];
  const answer = (body: unknown) => ({ Payload: payload(body), StatusCode: 200 });

  it('invokes once per local date and gives each requested hour its date outcome, or a failure the day does not hold', async () => {
    // Prepare: three hours of 2026-11-21 (Sydney) and one of 2026-11-22; the first day's answer lacks 12:00Z
    const hours = ['2026-11-20T14:00:00Z', '2026-11-20T15:00:00Z', '2026-11-21T12:00:00Z', '2026-11-21T13:00:00Z'].map(
      Date.parse,
    );
    lambda
      .on(InvokeCommand)
      .resolvesOnce(
        answer({
          status: 'written',
          hourStart: '2026-11-21T12:00:00Z',
          key: rawDayKey('2026-11-21'),
          localDate: '2026-11-21',
          hours: ['2026-11-20T13:00:00Z', '2026-11-20T14:00:00Z', '2026-11-20T15:00:00Z'],
          recordCount: 30,
        }),
      )
      .resolvesOnce(
        answer({
          status: 'unchanged',
          key: rawDayKey('2026-11-22'),
          localDate: '2026-11-22',
          hours: ['2026-11-21T13:00:00Z'],
          recordCount: 10,
        }),
      );

    // Act
    const summary = await backfill(
      {
        lambda: new LambdaClient({ region: 'ap-southeast-2' }),
        functionName: 'ingest',
        qualifier: 'LIVE',
        timeZone: SYDNEY,
        concurrency: 1,
      },
      hours,
    );

    // Assess
    expect(
      inputsOf(lambda.commandCalls(InvokeCommand)).map((i) =>
        JSON.parse(new TextDecoder().decode(i.Payload as Uint8Array)),
      ),
    ).toEqual([
      { backfill: true, timestamp: '2026-11-21T12:00:00Z' },
      { backfill: true, timestamp: '2026-11-21T13:00:00Z' },
    ]);
    expect(summary.days.map((d) => [d.date, d.hour, d.outcome, d.key])).toEqual([
      ['2026-11-21', '2026-11-21T12:00:00Z', 'written', rawDayKey('2026-11-21')],
      ['2026-11-22', '2026-11-21T13:00:00Z', 'unchanged', rawDayKey('2026-11-22')],
    ]);
    expect(summary.hours.map((h) => [h.hour, h.outcome])).toEqual([
      ['2026-11-20T14:00:00Z', 'written'],
      ['2026-11-20T15:00:00Z', 'written'],
      ['2026-11-21T12:00:00Z', 'failed'],
      ['2026-11-21T13:00:00Z', 'unchanged'],
    ]);
    expect(summary.hours[2]?.error).toContain('holds no observation for this hour');
    expect(summary.counts).toEqual({ written: 2, unchanged: 1, skipped: 0, failed: 1 });
  });

  it('a failed invocation fails every requested hour of its date', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'UpstreamError', errorMessage: 'NSW 500' }),
    });

    // Act
    const summary = await backfill(
      {
        lambda: new LambdaClient({ region: 'ap-southeast-2' }),
        functionName: 'ingest',
        timeZone: SYDNEY,
        concurrency: 2,
      },
      [Date.parse('2026-11-20T14:00:00Z'), Date.parse('2026-11-20T15:00:00Z')],
    );

    // Assess
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(summary.hours.map((h) => [h.outcome, h.error])).toEqual([
      ['failed', 'UpstreamError: NSW 500'],
      ['failed', 'UpstreamError: NSW 500'],
    ]);
  });
});

describe('the object that speaks for an hour', () => {
  const hour = Date.parse('2026-11-20T14:00:00Z');

  it('is the newest fetch, whether an hour revision or a day object', () => {
    // Prepare
    const snapshot = { key: rawObjectKey(hour), fetchedAt: Date.parse('2026-11-20T15:05:00Z') };
    const day = { key: rawDayKey('2026-11-21'), fetchedAt: Date.parse('2026-11-22T01:00:00Z') };
    const revisionKey = rawRevisionKey(hour, '2026-11-23T04:05:12Z', 'ab'.repeat(32));
    const revision = { key: revisionKey, fetchedAt: fetchedAtOfKey(revisionKey) as number };

    // Act
    const daySpeaks = speakingObject([day, snapshot]);
    const revisionSpeaks = speakingObject([day, revision]);

    // Assess
    expect(daySpeaks?.key).toBe(day.key);
    expect(revisionSpeaks?.key).toBe(revisionKey);
    expect(iso(revision.fetchedAt)).toBe('2026-11-23T04:05:12.000Z');
    expect(speakingObject([])).toBeUndefined();
  });

  it('a fetch time is spelled only by revision keys', () => {
    expect(fetchedAtOfKey(rawDayRevisionKey('2026-11-21', '2026-11-22T01:02:03Z', 'cd'.repeat(32)))).toBe(
      Date.parse('2026-11-22T01:02:03Z'),
    );
    expect(fetchedAtOfKey(rawDayKey('2026-11-21'))).toBeUndefined();
    expect(fetchedAtOfKey(rawObjectKey(hour))).toBeUndefined();
  });

  it('a gap fix sends each speaking object once, even when a day object speaks for many hours', () => {
    // Prepare
    const hours = [0, 1, 2, 3].map((n) => hour + n * HOUR_MS);
    const speakers = new Map([
      [hours[0] as number, rawDayKey('2026-11-21')],
      [hours[1] as number, rawDayKey('2026-11-21')],
      [hours[3] as number, rawObjectKey(hours[3] as number)],
    ]);

    // Act
    const keys = reprocessKeys({ backfill: [], reprocess: hours }, speakers);

    // Assess
    expect(keys).toEqual([rawDayKey('2026-11-21'), rawObjectKey(hours[3] as number)]);
    expect(toHourIso(hours[3] as number)).toBe('2026-11-20T17:00:00Z');
  });
});
