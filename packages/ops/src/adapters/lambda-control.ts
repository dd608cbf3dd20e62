/**
 * Lambda's control plane as the runbook changes it: environment, reserved and provisioned
 * concurrency, the LIVE alias and the published versions behind it.
 *
 * Changing a function's configuration the way the runbook needs, safely: environment changes
 * keep every variable not named (the runbook's `update-function-configuration --environment`
 * replaced them all), and reach what actually runs. The schedule and the queue invoke the LIVE
 * alias, which points at a published (immutable) version, so a change to $LATEST is published
 * and LIVE moved to it — refused when LIVE runs other code than $LATEST (a rollback in place),
 * because publishing would then silently undo the rollback.
 */
import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  type FunctionConfiguration,
  GetAliasCommand,
  type GetAliasCommandOutput,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  GetProvisionedConcurrencyConfigCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { LIVE_ALIAS } from '../deployment/deployment';
import { diffVariables, isEmpty, type VariableDiff, type Variables } from '../domain/environment-diff';
import { isLambdaNotFound } from './functions';

export interface FunctionConfigs {
  latest: GetFunctionConfigurationCommandOutput;
  /** the LIVE alias's version; undefined when the function has no alias */
  live?: GetFunctionConfigurationCommandOutput;
}

export async function readConfigs(lambda: LambdaClient, functionName: string): Promise<FunctionConfigs> {
  const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  try {
    const live = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: LIVE_ALIAS }),
    );
    return { latest, live };
  } catch (error) {
    if (isLambdaNotFound(error)) return { latest };
    throw error;
  }
}

export interface WaitOptions {
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  timeoutMs?: number;
}

/** Poll until the last configuration update has finished (Lambda applies it asynchronously). */
export async function waitForUpdate(
  lambda: LambdaClient,
  functionName: string,
  options: WaitOptions = {},
): Promise<GetFunctionConfigurationCommandOutput> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (config.LastUpdateStatus === 'Failed') {
      throw new Error(
        `${functionName}: configuration update failed: ${config.LastUpdateStatusReason ?? 'no reason given'}`,
      );
    }
    if (config.LastUpdateStatus !== 'InProgress') return config;
    if (Date.now() > deadline) throw new Error(`${functionName}: configuration update still in progress; check again`);
    await sleep(options.pollMs ?? 1000);
  }
}

export interface EnvironmentChange {
  function: string;
  before: Variables;
  after: Variables;
  diff: VariableDiff;
  /** the version published for LIVE, when the function has the alias */
  publishedVersion?: string;
  live?: { from: string; to: string };
}

export interface ApplyEnvironmentOptions extends WaitOptions {
  /** why (becomes the published version's description) */
  reason: string;
  /** publish even though LIVE runs other code than $LATEST */
  force?: boolean;
}

/** Refuse to publish $LATEST over a LIVE alias that runs different code. */
export function assertSameCode(functionName: string, configs: FunctionConfigs, force?: boolean): void {
  const { latest, live } = configs;
  if (!live || force || live.CodeSha256 === latest.CodeSha256) return;
  throw new BadRequestError(
    `${functionName}: LIVE runs version ${live.Version}, whose code differs from $LATEST (a rollback is in place?). ` +
      'Publishing the change would move LIVE onto the newer code. Roll forward first, or pass --force to accept that.',
  );
}

/**
 * Set the environment of $LATEST to `after` (a complete set: callers merge), wait for it, then
 * publish a version and point LIVE at it. Only what differs is changed; an identical set is a no-op.
 */
