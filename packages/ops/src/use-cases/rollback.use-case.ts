/**
 * Rollback: point LIVE (what the schedule and the queue invoke) at the previous published
 * version, or a named one. Published versions are immutable, so the rollback is exact and the
 * undo is the same move back.
 */
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { liveAlias, pointLiveAlias, publishedVersions } from '../adapters/lambda-control';
import { LIVE_ALIAS } from '../deployment/deployment';
import type { Confirm } from './ports';

export interface RollbackDeps {
  lambda: LambdaClient;
}

export interface VersionInfo {
  version: string | undefined;
  lastModified?: string | undefined;
  codeSha256?: string | undefined;
  description?: string | undefined;
}

export interface RollbackPlan {
  function: string;
  from: string | undefined;
  to: string;
}

export interface Rollback {
  function: string;
  alias: string;
  /** what LIVE ran */
  before: VersionInfo;
  /** the version chosen */
  after: VersionInfo;
  /** the version LIVE points at now, as Lambda answered the move */
  liveVersion: string | undefined;
}

function info(v: FunctionConfiguration): VersionInfo {
  return { version: v.Version, lastModified: v.LastModified, codeSha256: v.CodeSha256, description: v.Description };
}

function chooseVersion(
  functionName: string,
  sorted: FunctionConfiguration[],
  current: string | undefined,
  toVersion?: string,
): FunctionConfiguration & { Version: string } {
  const target = toVersion
    ? sorted.find((v) => v.Version === toVersion)
    : sorted.filter((v) => Number(v.Version) < Number(current)).at(-1);
  if (!target?.Version) {
    throw new BadRequestError(
      toVersion
        ? `${functionName} has no published version ${toVersion} (published: ${sorted.map((v) => v.Version).join(', ')})`
        : `${functionName}: LIVE is on v${current}, and there is no earlier published version to roll back to`,
    );
  }
  if (target.Version === current) throw new BadRequestError(`LIVE is already on v${target.Version}`);
  return target as FunctionConfiguration & { Version: string };
}

export async function rollBackFunction(
  deps: RollbackDeps,
  input: { functionName: string; toVersion?: string },
  confirm: Confirm<RollbackPlan>,
): Promise<Rollback> {
  const { functionName } = input;
  const alias = await liveAlias(deps.lambda, functionName);
  const versions = await publishedVersions(deps.lambda, functionName);
  const sorted = versions.sort((a, b) => Number(a.Version) - Number(b.Version));
  const target = chooseVersion(functionName, sorted, alias.FunctionVersion, input.toVersion);
  const from = sorted.find((v) => v.Version === alias.FunctionVersion);
  await confirm({ function: functionName, from: alias.FunctionVersion, to: target.Version });
  const liveVersion = await pointLiveAlias(deps.lambda, functionName, target.Version, alias.RevisionId);
  return {
    function: functionName,
    alias: LIVE_ALIAS,
    before: from ? info(from) : { version: alias.FunctionVersion },
    after: info(target),
    liveVersion,
  };
}
