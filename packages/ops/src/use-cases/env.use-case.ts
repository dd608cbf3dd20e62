/**
 * A function's environment: shown (LIVE beside $LATEST), saved to a snapshot file before a
 * change, and put back from one. A restore keeps variables added since the snapshot unless it
 * is asked to be exact, and reaches LIVE as every environment change does.
 */
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { type EnvironmentSnapshot, readSnapshot, writeSnapshot } from '../adapters/environment-snapshots';
import { applyEnvironment, type EnvironmentChange, readConfigs, type WaitOptions } from '../adapters/lambda-control';
import type { Variables } from '../domain/environment-diff';
import type { Confirm } from './ports';

export interface EnvDeps {
  lambda: LambdaClient;
}

export interface EnvironmentView {
  function: string;
  latest: Variables;
  /** absent without a LIVE alias */
  live?: { version: string | undefined; variables: Variables | undefined };
}

export async function showEnvironment(deps: EnvDeps, functionName: string): Promise<EnvironmentView> {
  const configs = await readConfigs(deps.lambda, functionName);
  return {
    function: functionName,
    latest: configs.latest.Environment?.Variables ?? {},
    ...(configs.live
      ? { live: { version: configs.live.Version, variables: configs.live.Environment?.Variables } }
      : {}),
  };
}

export interface SnapshotInput {
  functionName: string;
  now: number;
  /** where to write; default `<snapshotDir>/<function>-<time>.json` */
  file?: string;
  snapshotDir: string;
}

/** Save the environment LIVE runs with ($LATEST's without the alias). */
export async function snapshotEnvironment(
  deps: EnvDeps,
  input: SnapshotInput,
): Promise<EnvironmentSnapshot & { file: string }> {
  const { functionName } = input;
  const configs = await readConfigs(deps.lambda, functionName);
  const source = configs.live ?? configs.latest;
  const capturedAt = new Date(input.now).toISOString();
  const snapshot: EnvironmentSnapshot = {
    function: functionName,
    capturedAt,
    ...(source.Version ? { version: source.Version } : {}),
    variables: source.Environment?.Variables ?? {},
  };
  const file = input.file ?? join(input.snapshotDir, `${functionName}-${capturedAt.replace(/[:.]/g, '-')}.json`);
  await writeSnapshot(file, snapshot);
  return { ...snapshot, file };
}

export interface RestoreInput {
  functionName: string;
  /** the snapshot file as the operator named it (for messages) */
  file: string;
  /** the same file, resolved */
  path: string;
  /** make the environment exactly the snapshot */
  exact?: boolean;
  force?: boolean;
  wait?: WaitOptions;
}

export async function restoreEnvironment(
  deps: EnvDeps,
  input: RestoreInput,
  confirm: Confirm<{ function: string; capturedAt: string; exact: boolean }>,
): Promise<EnvironmentChange & { snapshot: { file: string; capturedAt: string } }> {
  const { functionName } = input;
  let snapshot: EnvironmentSnapshot;
  try {
    snapshot = await readSnapshot(input.path);
  } catch (error) {
    throw new BadRequestError(`${input.file} is not an environment snapshot: ${(error as Error).message}`);
  }
  if (snapshot.function !== functionName) {
    throw new BadRequestError(`${input.file} is a snapshot of ${snapshot.function}, not ${functionName}`);
  }
  const configs = await readConfigs(deps.lambda, functionName);
  const current = configs.latest.Environment?.Variables ?? {};
  const after = input.exact ? { ...snapshot.variables } : { ...current, ...snapshot.variables };
  await confirm({ function: functionName, capturedAt: snapshot.capturedAt, exact: Boolean(input.exact) });
  const change = await applyEnvironment(deps.lambda, functionName, configs, after, {
    reason: `pulse env restore (snapshot ${snapshot.capturedAt})`,
    ...(input.force ? { force: true } : {}),
    ...input.wait,
  });
  return { ...change, snapshot: { file: input.file, capturedAt: snapshot.capturedAt } };
}
