/**
 * Errors as AppSync shapes them for the local server: a resolver error carries its `errorType`,
 * and a Lambda function error (thrown, or an Invoke API error payload) becomes one whose
 * `errorType` is the function's.
 */
import { GraphQLError } from 'graphql/index.js';

/** A resolver error in AppSync's terms. */
export const appSyncError = (errorType: string, message: string) =>
  new GraphQLError(message, { extensions: { errorType } });

/**
 * A Lambda function error as an Invoke API answers it (`{ errorType, errorMessage[, trace] }`),
 * for an `invoke` that goes through a Lambda-invoke endpoint instead of calling the handler.
 */
export function isFunctionErrorPayload(value: unknown): value is { errorType: string; errorMessage: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { errorType, errorMessage, trace, ...rest } = value as Record<string, unknown>;
  return (
    typeof errorType === 'string' &&
    typeof errorMessage === 'string' &&
    Object.keys(rest).length === 0 &&
    (trace === undefined || Array.isArray(trace))
  );
}

/** What Lambda reports for a thrown error: `errorType` is the error's name. */
export function lambdaError(error: unknown): GraphQLError {
  const e = (error ?? {}) as { errorType?: string; errorMessage?: string; name?: string; message?: string };
  return appSyncError(e.errorType ?? e.name ?? 'Lambda:Unhandled', e.errorMessage ?? e.message ?? 'Error');
}
