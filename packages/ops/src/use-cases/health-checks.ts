/**
 * The health checks, one module for `pulse health` and the `opendata-pulse-health-check` Lambda:
 * each function's state and circuit breaker, the table, both buckets, the newest raw and table
 * hours (freshness), the processing queue and DLQ, and the API. Every check runs even when
 * another fails; a check that cannot run is a failed check that says why.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSI_NAME } from '@opendata-pulse/shared/keys';
import {
  assessFreshness,
  type Freshness,
  freshnessVerdict,
  newestRawHour,
  queueDepth,
} from '@opendata-pulse/shared/pipeline';
import { type FunctionStatus, liveFunctionStatus } from '../adapters/functions';
import { listStations, newestTableHour, regionsOf } from '../adapters/table-hours';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface HealthCheck {
  id: string;
  name: string;
  status: CheckStatus;
  detail: string;
  data?: Record<string, unknown>;
}

export interface HealthTarget {
  mode: 'aws' | 'local';
  stage: string;
  /** the functions to check, by role */
  functions: Record<string, string>;
  table: string;
  rawBucket: string;
  curatedBucket: string;
  queueUrl: string;
  dlqUrl: string;
}

export interface HealthClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  dynamoControl: DynamoDBClient;
  sqs: SQSClient;
  lambda: LambdaClient;
}

export type CheckOutcome = Omit<HealthCheck, 'id' | 'name'>;
export type ApiCheck = () => Promise<CheckOutcome>;

export interface HealthOptions {
  now: number;
  /** the API check: a GraphQL probe (CLI), the AppSync control plane (Lambda), or none */
  api?: ApiCheck;
  /** processing-queue backlog above which the ETL is called behind (warn) */
  backlogWarn?: number;
}

export interface HealthReport {
  checkedAt: string;
  stage: string;
  mode: 'aws' | 'local';
  /** no check failed and the data is fresh */
  healthy: boolean;
  checks: HealthCheck[];
  freshness: Freshness;
  dlqDepth: number | null;
  queueDepth: number | null;
  circuitBreakers: Record<string, boolean | null>;
}

function errorText(error: unknown): string {
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  return e?.message || e?.name || e?.code || String(error);
}

/** Run one check; one that throws is a failed check saying why. */
export async function settle(
  id: string,
  name: string,
  run: () => Promise<Omit<HealthCheck, 'id' | 'name'>>,
): Promise<HealthCheck> {
  try {
    return { id, name, ...(await run()) };
  } catch (error) {
    return { id, name, status: 'fail' as const, detail: errorText(error) };
  }
}

/** The table and its index are ACTIVE (DescribeTable). */
export async function tableReady(dynamoControl: DynamoDBClient, table: string): Promise<CheckOutcome> {
  const { Table } = await dynamoControl.send(new DescribeTableCommand({ TableName: table }));
  const index = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === GSI_NAME);
  const data = { status: Table?.TableStatus, index: index?.IndexStatus ?? null, items: Table?.ItemCount };
  if (Table?.TableStatus !== 'ACTIVE') return { status: 'fail', detail: `status ${Table?.TableStatus}`, data };
  if (!index) return { status: 'fail', detail: `ACTIVE, but index ${GSI_NAME} is missing`, data };
  if (index.IndexStatus !== 'ACTIVE') {
    return { status: 'warn', detail: `ACTIVE, index ${GSI_NAME} ${index.IndexStatus}`, data };
  }
  return { status: 'ok', detail: `ACTIVE, index ${GSI_NAME} ACTIVE`, data };
}

/** The local stack's functions: its endpoint implements Invoke only, so a DryRun says the function is there and served. */
export async function servedLocally(lambda: LambdaClient, name: string): Promise<CheckOutcome> {
  await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun' }));
  return { status: 'ok', detail: 'served by the local stack (state and circuit breaker: AWS only)' };
}

function functionCheck(role: string, status: FunctionStatus): Omit<HealthCheck, 'id' | 'name'> {
  const version = status.version && status.version !== '$LATEST' ? ` v${status.version}` : '';
  const where = `${status.qualifier}${version}`;
  const data = {
    function: status.name,
    qualifier: status.qualifier,
    version: status.version,
    state: status.state,
    lastUpdateStatus: status.lastUpdateStatus,
    circuitBreaker: status.circuitBreaker,
  };
  if (status.state === 'Failed' || status.lastUpdateStatus === 'Failed') {
    return { status: 'fail', detail: `${status.state ?? '?'} (${status.stateReason ?? 'last update failed'})`, data };
  }
  if (status.state && status.state !== 'Active') {
    return {
      status: 'warn',
      detail: `${status.state} ${where}${status.stateReason ? `: ${status.stateReason}` : ''}`,
      data,
    };
  }
  const breaker = status.circuitBreaker ? ', circuit breaker ON' : '';
  return {
    status: status.circuitBreaker ? 'warn' : 'ok',
    detail: `${status.state ?? 'Active'} ${where}${breaker}`,
    data: { ...data, role },
  };
}

