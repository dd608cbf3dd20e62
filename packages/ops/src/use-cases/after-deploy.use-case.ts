/**
 * `pulse health --after-deploy`: what a deploy can break, checked right after it — every function
 * Active with LIVE on a published version (and which version a rollback would return to), the
 * table, both queues, and the API answering a query. Not data freshness: a new or quiet stage
 * legitimately has no recent data, and a deploy does not make data stale.
 */
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import { isLambdaNotFound, liveFunctionStatus } from '../adapters/functions';
import { liveAlias, publishedVersions } from '../adapters/lambda-control';
import { resolveQueues } from '../adapters/queues';
import { functionKeyOf, type OpsTarget } from '../deployment/deployment';
import { type ApiCheck, type CheckOutcome, type HealthCheck, servedLocally, settle, tableReady } from './health-checks';
import { apiCheckFor, type HealthReportClients } from './health-report.use-case';

export interface DeployedFunction {
  /** `ingest`, `etl`, `api`, `health-check`: what `pulse rollback --function` takes */
  role: string;
  function: string;
  /** the published version LIVE points at (AWS) */
  liveVersion?: string;
  /** the newest published version below it: where `pulse rollback` would move LIVE */
  previousVersion?: string;
}

export interface AfterDeployReport {
  checkedAt: string;
  stage: string;
  mode: 'aws' | 'local';
  /** no check failed */
  ok: boolean;
  checks: HealthCheck[];
  functions: DeployedFunction[];
}

async function deployedFunction(
  clients: HealthReportClients,
  fn: DeployedFunction,
): Promise<CheckOutcome & { fn: DeployedFunction }> {
  let version: string | undefined;
  try {
    version = (await liveAlias(clients.lambda, fn.function)).FunctionVersion;
  } catch (error) {
    if (!isLambdaNotFound(error)) throw error;
    return { status: 'fail', detail: 'no LIVE alias (or no such function): every event source invokes LIVE', fn };
  }
  if (!version || version === '$LATEST') {
    return { status: 'fail', detail: 'LIVE points at $LATEST, not a published version', fn };
  }
  const status = await liveFunctionStatus(clients.lambda, fn.function);
  const previous = (await publishedVersions(clients.lambda, fn.function))
    .map((v) => Number(v.Version))
    .filter((v) => v < Number(version))
    .sort((a, b) => b - a)[0];
  const found = {
    ...fn,
    liveVersion: version,
    ...(previous !== undefined ? { previousVersion: String(previous) } : {}),
  };
  const rollback = previous !== undefined ? `previous v${previous}` : 'no earlier version (first deploy)';
  const state = status.state ?? 'Active';
  const data = { ...found, state, lastUpdateStatus: status.lastUpdateStatus };
  if (state === 'Active' && status.lastUpdateStatus !== 'Failed') {
    return { status: 'ok', detail: `LIVE v${version} Active; ${rollback}`, data, fn: found };
  }
  const why = status.stateReason ?? (status.lastUpdateStatus === 'Failed' ? 'last update failed' : undefined);
  return {
    status: state === 'Inactive' ? 'warn' : 'fail',
    detail: `LIVE v${version} ${state}${why ? ` (${why})` : ''}; ${rollback}`,
    data,
    fn: found,
  };
}

async function queueReachable(clients: HealthReportClients, url: string): Promise<CheckOutcome> {
  const depth = await queueDepth(clients.sqs, url);
  return {
    status: 'ok',
    detail: `reachable (${depth.visible} waiting, ${depth.inFlight} in flight)`,
    data: { ...depth },
  };
}

export async function afterDeployReport(
  target: OpsTarget,
  clients: HealthReportClients,
  options: { now: number; apiId?: string },
): Promise<AfterDeployReport> {
  const names =
    target.mode === 'local'
      ? { ingest: target.functions.ingest, etl: target.functions.etl, api: target.functions.api }
      : target.functions;
  const functions: DeployedFunction[] = Object.values(names).map((name) => {
    const key = functionKeyOf(target, name);
    return { role: key === 'healthCheck' ? 'health-check' : (key ?? name), function: name };
  });
  const functionChecks = functions.map((fn, i) =>
    settle(`function:${fn.role}`, `λ ${fn.function}`, async () => {
      if (target.mode === 'local') return servedLocally(clients.lambda, fn.function);
      const { fn: found, ...outcome } = await deployedFunction(clients, fn);
      functions[i] = found;
      return outcome;
    }),
  );
  let api: ApiCheck;
  try {
    api = await apiCheckFor(target, clients, options.now, options.apiId);
  } catch (error) {
    api = async () => ({ status: 'fail' as const, detail: (error as Error).message });
  }
  // awaited by both queue checks below (each fails on its own if the queues cannot be found)
  const resolved = resolveQueues(clients.sqs, target);
  const checks = await Promise.all([
    ...functionChecks,
    settle('table', `table ${target.table}`, () => tableReady(clients.dynamoControl, target.table)),
    settle('queue', `queue ${target.queueName}`, async () => queueReachable(clients, (await resolved).queueUrl)),
    settle('dlq', `DLQ ${target.dlqName}`, async () => queueReachable(clients, (await resolved).dlqUrl)),
    settle('api', 'API', api),
  ]);
  return {
    checkedAt: new Date(options.now).toISOString(),
    stage: target.stage,
    mode: target.mode,
    ok: checks.every((c) => c.status !== 'fail'),
    checks,
    functions,
  };
}