export async function applyEnvironment(
  lambda: LambdaClient,
  functionName: string,
  configs: FunctionConfigs,
  after: Variables,
  options: ApplyEnvironmentOptions,
): Promise<EnvironmentChange> {
  const before = configs.latest.Environment?.Variables ?? {};
  const diff = diffVariables(before, after);
  const liveVars = configs.live?.Environment?.Variables;
  const change: EnvironmentChange = { function: functionName, before, after, diff };
  const noChange = isEmpty(diff);
  // LIVE may lag $LATEST (a change applied without publishing): then publishing is still needed
  const liveDiffers = liveVars !== undefined && !isEmpty(diffVariables(liveVars, after));
  if (noChange && !liveDiffers) return change;
  assertSameCode(functionName, configs, options.force);
  let latest = configs.latest;
  if (!noChange) {
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        Environment: { Variables: after },
        ...(configs.latest.RevisionId ? { RevisionId: configs.latest.RevisionId } : {}),
      }),
    );
    latest = await waitForUpdate(lambda, functionName, options);
  }
  if (!configs.live) return change;
  const published = await lambda.send(
    new PublishVersionCommand({
      FunctionName: functionName,
      Description: options.reason.slice(0, 256),
      ...(latest.CodeSha256 ? { CodeSha256: latest.CodeSha256 } : {}),
      ...(latest.RevisionId ? { RevisionId: latest.RevisionId } : {}),
    }),
  );
  const version = published.Version ?? '';
  await pointLiveAlias(lambda, functionName, version);
  return { ...change, publishedVersion: version, live: { from: configs.live.Version ?? '?', to: version } };
}

/** The reserved concurrency; undefined when the function draws on the account pool. */
export async function reservedConcurrency(lambda: LambdaClient, functionName: string): Promise<number | undefined> {
  return (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName })))
    .ReservedConcurrentExecutions;
}

export async function reserveConcurrency(
  lambda: LambdaClient,
  functionName: string,
  executions: number,
): Promise<number | undefined> {
  return (
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: functionName, ReservedConcurrentExecutions: executions }),
    )
  ).ReservedConcurrentExecutions;
}

export async function removeReservedConcurrency(lambda: LambdaClient, functionName: string): Promise<void> {
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: functionName }));
}

/** Provisioned concurrency requested on the alias; undefined when none is configured. */
export async function provisionedConcurrency(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
): Promise<number | undefined> {
  try {
    return (
      await lambda.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }),
      )
    ).RequestedProvisionedConcurrentExecutions;
  } catch (error) {
    if (!/ProvisionedConcurrencyConfigNotFound|ResourceNotFound/.test((error as Error).name)) throw error;
    return undefined;
  }
}

/** Request provisioned concurrency on the alias; answers the allocation status. */
export async function provisionConcurrency(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
  executions: number,
): Promise<string | undefined> {
  return (
    await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: functionName,
        Qualifier: qualifier,
        ProvisionedConcurrentExecutions: executions,
      }),
    )
  ).Status;
}

export async function removeProvisionedConcurrency(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
): Promise<void> {
  await lambda.send(
    new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }),
  );
}

export async function liveAlias(lambda: LambdaClient, functionName: string): Promise<GetAliasCommandOutput> {
  return lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
}

/** Every published version (all pages), without $LATEST, in the order Lambda lists them. */
export async function publishedVersions(lambda: LambdaClient, functionName: string): Promise<FunctionConfiguration[]> {
  const versions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
    versions.push(...(page.Versions ?? []).filter((v) => v.Version && v.Version !== '$LATEST'));
    marker = page.NextMarker;
  } while (marker);
  return versions;
}

/**
 * Point LIVE at a published version; with the alias's revision the move fails if someone moved
 * LIVE in between. Answers the version LIVE now points at.
 */
export async function pointLiveAlias(
  lambda: LambdaClient,
  functionName: string,
  version: string,
  revisionId?: string,
): Promise<string | undefined> {
  const updated = await lambda.send(
    new UpdateAliasCommand({
      FunctionName: functionName,
      Name: LIVE_ALIAS,
      FunctionVersion: version,
      ...(revisionId ? { RevisionId: revisionId } : {}),
    }),
  );
  return updated.FunctionVersion;
}
