/**
 * Post-incident validation (the runbook's last phase): the data is fresh, nothing waits in the
 * DLQ or the queue, the functions' error metrics are down, and a sample GraphQL query answers
 * with readings. Each is a check with a verdict; any failure means the incident is not over.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { findGraphqlApi, usableApiKey } from '../adapters/appsync';
import { graphqlRequest } from '../adapters/graphql';
import { lambdaErrorFigures } from '../adapters/metrics';
import { listStations } from '../adapters/table-hours';
import type { OpsClients } from '../deployment/clients';
import type { OpsTarget } from '../deployment/deployment';
import type { CheckOutcome, HealthCheck, HealthReport } from './health-checks';
import { healthReport } from './health-report.use-case';

export interface ValidationReport {
  checkedAt: string;
  passed: boolean;
  checks: HealthCheck[];
}

export interface ValidateDeps {
  health: HealthReport;
  /** absent locally: the metrics check is then skipped */
  cloudwatch?: CloudWatchClient;
  functions: string[];
  windowMinutes: number;
  graphql?: { url: string; apiKey: string };
  suburb?: string;
  now: number;
}

export const SAMPLE_QUERY = `query Validate($suburb: String!) {
  getAirQualityData(suburb: $suburb, limit: 5) { items { siteName hourStart category } }
}`;

async function check(id: string, name: string, run: () => Promise<CheckOutcome>): Promise<HealthCheck> {
  try {
    return { id, name, ...(await run()) };
  } catch (error) {
    return { id, name, status: 'fail', detail: (error as Error).message };
  }
}

export async function validate(deps: ValidateDeps): Promise<ValidationReport> {
  const { health } = deps;
  const f = health.freshness;
  const checks: HealthCheck[] = [];
  checks.push({
    id: 'freshness',
    name: 'data is fresh',
    status: f.verdict === 'FRESH' ? 'ok' : f.verdict === 'LAGGING' ? 'warn' : 'fail',
    detail:
      f.tableAgeMinutes === undefined
        ? `${f.verdict}: ${f.explanation}`
        : `${f.verdict}: newest table hour ${f.newestTableHour} ended ${f.tableAgeMinutes} min ago`,
  });
  checks.push({
    id: 'dlq',
    name: 'no DLQ backlog',
    status: health.dlqDepth === 0 ? 'ok' : 'fail',
    detail: health.dlqDepth === null ? 'DLQ depth unknown' : `${health.dlqDepth} message(s) in the DLQ`,
  });
  checks.push({
    id: 'queue',
    name: 'processing queue drained',
    status: (health.queueDepth ?? 0) === 0 ? 'ok' : 'warn',
    detail: health.queueDepth === null ? 'depth unknown' : `${health.queueDepth} message(s) waiting or in flight`,
  });
  checks.push(
    await check('errors', 'error metrics down', async () => {
      if (!deps.cloudwatch) return { status: 'skip', detail: 'CloudWatch metrics: AWS only' };
      const figures = await lambdaErrorFigures(deps.cloudwatch, deps.functions, deps.windowMinutes, deps.now);
      const bad = figures.filter((x) => x.errors > 0 || x.throttles > 0);
      const detail = figures
        .map((x) => `${x.function} ${x.errors} errors/${x.invocations} invocations, ${x.throttles} throttles`)
        .join('; ');
      return {
        status: bad.length ? 'fail' : 'ok',
        detail: `last ${deps.windowMinutes} min: ${detail}`,
        data: { figures },
      };
    }),
  );
  checks.push(
    await check('graphql', 'sample GraphQL query answers', async () => {
      if (!deps.graphql) return { status: 'fail', detail: 'no GraphQL endpoint or API key found' };
      if (!deps.suburb) return { status: 'fail', detail: 'no station in the table to ask about (pass --suburb)' };
      const answer = await graphqlRequest(deps.graphql.url, deps.graphql.apiKey, SAMPLE_QUERY, { suburb: deps.suburb });
      const items = ((answer.data?.getAirQualityData as { items?: { hourStart: string }[] } | undefined)?.items ??
        []) as { hourStart: string }[];
      if (answer.errors?.length) {
        return { status: 'fail', detail: `getAirQualityData(${deps.suburb}): ${answer.errors[0]?.message}` };
      }
      if (items.length === 0)
        return { status: 'fail', detail: `getAirQualityData(${deps.suburb}) returned no readings` };
      return {
        status: 'ok',
        detail: `getAirQualityData("${deps.suburb}") → ${items.length} readings, newest ${items[0]?.hourStart} (${Math.round(answer.durationMs)} ms)`,
        data: { suburb: deps.suburb, readings: items.length, newest: items[0]?.hourStart },
      };
    }),
  );
  return { checkedAt: new Date(deps.now).toISOString(), passed: checks.every((c) => c.status !== 'fail'), checks };
}

/** Where to send the sample query: the local stack's endpoint, or the stage API with a key AppSync lists. */
async function graphqlEndpoint(
  target: OpsTarget,
  clients: Pick<OpsClients, 'appsync'>,
  now: number,
  apiId?: string,
): Promise<{ url: string; apiKey: string } | undefined> {
  if (target.graphql || target.mode !== 'aws') return target.graphql;
  try {
    const api = await findGraphqlApi(clients.appsync, target.stage, apiId);
    const key = api.apiId ? await usableApiKey(clients.appsync, api.apiId, now) : undefined;
    if (api.uris?.GRAPHQL && key) return { url: api.uris.GRAPHQL, apiKey: key };
  } catch {
    // the GraphQL check says what is missing
  }
  return undefined;
}

export interface RecoveryInput {
  windowMinutes: number;
  /** default: a station's suburb from the table */
  suburb?: string;
  apiId?: string;
  now: () => number;
}

/** The whole post-incident validation of a deployment: the health checks, then the checks above. */
export async function validateRecovery(
  target: OpsTarget,
  clients: OpsClients,
  input: RecoveryInput,
): Promise<ValidationReport> {
  const apiId = input.apiId !== undefined ? { apiId: input.apiId } : {};
  const health = await healthReport(target, clients, { now: input.now(), ...apiId });
  const graphql = await graphqlEndpoint(target, clients, input.now(), input.apiId);
  const suburb =
    input.suburb ?? (await listStations(clients.dynamo, target.table).catch(() => [])).find((s) => s.suburb)?.suburb;
  return validate({
    health,
    ...(target.mode === 'aws' ? { cloudwatch: clients.cloudwatch } : {}),
    functions: [target.functions.ingest, target.functions.etl, target.functions.api],
    windowMinutes: input.windowMinutes,
    ...(graphql ? { graphql } : {}),
    ...(suburb ? { suburb } : {}),
    now: input.now(),
  });
}
