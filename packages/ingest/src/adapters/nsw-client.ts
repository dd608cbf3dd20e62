/**
 * Client for the NSW Air Quality Data API (docs/nsw-api.md, "Endpoints"). Every call has a
 * per-attempt timeout and retries routine failures (5xx, 429, timeouts, resets, bodies cut short)
 * with full-jitter backoff inside a deadline; 4xx other than 429 and responses of the wrong shape fail at once. A call
 * either returns a body that validated against the shared schemas, with the exact text received,
 * or throws an UpstreamError that says what went wrong and how many attempts it took.
 */
import { UpstreamError } from '@opendata-pulse/shared/errors';
import {
  NSW_OPERATIONS,
  nswObservationsResponseSchema,
  nswParametersResponseSchema,
  nswSitesResponseSchema,
  parseNswResponse,
} from '@opendata-pulse/shared/nsw';
import type * as z from 'zod';
import {
  type AttemptOutcome,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
} from '../domain/retry-policy';
import type { Clock, NswClient, NswOperation, NswRequest, NswResponse } from '../use-cases/ports';
import { INGEST_VERSION } from '../version';
import { systemClock } from './system-clock';

/** Reported after every attempt, for logs and metrics. */
export interface AttemptReport {
  operation: NswOperation;
  attempt: number;
  latencyMs: number;
  /** undefined when the attempt succeeded */
  outcome?: AttemptOutcome;
  decision?: RetryDecision;
}

export interface NswClientOptions {
  /** the API's base URL; the operation name is appended */
  endpoint: string;
  timeoutMs: number;
  retry: RetryPolicy;
  clock?: Clock;
  /** [0, 1); jitter source */
  random?: () => number;
  /** epoch ms by which every call must be over (the Lambda's remaining time less a reserve) */
  deadline?: number | undefined;
  onAttempt?: (report: AttemptReport) => void;
}

/** An attempt shorter than this is not worth starting; the deadline check uses it. */
const MIN_ATTEMPT_MS = 100;
const SNIPPET_LENGTH = 200;

export function createNswClient(options: NswClientOptions): NswClient {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const endpoint = options.endpoint.replace(/\/+$/, '');

  async function call<S extends z.ZodType>(
    operation: NswOperation,
    request: NswRequest,
    schema: S,
    what: string,
  ): Promise<NswResponse<z.output<S>>> {
    const url = `${endpoint}/${operation}`;
    const outcomes: AttemptOutcome[] = [];
    for (let attempt = 1; ; attempt++) {
      const started = clock.now();
      const timeoutMs = Math.min(options.timeoutMs, (options.deadline ?? Number.POSITIVE_INFINITY) - started);
      if (attempt === 1 && timeoutMs < MIN_ATTEMPT_MS) {
        throw new UpstreamError(
          `NSW ${operation} not attempted: less than ${MIN_ATTEMPT_MS} ms left before the deadline`,
          {
            retryable: true,
            details: { operation, url },
          },
        );
      }
      const exchange = await attemptOnce(url, request, timeoutMs);
      const latencyMs = clock.now() - started;
      const judged = judge(exchange, timeoutMs, schema, what, clock.now());
      if (judged.ok) {
        options.onAttempt?.({ operation, attempt, latencyMs });
        const { response } = judged;
        return {
          operation,
          url,
          request,
          status: response.status,
          contentType: response.contentType,
          bodyText: response.bodyText,
          data: judged.data,
          fetchedAt: new Date(clock.now()).toISOString(),
          latencyMs,
          attempts: attempt,
        };
      }
      const { outcome } = judged;
      outcomes.push(outcome);
      const decision = decideRetry({
        attempt,
        outcome,
        policy: options.retry,
        random,
        now: clock.now(),
        deadline: options.deadline,
        minAttemptMs: MIN_ATTEMPT_MS,
      });
      options.onAttempt?.({ operation, attempt, latencyMs, outcome, decision });
      if (!decision.retry) {
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        const why = decision.reason === 'deadline' ? ' (no time left for another attempt before the deadline)' : '';
        throw new UpstreamError(`NSW ${operation} failed after ${tries}${why}: ${judged.detail}`, {
          retryable: decision.reason !== 'not-retryable',
          status: outcome.kind === 'status' ? outcome.status : undefined,
          cause: judged.cause,
          details: { operation, url, attempts: attempt, outcomes, reason: decision.reason, ...judged.details },
        });
      }
      await clock.sleep(decision.delayMs);
    }
  }

  return {
    endpoint,
    getSites: () => call(NSW_OPERATIONS.sites, { method: 'GET', body: null }, nswSitesResponseSchema, 'sites'),
    getParameters: () =>
      call(NSW_OPERATIONS.parameters, { method: 'GET', body: null }, nswParametersResponseSchema, 'parameters'),
    getObservations: (request) =>
      call(
        NSW_OPERATIONS.observations,
        { method: 'POST', body: request === 'snapshot' ? null : request },
        nswObservationsResponseSchema,
        'observations',
      ),
  };
}

