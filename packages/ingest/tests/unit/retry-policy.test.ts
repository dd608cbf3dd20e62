import { describe, expect, it } from 'vitest';
import {
  type AttemptOutcome,
  backoffDelay,
  decideRetry,
  isRetryable,
  parseRetryAfter,
  type RetryContext,
  type RetryPolicy,
} from '../../src/domain/retry-policy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 3_000 };
const NOW = Date.UTC(2026, 10, 20, 14, 5);

function ctx(overrides: Partial<RetryContext> & { outcome: AttemptOutcome }): RetryContext {
  return { attempt: 1, policy, random: () => 0.5, now: NOW, minAttemptMs: 100, ...overrides };
}

describe('which failures are retried', () => {
  it.each([
    [{ kind: 'status', status: 500 }, true],
    [{ kind: 'status', status: 502 }, true],
    [{ kind: 'status', status: 503 }, true],
    [{ kind: 'status', status: 429 }, true],
    [{ kind: 'timeout' }, true],
    [{ kind: 'network', code: 'ECONNRESET' }, true],
    [{ kind: 'malformed-body' }, true],
    [{ kind: 'status', status: 400 }, false],
    [{ kind: 'status', status: 403 }, false],
    [{ kind: 'status', status: 404 }, false],
    [{ kind: 'invalid-schema' }, false],
  ] as [AttemptOutcome, boolean][])('%j -> retry %s', (outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });
});

describe('exponential backoff with full jitter', () => {
  it('draws each delay below a ceiling that doubles per retry up to the cap', () => {
    // Prepare: the largest value random() can return
    const top = () => 0.999_999;
    // Act
    const ceilings = [1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy, top));
    // Assess
    expect(ceilings).toEqual([499, 999, 1_999, 2_999, 2_999]);
  });

  it('can draw zero (full jitter, not equal jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('scales with the random draw', () => {
    expect(backoffDelay(2, policy, () => 0.25)).toBe(250);
  });
});

describe('retry decisions', () => {
  it('retries a 503 after a jittered delay', () => {
    expect(decideRetry(ctx({ outcome: { kind: 'status', status: 503 } }))).toEqual({ retry: true, delayMs: 250 });
  });

  it('does not retry a 404 even with attempts left', () => {
    expect(decideRetry(ctx({ outcome: { kind: 'status', status: 404 } }))).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });

  it('stops after the last attempt', () => {
    expect(decideRetry(ctx({ attempt: 4, outcome: { kind: 'timeout' } }))).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });

  it('waits at least as long as a 429 Retry-After asks', () => {
    const decision = decideRetry(ctx({ outcome: { kind: 'status', status: 429, retryAfterMs: 2_000 } }));
    expect(decision).toEqual({ retry: true, delayMs: 2_000 });
  });

  it('gives up when the delay plus a minimal attempt would pass the deadline', () => {
    // Prepare: 250 ms delay + 100 ms minimal attempt needs 350 ms; only 300 left
    const decision = decideRetry(ctx({ outcome: { kind: 'network' }, deadline: NOW + 300 }));
    // Assess
    expect(decision).toEqual({ retry: false, reason: 'deadline' });
  });

  it('retries when the deadline leaves room', () => {
    expect(decideRetry(ctx({ outcome: { kind: 'network' }, deadline: NOW + 350 }))).toEqual({
      retry: true,
      delayMs: 250,
    });
  });

  it('gives up rather than sleep through a Retry-After longer than the time left', () => {
    const decision = decideRetry(
      ctx({ outcome: { kind: 'status', status: 503, retryAfterMs: 60_000 }, deadline: NOW + 30_000 }),
    );
    expect(decision).toEqual({ retry: false, reason: 'deadline' });
  });
});

describe('Retry-After header', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3_000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW)).toBe(5_000);
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});
