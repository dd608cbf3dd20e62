/**
 * The deployment a command acts on: an AWS stage (`--stage`) or the local stack (`--local`).
 * Every resource name comes from shared `/infra`, so the CLI and serverless.yml cannot disagree.
 */

import { dirname } from 'node:path';
import type { EndpointsFile } from '@opendata-pulse/local/endpoints';
import { DEFAULT_SOURCE_TIMEZONE } from '@opendata-pulse/shared/config/defaults';
import { BASE_NAMES, bucketName, stageName } from '@opendata-pulse/shared/infra';

export type FunctionKey = 'ingest' | 'etl' | 'api' | 'healthCheck';
/** The alias the schedule and the queue invoke: what each function runs for its callers. */
export const LIVE_ALIAS = 'LIVE';
export const SERVICE_NAMES = ['ingest', 'etl', 'api', 'ops'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface OpsTarget {
  mode: 'aws' | 'local';
  stage: string;
  region: string;
  accountId: string;
  functions: Record<FunctionKey, string>;
  hourlyRule: string;
  rawBucket: string;
  curatedBucket: string;
  /** the ops service's bucket (log exports); AWS only */
  opsBucket: string;
  table: string;
  queueName: string;
  dlqName: string;
  /** known up front locally; in AWS resolved through GetQueueUrl when first needed */
  queueUrl?: string;
  queueArn?: string;
  dlqUrl?: string;
  dlqArn?: string;
  criticalTopicArn: string;
  incidentTopicArn: string;
  /** Serverless Framework's stack name per service: `<service>-<stage>` */
  stacks: Record<ServiceName, string>;
  /** local only: endpoints of the emulated services (`sns` absent: a stack from before the SNS stand-in) */
  endpoints?: { s3: string; dynamodb: string; sqs: string; lambda: string; sns?: string };
  graphql?: { url: string; apiKey: string };
  /** local only: the GraphQL server's resolver cache endpoint and the operator token it wants */
  apiCache?: { url: string; token: string };
  logFile?: string;
  /** local only: the stack's data dir (where endpoints.json is) */
  dataDir?: string;
  /**
   * The zone NSW's Date/Hour labels are read in (NSW_SOURCE_TIMEZONE), when the target knows it
   * up front: the local stack writes it in endpoints.json. In AWS it is the ingest function's
   * setting, read when needed (adapters/source-time-zone.ts).
   */
  sourceTimeZone?: string;
}

export function stageTarget(input: { stage: string; region: string; accountId: string }): OpsTarget {
  const { stage, region, accountId } = input;
  const fn = (base: string) => stageName(base, stage);
  const topicArn = (base: string) => `arn:aws:sns:${region}:${accountId}:${stageName(base, stage)}`;
  return {
    mode: 'aws',
    stage,
    region,
    accountId,
    functions: {
      ingest: fn(BASE_NAMES.ingestFunction),
      etl: fn(BASE_NAMES.etlFunction),
      api: fn(BASE_NAMES.apiFunction),
      healthCheck: fn(BASE_NAMES.healthCheckFunction),
    },
    hourlyRule: fn(BASE_NAMES.hourlyRule),
    rawBucket: bucketName(BASE_NAMES.rawBucket, accountId, stage),
    curatedBucket: bucketName(BASE_NAMES.curatedBucket, accountId, stage),
    opsBucket: bucketName(BASE_NAMES.opsBucket, accountId, stage),
    table: fn(BASE_NAMES.table),
    queueName: fn(BASE_NAMES.processingQueue),
    dlqName: fn(BASE_NAMES.dlq),
    criticalTopicArn: topicArn(BASE_NAMES.criticalTopic),
    incidentTopicArn: topicArn(BASE_NAMES.incidentTopic),
    stacks: {
      ingest: `opendata-pulse-ingest-${stage}`,
      etl: `opendata-pulse-etl-${stage}`,
      api: `opendata-pulse-api-${stage}`,
      ops: `opendata-pulse-ops-${stage}`,
    },
  };
}

/** `file.path`: where the endpoints file was read (its directory is the data dir). */
export function localTarget(file: EndpointsFile & { path?: string }): OpsTarget {
  const base = stageTarget({ stage: file.stage, region: file.region, accountId: file.accountId });
  const queueName = file.resources.queueUrl.split('/').pop() ?? base.queueName;
  const dlqName = file.resources.dlqUrl.split('/').pop() ?? base.dlqName;
  return {
    ...base,
    mode: 'local',
    functions: {
      ...base.functions,
      ...(file.resources.functions?.ingest ? { ingest: file.resources.functions.ingest } : {}),
      ...(file.resources.functions?.etl ? { etl: file.resources.functions.etl } : {}),
      ...(file.resources.functions?.api ? { api: file.resources.functions.api } : {}),
      ...(file.resources.functions?.healthCheck ? { healthCheck: file.resources.functions.healthCheck } : {}),
    },
    criticalTopicArn: file.resources.topics?.criticalAlerts ?? base.criticalTopicArn,
    incidentTopicArn: file.resources.topics?.incidentAlerts ?? base.incidentTopicArn,
    rawBucket: file.resources.rawBucket,
    curatedBucket: file.resources.curatedBucket,
    table: file.resources.table,
    queueName,
    dlqName,
    queueUrl: file.resources.queueUrl,
    dlqUrl: file.resources.dlqUrl,
    ...(file.resources.queueArn ? { queueArn: file.resources.queueArn } : {}),
    ...(file.resources.dlqArn ? { dlqArn: file.resources.dlqArn } : {}),
    endpoints: {
      s3: file.endpoints.s3,
      dynamodb: file.endpoints.dynamodb,
      sqs: file.endpoints.sqs,
      lambda: file.endpoints.lambda,
      ...(file.endpoints.sns ? { sns: file.endpoints.sns } : {}),
    },
    graphql: { url: file.graphql.url, apiKey: file.graphql.apiKey },
    ...(file.graphql.cacheUrl && file.graphql.operatorToken
      ? { apiCache: { url: file.graphql.cacheUrl, token: file.graphql.operatorToken } }
      : {}),
    ...(file.logFile ? { logFile: file.logFile } : {}),
    ...(file.path ? { dataDir: dirname(file.path) } : {}),
    sourceTimeZone: sourceTimeZoneOf(file),
  };
}

/**
 * endpoints.json's `nsw.timeZone` (the reader's schema passes it through unchecked); a file
 * without it is from a stack that ran its handlers with the default zone.
 */
function sourceTimeZoneOf(file: EndpointsFile): string {
  const nsw = (file as { nsw?: { timeZone?: unknown } }).nsw;
  return typeof nsw?.timeZone === 'string' && nsw.timeZone.length > 0 ? nsw.timeZone : DEFAULT_SOURCE_TIMEZONE;
}

const SHORT_FUNCTION_NAMES: Record<string, FunctionKey> = {
  ingest: 'ingest',
  etl: 'etl',
  api: 'api',
  'health-check': 'healthCheck',
  health: 'healthCheck',
};

/** `--function ingest` or the full name `opendata-pulse-ingest[-stage]` -> the deployed name. */
export function resolveFunctionName(target: OpsTarget, name: string): string {
  const key = SHORT_FUNCTION_NAMES[name];
  if (key) return target.functions[key];
  return name;
}

/** Which of the project's functions a (resolved) name is, if any. */
export function functionKeyOf(target: OpsTarget, functionName: string): FunctionKey | undefined {
  return (Object.keys(target.functions) as FunctionKey[]).find((k) => target.functions[k] === functionName);
}
