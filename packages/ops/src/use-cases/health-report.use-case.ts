/**
 * `pulse health`: the health checks (the same module the health-check Lambda runs) against a
 * deployment, with the API checked the way a client would use it: a real GraphQL query, sent
 * with the local stack's key or with an API key AppSync lists.
 */
import { findGraphqlApi, usableApiKey } from '../adapters/appsync';
import { graphqlProbe } from '../adapters/graphql';
import { resolveQueues } from '../adapters/queues';
import type { OpsClients } from '../deployment/clients';
import type { OpsTarget } from '../deployment/deployment';
import { type ApiCheck, type HealthClients, type HealthReport, runHealthChecks } from './health-checks';

export type HealthReportClients = HealthClients & Pick<OpsClients, 'appsync'>;

/** The API check as a client would see it: a real query (the local stack's key, or an API key AppSync lists). */
export async function apiCheckFor(
  target: OpsTarget,
  clients: HealthReportClients,
  now: number,
  apiId?: string,
): Promise<ApiCheck> {
  if (target.graphql) return graphqlProbe(target.graphql.url, target.graphql.apiKey);
  const api = await findGraphqlApi(clients.appsync, target.stage, apiId);
  const url = api.uris?.GRAPHQL;
  const key = api.apiId ? await usableApiKey(clients.appsync, api.apiId, now) : undefined;
  if (url && key) return graphqlProbe(url, key);
  return async () => ({
    status: 'warn' as const,
    detail: `${api.name} exists (${api.apiId}) but has no usable API key to send a test query`,
  });
}

/** Every check runs; an API that cannot even be found is a failed API check, not an error. */
export async function healthReport(
  target: OpsTarget,
  clients: HealthReportClients,
  options: { now: number; apiId?: string },
): Promise<HealthReport> {
  const queues = await resolveQueues(clients.sqs, target);
  const { now } = options;
  let api: ApiCheck;
  try {
    api = await apiCheckFor(target, clients, now, options.apiId);
  } catch (error) {
    api = async () => ({ status: 'fail' as const, detail: (error as Error).message });
  }
  return runHealthChecks(
    {
      mode: target.mode,
      stage: target.stage,
      // locally the three service functions: the health check the stack also hosts is what runs
      // these checks on a schedule, and a stack's endpoints.json may predate it
      functions:
        target.mode === 'local'
          ? { ingest: target.functions.ingest, etl: target.functions.etl, api: target.functions.api }
          : target.functions,
      table: target.table,
      rawBucket: target.rawBucket,
      curatedBucket: target.curatedBucket,
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
    },
    clients,
    { now, api },
  );
}
