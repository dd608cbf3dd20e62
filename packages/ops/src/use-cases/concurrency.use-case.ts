/**
 * A function's concurrency: the reservation (none returns it to the account pool), kept at or
 * above what its SQS mappings may run at once, and provisioned concurrency on LIVE (0 removes
 * it). Each reads the value before changing it.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { QUEUE_DEFINITIONS } from '@opendata-pulse/shared/infra';
import {
  activeQueueMappings,
  limitMappingConcurrency,
  MAPPING_MIN_CONCURRENCY,
} from '../adapters/event-source-mappings';
import {
  provisionConcurrency,
  provisionedConcurrency,
  removeProvisionedConcurrency,
  removeReservedConcurrency,
  reserveConcurrency,
  reservedConcurrency,
  type WaitOptions,
} from '../adapters/lambda-control';
import { LIVE_ALIAS } from '../deployment/deployment';

export interface ConcurrencyDeps {
  lambda: LambdaClient;
}

export interface MappingChange {
  uuid: string;
  queue: string;
  /** null: the mapping had no maximum (pollers scale as far as SQS lets them) */
  before: number | null;
  after: number | undefined;
  state: string | undefined;
}

export interface ReservedConcurrencyChange {
  function: string;
  /** undefined: unreserved (the account pool) */
  before: number | undefined;
  after: number | undefined;
  /** the SQS mappings lowered with it (--with-mapping) */
  mappings: MappingChange[];
}

export interface ReservedConcurrencyInput {
  functionName: string;
  /** the alias every event source invokes (LIVE), where the function's mappings live */
  liveArn: string;
  /** undefined removes the reservation */
  reserved: number | undefined;
  /** lower the SQS mappings' maximum concurrency to `reserved` as well */
  withMapping?: boolean;
  wait?: WaitOptions;
}

const RECEIVES = QUEUE_DEFINITIONS.processing.maxReceiveCount;
const shown = (max: number | undefined) => (max === undefined ? 'no maximum' : `maximum concurrency ${max}`);

/**
 * Set the reservation, refusing one below what the function's SQS mappings may run at once: the
 * pollers would keep invoking, Lambda would throttle the invocations above the reservation, and
 * their messages would return to the queue and reach the DLQ after a few receives. With
 * `withMapping` the mappings are lowered first, so nothing is throttled in between.
 */
export async function setReservedConcurrency(
  deps: ConcurrencyDeps,
  input: ReservedConcurrencyInput,
): Promise<ReservedConcurrencyChange> {
  const { functionName, reserved } = input;
  const before = await reservedConcurrency(deps.lambda, functionName);
  if (reserved === undefined) {
    if (input.withMapping) {
      throw new BadRequestError(
        '--with-mapping needs a number: --reserved none returns the function to the account pool and leaves its mappings as they are',
      );
    }
    await removeReservedConcurrency(deps.lambda, functionName);
    return { function: functionName, before, after: undefined, mappings: [] };
  }
  const mappings = await activeQueueMappings(deps.lambda, input.liveArn);
  const above = mappings.filter((m) => (m.maximumConcurrency ?? Number.POSITIVE_INFINITY) > reserved);
  const first = above[0];
  if (first) {
    const throttled =
      `${functionName}: a reservation of ${reserved} is below its SQS event source mapping on ${first.queue} (${shown(first.maximumConcurrency)}): ` +
      `the pollers would keep invoking, Lambda would throttle every invocation above ${reserved}, and those messages would go back to the queue ` +
      `and reach the DLQ after ${RECEIVES} receives.`;
    if (reserved < MAPPING_MIN_CONCURRENCY) {
      throw new BadRequestError(
        `${throttled} A mapping cannot run fewer than ${MAPPING_MIN_CONCURRENCY} at once; to stop the function taking work use \`pulse circuit-breaker on --function ${functionName}\`.`,
      );
    }
    if (!input.withMapping) {
      const remedy =
        first.maximumConcurrency === undefined
          ? `Add --with-mapping to give the mapping a maximum concurrency of ${reserved}.`
          : `Reserve at least ${first.maximumConcurrency}, or add --with-mapping to lower the mapping to ${reserved} as well.`;
      throw new BadRequestError(`${throttled} ${remedy}`);
    }
  }
  // The mappings first: lowering the reservation before them would throttle in between.
  const lowered: MappingChange[] = [];
  for (const m of above) {
    const now = await limitMappingConcurrency(deps.lambda, m.uuid, reserved, input.wait);
    lowered.push({
      uuid: m.uuid,
      queue: m.queue,
      before: m.maximumConcurrency ?? null,
      after: now.maximumConcurrency,
      state: now.state,
    });
  }
  const after = await reserveConcurrency(deps.lambda, functionName, reserved);
  return { function: functionName, before, after, mappings: lowered };
}

export interface ConcurrencyView {
  function: string;
  /** undefined: unreserved (the account pool) */
  reserved: number | undefined;
  /** provisioned concurrency requested on LIVE; undefined: none */
  provisionedOnLive: number | undefined;
  /** the SQS mappings invoking LIVE (the ETL's queue), with their maximum concurrency */
  mappings: Array<{ uuid: string; queue: string; state: string | undefined; maximumConcurrency: number | undefined }>;
}

/** The runbook's "check the function's concurrency": what limits it, read only. */
export async function showConcurrency(
  deps: ConcurrencyDeps,
  input: { functionName: string; liveArn: string },
): Promise<ConcurrencyView> {
  const [reserved, provisionedOnLive, mappings] = await Promise.all([
    reservedConcurrency(deps.lambda, input.functionName),
    provisionedConcurrency(deps.lambda, input.functionName, LIVE_ALIAS),
    activeQueueMappings(deps.lambda, input.liveArn),
  ]);
  return {
    function: input.functionName,
    reserved,
    provisionedOnLive,
    mappings: mappings.map((m) => ({
      uuid: m.uuid,
      queue: m.queue,
      state: m.state,
      maximumConcurrency: m.maximumConcurrency,
    })),
  };
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
