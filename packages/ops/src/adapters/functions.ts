/**
 * A function as operations read and call it: the configuration it runs (LIVE's) and Invoke.
 * Changes to the configuration are in ./lambda-control.
 */
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  InvokeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { LIVE_ALIAS } from '../deployment/deployment';

export interface FunctionStatus {
  name: string;
  /** the configuration read: the LIVE alias's version when the alias exists, else $LATEST */
  qualifier: string;
  version?: string;
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  circuitBreaker: boolean;
  variables: Record<string, string>;
}

/** Lambda's own not-found (a function, alias or version), not S3's (shared `/aws` `isNotFound`). */
export function isLambdaNotFound(error: unknown): boolean {
  return (error as Error)?.name === 'ResourceNotFoundException';
}

function toStatus(name: string, qualifier: string, c: GetFunctionConfigurationCommandOutput): FunctionStatus {
  const variables = c.Environment?.Variables ?? {};
  return {
    name,
    qualifier,
    ...(c.Version ? { version: c.Version } : {}),
    ...(c.State ? { state: c.State } : {}),
    ...(c.StateReason ? { stateReason: c.StateReason } : {}),
    ...(c.LastUpdateStatus ? { lastUpdateStatus: c.LastUpdateStatus } : {}),
    circuitBreaker: variables.CIRCUIT_BREAKER === 'true',
    variables,
  };
}

/** What the function runs for its callers: the LIVE alias's configuration, or $LATEST without an alias. */
export async function liveFunctionStatus(lambda: LambdaClient, name: string): Promise<FunctionStatus> {
  try {
    const live = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: LIVE_ALIAS }));
    return toStatus(name, LIVE_ALIAS, live);
  } catch (error) {
    if (!isLambdaNotFound(error)) throw error;
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return toStatus(name, '$LATEST', latest);
  }
}

export type InvokeOutcome =
  | { ok: true; payload: unknown; durationMs: number }
  | { ok: false; errorType: string; errorMessage: string; payload: unknown; durationMs: number };

/** Invoke synchronously and decode the answer; a function error is an outcome, not a throw. */
export async function invokeFunction(
  lambda: LambdaClient,
  functionName: string,
  payload: unknown,
  options: { qualifier?: string; now?: () => number } = {},
): Promise<InvokeOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
      ...(options.qualifier ? { Qualifier: options.qualifier } : {}),
    }),
  );
  const durationMs = now() - started;
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  let decoded: unknown = text;
  try {
    decoded = text ? JSON.parse(text) : null;
  } catch {
    // a non-JSON answer is shown as text
  }
  if (response.FunctionError) {
    const body = (decoded ?? {}) as { errorType?: string; errorMessage?: string };
    return {
      ok: false,
      errorType: body.errorType ?? response.FunctionError,
      errorMessage: body.errorMessage ?? (typeof decoded === 'string' ? decoded : JSON.stringify(decoded)),
      payload: decoded,
      durationMs,
    };
  }
  return { ok: true, payload: decoded, durationMs };
}
