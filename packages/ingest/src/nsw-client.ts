/**
 * Client for the NSW Air Quality Data API (NSW_API.md). Every call has a per-attempt timeout and
 * retries routine failures (5xx, 429, timeouts, resets, bodies cut short) with full-jitter backoff
 * inside a deadline; 4xx other than 429 and responses of the wrong shape fail at once. A call
 * either returns a body that validated against the shared schemas, with the exact text received,
 * or throws an UpstreamError that says what went wrong and how many attempts it took.
 */

import { UpstreamError } from '@opendata-pulse/shared/errors';
import {
  NSW_OPERATIONS,
  type NswObservation,
  type NswObservationQuery,
  type NswParameter,
  type NswSite,
  nswObservationsResponseSchema,
  nswParametersResponseSchema,
  nswSitesResponseSchema,
  parseNswResponse,
} from '@opendata-pulse/shared/nsw';
import type * as z from 'zod';
import { type Clock, systemClock } from './clock';
import {
  type AttemptOutcome,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy';
import { INGEST_VERSION } from './version';

export type NswOperation = (typeof NSW_OPERATIONS)[keyof typeof NSW_OPERATIONS];

export interface NswRequest {
  method: 'GET' | 'POST';
  /** the JSON body sent; null for none (GET, and the POST that asks for the current snapshot) */
  body: NswObservationQuery | null;
}

export interface NswResponse<T> {
  operation: NswOperation;
  url: string;
  request: NswRequest;
  status: number;
  contentType: string | null;
  /** the body exactly as received */
  bodyText: string;
  /** the body parsed and validated */
  data: T;
  /** when the successful response arrived (ISO) */
  fetchedAt: string;
  /** duration of the successful attempt, ms */
  latencyMs: number;
  attempts: number;
}

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

export interface NswClient {
  readonly endpoint: string;
  getSites(): Promise<NswResponse<NswSite[]>>;
  getParameters(): Promise<NswResponse<NswParameter[]>>;
  /** `'snapshot'` posts an empty body: the latest hour NSW has published, for every site */
  getObservations(request: 'snapshot' | NswObservationQuery): Promise<NswResponse<NswObservation[]>>;
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
    let lastDetail = '';
    for (let attempt = 1; ; attempt++) {
      const started = clock.now();
      const budget = options.deadline === undefined ? options.timeoutMs : options.deadline - started;
      const timeoutMs = Math.min(options.timeoutMs, budget);
      if (timeoutMs < MIN_ATTEMPT_MS && attempt === 1) {
        throw new UpstreamError(
          `NSW ${operation} not attempted: less than ${MIN_ATTEMPT_MS} ms left before the deadline`,
          {
            retryable: true,
            details: { operation, url },
          },
        );
      }
      const result = await attemptOnce(url, request, timeoutMs);
      const latencyMs = clock.now() - started;
      let outcome: AttemptOutcome;
      if (result.kind === 'response') {
        if (result.status >= 200 && result.status < 300) {
          let json: unknown;
          try {
            json = JSON.parse(result.bodyText);
          } catch (error) {
            json = MALFORMED;
            lastDetail = `the response body is not valid JSON (${(error as Error).message})`;
          }
          if (json !== MALFORMED) {
            let data: z.output<S>;
            try {
              data = parseNswResponse(schema, json, what);
            } catch (error) {
              options.onAttempt?.({ operation, attempt, latencyMs, outcome: { kind: 'invalid-schema' } });
              throw new UpstreamError(`NSW ${operation}: ${(error as Error).message.replace(/^NSW /, '')}`, {
                retryable: false,
                status: result.status,
                cause: error,
                details: { operation, url, attempts: attempt, ...(error as UpstreamError).details },
              });
            }
            options.onAttempt?.({ operation, attempt, latencyMs });
            return {
              operation,
              url,
              request,
              status: result.status,
              contentType: result.contentType,
              bodyText: result.bodyText,
              data,
              fetchedAt: new Date(clock.now()).toISOString(),
              latencyMs,
              attempts: attempt,
            };
          }
          outcome = { kind: 'malformed-body' };
        } else {
          outcome = {
            kind: 'status',
            status: result.status,
            retryAfterMs: parseRetryAfter(result.retryAfter, clock.now()),
          };
          const snippet = result.bodyText.slice(0, SNIPPET_LENGTH).trim();
          lastDetail = `HTTP ${result.status}${snippet ? ` (${snippet})` : ''}`;
        }
      } else if (result.kind === 'timeout') {
        outcome = { kind: 'timeout' };
        lastDetail = `no complete response within ${timeoutMs} ms`;
      } else {
        outcome = { kind: 'network', code: result.code };
        lastDetail = `the connection failed (${[result.code, result.message].filter(Boolean).join(': ')})`;
      }
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
        const why =
          decision.reason === 'not-retryable'
            ? ''
            : decision.reason === 'deadline'
              ? ' (no time left for another attempt before the deadline)'
              : '';
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        throw new UpstreamError(`NSW ${operation} failed after ${tries}${why}: ${lastDetail}`, {
          retryable: decision.reason !== 'not-retryable',
          status: outcome.kind === 'status' ? outcome.status : undefined,
          details: { operation, url, attempts: attempt, outcomes, reason: decision.reason },
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

const MALFORMED = Symbol('malformed');

type AttemptResult =
  | { kind: 'response'; status: number; contentType: string | null; retryAfter: string | null; bodyText: string }
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
      // The snapshot is a POST with an empty body (NSW_API.md).
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
