/**
 * The circuit breaker (`CIRCUIT_BREAKER=true`: the function takes no new work and says so),
 * switched on what runs (LIVE) without touching any other variable, and read back.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { applyEnvironment, type EnvironmentChange, readConfigs, type WaitOptions } from '../adapters/lambda-control';
import type { Variables } from '../domain/environment-diff';

export interface CircuitBreakerDeps {
  lambda: LambdaClient;
}

export interface SwitchCircuitBreakerInput {
  functionName: string;
  on: boolean;
  /** publish even though LIVE runs other code than $LATEST */
  force?: boolean;
  wait?: WaitOptions;
}

export async function switchCircuitBreaker(
  deps: CircuitBreakerDeps,
  input: SwitchCircuitBreakerInput,
): Promise<EnvironmentChange> {
  const { functionName, on } = input;
  const configs = await readConfigs(deps.lambda, functionName);
  const before = configs.latest.Environment?.Variables ?? {};
  const after: Variables = { ...before, CIRCUIT_BREAKER: on ? 'true' : 'false' };
  return applyEnvironment(deps.lambda, functionName, configs, after, {
    reason: `pulse circuit-breaker ${on ? 'on' : 'off'}`,
    ...(input.force ? { force: true } : {}),
    ...input.wait,
  });
}

export interface CircuitBreakerState {
  function: string;
  /** what runs: LIVE's value, or $LATEST's without the alias */
  circuitBreaker: boolean;
  /** LIVE's value; undefined without the alias */
  live: boolean | undefined;
  latest: boolean;
  liveVersion: string | undefined;
}

export async function readCircuitBreaker(deps: CircuitBreakerDeps, functionName: string): Promise<CircuitBreakerState> {
  const configs = await readConfigs(deps.lambda, functionName);
  const latest = configs.latest.Environment?.Variables?.CIRCUIT_BREAKER === 'true';
  const live = configs.live ? configs.live.Environment?.Variables?.CIRCUIT_BREAKER === 'true' : undefined;
  return { function: functionName, circuitBreaker: live ?? latest, live, latest, liveVersion: configs.live?.Version };
}
