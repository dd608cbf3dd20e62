/**
 * A function's concurrency: the reservation (0 stops it; none returns it to the account pool)
 * and provisioned concurrency on LIVE (0 removes it). Each reads the value before changing it.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  provisionConcurrency,
  provisionedConcurrency,
  removeProvisionedConcurrency,
  removeReservedConcurrency,
  reserveConcurrency,
  reservedConcurrency,
} from '../adapters/lambda-control';
import { LIVE_ALIAS } from '../deployment/deployment';

export interface ConcurrencyDeps {
  lambda: LambdaClient;
}

export interface ReservedConcurrencyChange {
  function: string;
  /** undefined: unreserved (the account pool) */
  before: number | undefined;
  after: number | undefined;
}

/** `reserved` undefined removes the reservation. */
export async function setReservedConcurrency(
  deps: ConcurrencyDeps,
  input: { functionName: string; reserved: number | undefined },
): Promise<ReservedConcurrencyChange> {
  const { functionName, reserved } = input;
  const before = await reservedConcurrency(deps.lambda, functionName);
  let after: number | undefined;
  if (reserved === undefined) await removeReservedConcurrency(deps.lambda, functionName);
  else after = await reserveConcurrency(deps.lambda, functionName, reserved);
  return { function: functionName, before, after };
}

export interface ProvisionedConcurrencyChange {
  function: string;
  qualifier: string;
  /** undefined: none was configured */
  before: number | undefined;
  after: number;
  /** Lambda's allocation status, or REMOVED */
  status: string | undefined;
}

export async function setProvisionedConcurrency(
  deps: ConcurrencyDeps,
  input: { functionName: string; count: number },
): Promise<ProvisionedConcurrencyChange> {
  const { functionName, count } = input;
  const before = await provisionedConcurrency(deps.lambda, functionName, LIVE_ALIAS);
  let status: string | undefined;
  if (count === 0) {
    if (before !== undefined) await removeProvisionedConcurrency(deps.lambda, functionName, LIVE_ALIAS);
    status = 'REMOVED';
  } else {
    status = await provisionConcurrency(deps.lambda, functionName, LIVE_ALIAS, count);
  }
  return { function: functionName, qualifier: LIVE_ALIAS, before, after: count, status };
}
