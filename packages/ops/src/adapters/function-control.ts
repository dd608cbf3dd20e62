/**
 * Changing a function's configuration the way the runbook needs, safely: environment changes
 * keep every variable not named (the runbook's `update-function-configuration --environment`
 * replaced them all), and reach what actually runs. The schedule and the queue invoke the LIVE
 * alias, which points at a published (immutable) version, so a change to $LATEST is published
 * and LIVE moved to it — refused when LIVE runs other code than $LATEST (a rollback in place),
 * because publishing would then silently undo the rollback.
 */
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  type LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { isNotFound, LIVE_ALIAS } from './functions';

export type Variables = Record<string, string>;

export interface VariableDiff {
  added: string[];
  removed: string[];
  changed: { name: string; from: string; to: string }[];
}

export function diffVariables(before: Variables, after: Variables): VariableDiff {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const diff: VariableDiff = { added: [], removed: [], changed: [] };
  for (const name of names) {
    if (!(name in before)) diff.added.push(name);
    else if (!(name in after)) diff.removed.push(name);
    else if (before[name] !== after[name]) diff.changed.push({ name, from: before[name] ?? '', to: after[name] ?? '' });
  }
  return diff;
}

export function isEmpty(diff: VariableDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

/** Values that look like secrets are shown masked (the runbook prints configuration to terminals). */
export function displayValue(name: string, value: string): string {
  return /SECRET|PASSWORD|TOKEN|API_?KEY|PRIVATE/i.test(name) ? '********' : value;
}

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
    if (isNotFound(error)) return { latest };
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
  await lambda.send(new UpdateAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS, FunctionVersion: version }));
  return { ...change, publishedVersion: version, live: { from: configs.live.Version ?? '?', to: version } };
}
