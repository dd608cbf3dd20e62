/**
 * Named errors. Each carries the `errorType` that callers see (GraphQL errorType, CLI, logs) and
 * whether its message may be shown to a caller. Anything that is not an AppError is internal.
 */
import type { z } from 'zod';

export type ErrorType =
  | 'BadRequest'
  | 'Validation'
  | 'Upstream'
  | 'CircuitOpen'
  | 'NotFound'
  | 'Config'
  | 'Unauthorized'
  | 'InternalError';

export abstract class AppError extends Error {
  abstract readonly errorType: ErrorType;
  /** true when the message is written for the caller and safe to return to them */
  abstract readonly expose: boolean;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.details) this.details = options.details;
  }
}

/** The caller asked for something malformed or out of bounds. */
export class BadRequestError extends AppError {
  readonly errorType = 'BadRequest' as const;
  readonly expose = true;
}

/** Data failed validation (an upstream response, a raw object, an event payload). */
export class ValidationError extends AppError {
  readonly errorType = 'Validation' as const;
  readonly expose = true;
}

/** A dependency (the NSW API) failed, timed out or answered something unusable. */
export class UpstreamError extends AppError {
  readonly errorType = 'Upstream' as const;
  readonly expose = true;
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(
    message: string,
    options?: { cause?: unknown; retryable?: boolean; status?: number; details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? false;
    this.status = options?.status;
  }
}

/** The function's circuit breaker is on: it takes no new work. */
export class CircuitOpenError extends AppError {
  readonly errorType = 'CircuitOpen' as const;
  readonly expose = true;
}

export class NotFoundError extends AppError {
  readonly errorType = 'NotFound' as const;
  readonly expose = true;
}

export class UnauthorizedError extends AppError {
  readonly errorType = 'Unauthorized' as const;
  readonly expose = true;
}

/** Missing or malformed configuration; the message names every variable at fault. */
export class ConfigError extends AppError {
  readonly errorType = 'Config' as const;
  readonly expose = false;
}

export interface ErrorView {
  errorType: ErrorType;
  message: string;
}

export const INTERNAL_ERROR_MESSAGE = 'Internal error. The failure has been logged.';

/** The one mapping from any thrown value to what a caller may see. */
export function toErrorView(error: unknown): ErrorView {
  if (error instanceof AppError && error.expose) {
    return { errorType: error.errorType, message: error.message };
  }
  return { errorType: 'InternalError', message: INTERNAL_ERROR_MESSAGE };
}

/** A zod-style issue path rendered for a message: `[3].Parameter.ParameterCode`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * `path: message` of the first problem in a zod error, descending into unions (whose own message
 * says only "invalid input") through their first branch, the documented shape.
 */
export function describeZodError(error: z.ZodError): string {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let prefix: PropertyKey[] = [];
  while (issue && issue.code === 'invalid_union' && issue.errors.length > 0) {
    prefix = [...prefix, ...issue.path];
    issue = issue.errors[0]?.[0];
  }
  if (!issue) return '(root): unknown problem';
  return `${formatPath([...prefix, ...issue.path])}: ${issue.message}`;
}