export async function runHealthChecks(
  target: HealthTarget,
  clients: HealthClients,
  options: HealthOptions,
): Promise<HealthReport> {
  const { now } = options;
  const circuitBreakers: Record<string, boolean | null> = {};

  const functionChecks = Object.entries(target.functions).map(([role, name]) =>
    settle(`function:${role}`, `λ ${name}`, async () => {
      if (target.mode === 'local') {
        circuitBreakers[role] = null;
        return servedLocally(clients.lambda, name);
      }
      const status = await liveFunctionStatus(clients.lambda, name);
      circuitBreakers[role] = status.circuitBreaker;
      return functionCheck(role, status);
    }),
  );

  const tableCheck = settle('table', `table ${target.table}`, () => tableReady(clients.dynamoControl, target.table));

  const bucketChecks = (
    [
      ['bucket:raw', target.rawBucket],
      ['bucket:curated', target.curatedBucket],
    ] as const
  ).map(([id, bucket]) =>
    settle(id, `bucket ${bucket}`, async () => {
      await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return { status: 'ok', detail: 'reachable' };
    }),
  );

  let rawHour: number | undefined;
  let tableHour: number | undefined;
  const rawFreshness = settle('freshness:raw', 'newest raw hour', async () => {
    rawHour = (await newestRawHour(clients.s3, target.rawBucket, now))?.hourStart;
    const f = assessFreshness({ newestRawHour: rawHour, now });
    if (rawHour === undefined) return { status: 'fail', detail: 'none: the raw zone is empty' };
    const v = freshnessVerdict(f.rawAgeMinutes);
    return {
      status: v === 'FRESH' ? 'ok' : v === 'LAGGING' ? 'warn' : 'fail',
      detail: `${f.newestRawHour} (ended ${f.rawAgeMinutes} min ago)`,
      data: { hour: f.newestRawHour, ageMinutes: f.rawAgeMinutes },
    };
  });
  const tableFreshness = settle('freshness:table', 'newest table hour', async () => {
    const regions = regionsOf(await listStations(clients.dynamo, target.table));
    tableHour = await newestTableHour(clients.dynamo, target.table, regions, now);
    const f = assessFreshness({ newestTableHour: tableHour, now });
    if (tableHour === undefined) return { status: 'fail', detail: 'none: the table holds no hourly data' };
    return {
      status: f.verdict === 'FRESH' ? 'ok' : f.verdict === 'LAGGING' ? 'warn' : 'fail',
      detail: `${f.newestTableHour} (ended ${f.tableAgeMinutes} min ago)`,
      data: { hour: f.newestTableHour, ageMinutes: f.tableAgeMinutes, regions: regions.length },
    };
  });

  let dlqDepth: number | null = null;
  let backlog: number | null = null;
  const dlqCheck = settle('dlq', 'DLQ depth', async () => {
    const depth = await queueDepth(clients.sqs, target.dlqUrl);
    dlqDepth = depth.total;
    return dlqDepth === 0
      ? { status: 'ok', detail: '0 messages' }
      : {
          status: 'fail',
          detail: `${dlqDepth} message(s) failed processing: \`pulse dlq show\``,
          data: { ...depth },
        };
  });
  const queueCheck = settle('queue', 'ETL queue backlog', async () => {
    const depth = await queueDepth(clients.sqs, target.queueUrl);
    backlog = depth.total;
    const limit = options.backlogWarn ?? 100;
    return {
      status: backlog > limit ? 'warn' : 'ok',
      detail: `${depth.visible} waiting, ${depth.inFlight} in flight`,
      data: { ...depth },
    };
  });
  const apiCheck = options.api
    ? settle('api', 'API', options.api)
    : Promise.resolve({ id: 'api', name: 'API', status: 'skip' as const, detail: 'not checked' });

  const checks: HealthCheck[] = await Promise.all([
    ...functionChecks,
    tableCheck,
    ...bucketChecks,
    rawFreshness,
    tableFreshness,
    queueCheck,
    dlqCheck,
    apiCheck,
  ]);

  const breakerValues = Object.values(circuitBreakers);
  const on = Object.entries(circuitBreakers)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  const breakerCheck: HealthCheck =
    breakerValues.length === 0 || breakerValues.every((v) => v === null)
      ? {
          id: 'circuit-breakers',
          name: 'circuit breakers',
          status: 'skip',
          detail: target.mode === 'local' ? 'AWS only (set CIRCUIT_BREAKER in the stack env)' : 'unknown',
        }
      : on.length > 0
        ? { id: 'circuit-breakers', name: 'circuit breakers', status: 'warn', detail: `ON for ${on.join(', ')}` }
        : { id: 'circuit-breakers', name: 'circuit breakers', status: 'ok', detail: 'all off' };
  checks.splice(Object.keys(target.functions).length, 0, breakerCheck);

  const freshness = assessFreshness({ newestRawHour: rawHour, newestTableHour: tableHour, now });
  return {
    checkedAt: new Date(now).toISOString(),
    stage: target.stage,
    mode: target.mode,
    healthy:
      checks.every((c) => c.status !== 'fail') && freshness.verdict !== 'STALE' && freshness.verdict !== 'NO_DATA',
    checks,
    freshness,
    dlqDepth,
    queueDepth: backlog,
    circuitBreakers,
  };
}
