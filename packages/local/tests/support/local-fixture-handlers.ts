/**
 * Handlers for the local function host's tests: each behaves like one kind of Lambda function
 * (answers, fails, crashes its runtime, never returns), loaded by the host as a real module.
 */
import type { Context } from 'aws-lambda';

let invocations = 0;

/** Answers with what it was given and what its environment looks like. */
export async function echo(event: unknown, context: Context) {
  invocations++;
  return {
    event,
    invocations,
    functionName: context.functionName,
    remainingMs: context.getRemainingTimeInMillis(),
    env: {
      AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME,
      FIXTURE_SETTING: process.env.FIXTURE_SETTING,
    },
  };
}

export async function fail(): Promise<never> {
  const error = new Error('the upstream said no');
  error.name = 'UpstreamError';
  throw error;
}

/** Throws outside the invocation's promise: the runtime itself dies, as a Lambda sandbox would. */
export function crash(): Promise<never> {
  setTimeout(() => {
    throw new Error('boom outside the handler');
  }, 1);
  return new Promise(() => {});
}

export function hang(): Promise<never> {
  return new Promise(() => {});
}
