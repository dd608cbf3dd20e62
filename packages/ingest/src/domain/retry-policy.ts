/**
 * When to retry a call to the NSW API, and how long to wait: exponential backoff with full jitter
 * (delay drawn uniformly from [0, min(cap, base * 2^(n-1)))), bounded by an attempt count and by
 * a deadline so a retrying run always ends inside the Lambda timeout. Pure: no clock, no I/O.
 */

export interface RetryPolicy {
  /** total attempts including the first */
  maxAttempts: number;
  /** the first retry's delay ceiling, ms */
  baseDelayMs: number;
  /** no single delay ceiling exceeds this, ms */
  maxDelayMs: number;
}

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfterMs?: number | undefined }
  | { kind: 'timeout' }
  /** the connection failed or was cut (reset, refused, body cut off mid-transfer) */
  | { kind: 'network'; code?: string | undefined }
  /** a 200 whose body is not JSON: a transfer cut short, worth another try */
  | { kind: 'malformed-body' }
  /** a JSON body of the wrong shape: the source changed, retrying will not help */
  | { kind: 'invalid-schema' };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not-retryable' | 'attempts-exhausted' | 'deadline' };

export function isRetryable(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'status':
      return outcome.status === 429 || outcome.status >= 500;
    case 'timeout':
    case 'network':
    case 'malformed-body':
      return true;
    case 'invalid-schema':
      return false;
  }
}

/** Full-jitter delay before retry number `retry` (1 = the first retry). `random` returns [0, 1). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryContext {
  /** the attempt that just failed, 1-based */
  attempt: number;
  outcome: AttemptOutcome;
  policy: RetryPolicy;
  random: () => number;
  now: number;
  /** epoch ms by which the whole call must be over; undefined = bounded by attempts only */
  deadline?: number | undefined;
  /** the shortest time an attempt needs to be worth starting, ms */
  minAttemptMs: number;
}

/**
 * Retry or stop. A server's Retry-After is honoured as a floor on the delay; a retry is not
 * started when waiting for it would leave less than `minAttemptMs` before the deadline.
 */
export function decideRetry(ctx: RetryContext): RetryDecision {
  if (!isRetryable(ctx.outcome)) return { retry: false, reason: 'not-retryable' };
  if (ctx.attempt >= ctx.policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  const jittered = backoffDelay(ctx.attempt, ctx.policy, ctx.random);
  const retryAfter = ctx.outcome.kind === 'status' ? (ctx.outcome.retryAfterMs ?? 0) : 0;
  const delayMs = Math.max(jittered, retryAfter);
  if (ctx.deadline !== undefined && ctx.now + delayMs + ctx.minAttemptMs > ctx.deadline) {
    return { retry: false, reason: 'deadline' };
  }
  return { retry: true, delayMs };
}

/** A Retry-After header (delay in seconds, or an HTTP date) -> ms from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
