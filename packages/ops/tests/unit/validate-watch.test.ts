/** `validate --watch`: rounds of the post-incident validation and one verdict over them (no I/O: validation stubbed). */
import { describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/use-cases/validate.use-case';
import { abortableSleep, type WatchRound, watchValidation } from '../../src/use-cases/validate-watch.use-case';
import { runPulse } from '../support/run-pulse';

const T0 = Date.parse('2026-11-27T05:40:00Z');

function report(round: number, dlq: number): ValidationReport {
  return {
    checkedAt: new Date(T0 + (round - 1) * 60_000).toISOString(),
    passed: dlq === 0,
    checks: [
      { id: 'freshness', name: 'data is fresh', status: 'ok', detail: 'FRESH' },
      { id: 'dlq', name: 'no DLQ backlog', status: dlq === 0 ? 'ok' : 'fail', detail: `${dlq} message(s) in the DLQ` },
    ],
  };
}

/** Validation answering the DLQ depths in turn; `sleeps` records every pause asked for. */
function scripted(depths: number[]) {
  let round = 0;
  const sleeps: number[] = [];
  return {
    validate: async () => {
      round += 1;
      return report(round, depths[round - 1] ?? 0);
    },
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
}

describe('watchValidation', () => {
  it('runs one round per minute and passes only when every round passed', async () => {
    // Prepare
    const run = scripted([0, 2, 0]);
    const seen: WatchRound[] = [];

    // Act
    const summary = await watchValidation(run.validate, {
      rounds: 3,
      intervalMs: 60_000,
      signal: new AbortController().signal,
      sleep: run.sleep,
      now: () => T0,
      onRound: (r) => seen.push(r),
    });

    // Assess
    expect(run.sleeps).toEqual([60_000, 60_000]);
    expect(seen.map((r) => [r.round, r.passed])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(summary).toMatchObject({ planned: 3, interrupted: false, passed: false, failedRounds: [2] });
    expect(summary.rounds[1]?.checks[1]).toEqual({
      id: 'dlq',
      name: 'no DLQ backlog',
      status: 'fail',
      detail: '2 message(s) in the DLQ',
    });
  });

  it('counts a round that cannot run as a failed round and goes on', async () => {
    // Prepare
    let calls = 0;
    const validate = async () => {
      calls += 1;
      if (calls === 1) throw new Error('getaddrinfo ENOTFOUND sqs.ap-southeast-2.amazonaws.com');
      return report(calls, 0);
    };

    // Act
    const summary = await watchValidation(validate, {
      rounds: 2,
      intervalMs: 0,
      signal: new AbortController().signal,
      sleep: async () => {},
      now: () => T0,
    });

    // Assess
    expect(summary.failedRounds).toEqual([1]);
    expect(summary.rounds[0]).toEqual({
      round: 1,
      checkedAt: '2026-11-27T05:40:00.000Z',
      passed: false,
      checks: [
        {
          id: 'validation',
          name: 'validation ran',
          status: 'fail',
          detail: 'getaddrinfo ENOTFOUND sqs.ap-southeast-2.amazonaws.com',
        },
      ],
    });
    expect(summary.passed).toBe(false);
  });

  it('stops at an interrupt during the pause, with the verdict over the rounds done', async () => {
    // Prepare
    const stop = new AbortController();
    const run = scripted([0, 0, 0]);

    // Act
    const summary = await watchValidation(run.validate, {
      rounds: 30,
      intervalMs: 60_000,
      signal: stop.signal,
      // the first pause passes at once; Ctrl-C during the second
      sleep: (ms, signal) => {
        if (run.sleeps.push(ms) < 2) return Promise.resolve();
        stop.abort();
        return abortableSleep(ms, signal);
      },
      now: () => T0,
    });

    // Assess
    expect(summary).toMatchObject({ planned: 30, interrupted: true, passed: true, failedRounds: [] });
    expect(summary.rounds).toHaveLength(2);
  });

  it('drops the round in flight at an interrupt, and does not pass with no round done', async () => {
    // Prepare
    const stop = new AbortController();
    const never = () =>
      new Promise<ValidationReport>(() => {
        stop.abort();
      });

    // Act
    const summary = await watchValidation(never, {
      rounds: 30,
      intervalMs: 60_000,
      signal: stop.signal,
      sleep: abortableSleep,
      now: () => T0,
    });

    // Assess
    expect(summary).toEqual({ planned: 30, rounds: [], interrupted: true, passed: false, failedRounds: [] });
  });

  it('wakes from a pause as soon as it is interrupted', async () => {
    // Prepare
    const stop = new AbortController();
    const started = Date.now();

    // Act
    const pause = abortableSleep(60_000, stop.signal);
    stop.abort();
    await pause;

    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('pulse validate --watch flags', () => {
  it('refuses --minutes without --watch, naming both', async () => {
    // Act
    const run = await runPulse(['validate', '--minutes', '10', '--stage', 'prod', '--account', '123456789012']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--minutes goes with --watch');
  });

  it('refuses a --minutes that is not a whole number up to a day', async () => {
    // Act
    const run = await runPulse([
      'validate',
      '--watch',
      '--minutes',
      '0',
      '--stage',
      'prod',
      '--account',
      '123456789012',
    ]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--minutes must be a whole number from 1 to 1440; got "0"');
  });
});
