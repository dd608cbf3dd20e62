/**
 * A local stack for one integration test file, on the local AWS servers vitest's global setup
 * started: its own table, buckets and queues (unique names, so test files running side by side
 * never see each other's data), the real handlers behind a Lambda Invoke endpoint (the local
 * stack's own function host and invoke server), the local stack's SNS stand-in writing under the
 * data dir, and an `endpoints.json` the CLI's `--local` reads.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  FunctionHost,
  type InvokeServer,
  LOCAL_FUNCTION_SPECS,
  type LocalFunctionSpec,
  startInvokeServer,
} from '@opendata-pulse/local/lambda';
import { type SnsServer, startSnsServer } from '@opendata-pulse/local/sns';
import type { LocalAwsContext } from '@opendata-pulse/local/vitest-setup';
import { createDynamoDocClient, createLambdaClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { BASE_NAMES, QUEUE_DEFINITIONS, TABLE_DEFINITION } from '@opendata-pulse/shared/infra';

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestResources {
  rawBucket: string;
  curatedBucket: string;
  table: string;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface TestClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
}

export function clientsFor(local: LocalAwsContext): TestClients {
  const common = { region: local.region, credentials: LOCAL_CREDENTIALS };
  return {
    s3: createS3Client({ ...common, endpoint: local.endpoints.s3 }),
    dynamo: createDynamoDocClient({ ...common, endpoint: local.endpoints.dynamodb }),
    sqs: createSqsClient({ ...common, endpoint: local.endpoints.sqs }),
  };
}

/** Table, buckets, queue and DLQ (with the redrive policy) from the shared definitions, under unique names. */
export async function createTestResources(local: LocalAwsContext, clients: TestClients): Promise<TestResources> {
  const id = randomUUID().slice(0, 8);
  const rawBucket = `${BASE_NAMES.rawBucket}-000000000000-t${id}`;
  const curatedBucket = `${BASE_NAMES.curatedBucket}-000000000000-t${id}`;
  const table = `${BASE_NAMES.table}-t${id}`;
  const control = new DynamoDBClient({
    region: local.region,
    endpoint: local.endpoints.dynamodb,
    credentials: LOCAL_CREDENTIALS,
  });
  await control.send(
    new CreateTableCommand({ TableName: table, ...TABLE_DEFINITION } as ConstructorParameters<
      typeof CreateTableCommand
    >[0]),
  );
  control.destroy();
  for (const bucket of [rawBucket, curatedBucket]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${BASE_NAMES.dlq}-t${id}` }));
  const dlqArn = (
    await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  const queue = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `${BASE_NAMES.processingQueue}-t${id}`,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: QUEUE_DEFINITIONS.processing.maxReceiveCount,
        }),
      },
    }),
  );
  const queueArn = (
    await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  return {
    rawBucket,
    curatedBucket,
    table,
    queueUrl: queue.QueueUrl as string,
    queueArn,
    dlqUrl: dlq.QueueUrl as string,
    dlqArn,
  };
}

/** endpoints.json's `graphql`: the API, its key, and (when cached) the cache endpoint and operator token */
export interface GraphqlEndpoint {
  url: string;
  apiKey: string;
  operatorToken?: string;
  cacheUrl?: string;
}

export interface TestStack {
  dataDir: string;
  resources: TestResources;
  clients: TestClients;
  functions: FunctionHost;
  invoke: InvokeServer;
  /** the SNS stand-in, with the local stage's critical-alerts and incident-alerts topics */
  sns: SnsServer;
  topics: { criticalAlerts: string; incidentAlerts: string };
  /** environment the hosted handlers run with */
  env: Record<string, string>;
  /** point endpoints.json at a GraphQL server started after the stack */
  setGraphql(graphql: GraphqlEndpoint): Promise<void>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** NSW endpoint for the ingest handler (a fake NSW server) */
  nswEndpoint?: string;
  /** which functions to host (default: ingest and etl, the ones the CLI invokes) */
  functions?: LocalFunctionSpec['key'][];
  /** what endpoints.json says the GraphQL API is */
  graphql?: GraphqlEndpoint;
  extraEnv?: Record<string, string>;
}

export async function startTestStack(local: LocalAwsContext, options: TestStackOptions = {}): Promise<TestStack> {
  const clients = clientsFor(local);
  const resources = await createTestResources(local, clients);
  const env: Record<string, string> = {
    AWS_REGION: local.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: local.endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_DEV: 'false',
    S3_BUCKET: resources.rawBucket,
    CURATED_BUCKET: resources.curatedBucket,
    DYNAMODB_TABLE: resources.table,
    NSW_SOURCE_LABEL: 'custom',
    NSW_BACKOFF_BASE_MS: '1',
    NSW_BACKOFF_MAX_MS: '5',
    NSW_MAX_ATTEMPTS: '2',
    NSW_TIMEOUT_MS: '3000',
    ...(options.nswEndpoint ? { NSW_API_ENDPOINT: options.nswEndpoint } : {}),
    ...options.extraEnv,
  };
  const keys = options.functions ?? ['ingest', 'etl'];
  const functions = new FunctionHost({
    stage: 'local',
    region: local.region,
    env,
    specs: LOCAL_FUNCTION_SPECS.filter((s) => keys.includes(s.key)),
  });
  const invoke = await startInvokeServer({ host: '127.0.0.1', port: 0, functions });
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-cli-'));
  const topicArn = (base: string) => `arn:aws:sns:${local.region}:000000000000:${base}-local`;
  const topics = {
    criticalAlerts: topicArn(BASE_NAMES.criticalTopic),
    incidentAlerts: topicArn(BASE_NAMES.incidentTopic),
  };
  const sns = await startSnsServer({ dataDir, topicArns: Object.values(topics) });
  const endpointsFile = {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    dataDir,
    stage: 'local',
    region: local.region,
    graphql: options.graphql ?? ({ url: 'http://127.0.0.1:9/graphql', apiKey: 'local-test-key' } as GraphqlEndpoint),
    endpoints: { ...local.endpoints, lambda: invoke.url, sns: sns.url },
    resources: { ...resources, functions: functions.names(), topics },
  };
  const writeEndpoints = () => writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify(endpointsFile, null, 2));
  writeEndpoints();
  return {
    dataDir,
    resources,
    clients,
    functions,
    invoke,
    sns,
    topics,
    env,
    async setGraphql(graphql) {
      endpointsFile.graphql = graphql;
      writeEndpoints();
    },
    async stop() {
      await invoke.close();
      await sns.close();
      await functions.stop();
      clients.s3.destroy();
      clients.dynamo.destroy();
      clients.sqs.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Lambda client pointed at the test stack's invoke endpoint. */
export function lambdaFor(stack: TestStack, region: string) {
  return createLambdaClient({ region, endpoint: stack.invoke.url, credentials: LOCAL_CREDENTIALS });
}