type Judgement<T> =
  | { ok: true; data: T; response: ResponseExchange }
  | { ok: false; outcome: AttemptOutcome; detail: string; cause?: unknown; details?: Record<string, unknown> };

/** What one exchange amounts to: validated data, or the outcome the retry policy decides on. */
function judge<S extends z.ZodType>(
  exchange: AttemptResult,
  timeoutMs: number,
  schema: S,
  what: string,
  now: number,
): Judgement<z.output<S>> {
  if (exchange.kind === 'timeout') {
    return { ok: false, outcome: { kind: 'timeout' }, detail: `no complete response within ${timeoutMs} ms` };
  }
  if (exchange.kind === 'network') {
    const reason = [exchange.code, exchange.message].filter(Boolean).join(': ');
    return {
      ok: false,
      outcome: { kind: 'network', code: exchange.code },
      detail: `the connection failed (${reason})`,
    };
  }
  if (exchange.status < 200 || exchange.status >= 300) {
    const snippet = exchange.bodyText.slice(0, SNIPPET_LENGTH).trim();
    return {
      ok: false,
      outcome: { kind: 'status', status: exchange.status, retryAfterMs: parseRetryAfter(exchange.retryAfter, now) },
      detail: `HTTP ${exchange.status}${snippet ? ` (${snippet})` : ''}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(exchange.bodyText);
  } catch (error) {
    return {
      ok: false,
      outcome: { kind: 'malformed-body' },
      detail: `the response body is not valid JSON (${(error as Error).message})`,
    };
  }
  try {
    return { ok: true, data: parseNswResponse(schema, json, what), response: exchange };
  } catch (error) {
    // parseNswResponse names the first bad path ("NSW observations response failed validation at ...").
    return {
      ok: false,
      outcome: { kind: 'invalid-schema' },
      detail: (error as Error).message.replace(/^NSW /, ''),
      cause: error,
      details: (error as UpstreamError).details,
    };
  }
}

type ResponseExchange = {
  kind: 'response';
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  bodyText: string;
};

type AttemptResult =
  | ResponseExchange
  | { kind: 'timeout' }
  | { kind: 'network'; code: string | undefined; message: string };

/** One HTTP exchange, body included, under one timeout. Never throws. */
async function attemptOnce(url: string, request: NswRequest, timeoutMs: number): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(1, timeoutMs));
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        'user-agent': INGEST_VERSION,
        ...(request.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      // The snapshot is a POST with an empty body (docs/nsw-api.md, "Endpoints").
      ...(request.method === 'POST' ? { body: request.body === null ? '' : JSON.stringify(request.body) } : {}),
      signal: controller.signal,
    });
    const bodyText = await response.text();
    return {
      kind: 'response',
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      bodyText,
    };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'timeout' };
    // fetch reports "fetch failed"/"terminated"; the socket's own error is the cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'network', code: cause?.code, message: cause?.message ?? (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
