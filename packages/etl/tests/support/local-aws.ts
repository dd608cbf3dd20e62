/**
 * Integration-test plumbing over the local servers vitest's global setup started: clients,
 * per-test buckets and tables (so test files running side by side never share state), raw and
 * reference objects in the shapes ingest writes, and the ETL handler pointed at all of it.
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
// The global setup's declaration of inject('localAws'), for type checks run from this package alone.
import type {} from '@opendata-pulse/local/vitest-setup';
import { createDynamoDocClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { buildEventBridgeObjectCreated } from '@opendata-pulse/shared/events';
import { TABLE_DEFINITION } from '@opendata-pulse/shared/infra';
import {
  keys,
  rawDayKey,
  rawDayRevisionKey,
  rawObjectKey,
  rawRevisionKey,
  referenceObjectKey,
} from '@opendata-pulse/shared/keys';
import type { NswObservation, NswSite } from '@opendata-pulse/shared/nsw';
import { buildRawDayEnvelope, buildRawEnvelope, buildReferenceEnvelope } from '@opendata-pulse/shared/raw';
import type { Context, SQSEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { createEtlHandler } from '../../src/handler';

export const local = inject('localAws');
export const TIME_ZONE = 'Australia/Sydney';

export function clients() {
  const { region, endpoints } = local;
  return {
    s3: createS3Client({ region, endpoint: endpoints.s3 }),
    dynamo: createDynamoDocClient({ region, endpoint: endpoints.dynamodb }),
    sqs: createSqsClient({ region, endpoint: endpoints.sqs }),
  };
}

let counter = 0;
/** A name no other test uses (bucket and table names: lower case, digits, dashes). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export async function createBucket(s3: S3Client, prefix: string): Promise<string> {
  const bucket = uniqueName(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** A table with the project's definition (keys, GeographicIndex), as ensureResources makes it. */
export async function createTable(dynamo: { send: DynamoDBClient['send'] }, prefix: string): Promise<string> {
  const table = uniqueName(prefix);
  await dynamo.send(
    new CreateTableCommand({ TableName: table, ...TABLE_DEFINITION } as ConstructorParameters<
      typeof CreateTableCommand
    >[0]),
  );
  return table;
}

export interface EtlTarget {
  rawBucket: string;
  curatedBucket: string;
  table: string;
}

export function etlEnv(target: EtlTarget, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: local.region,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: local.endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
    S3_BUCKET: target.rawBucket,
    CURATED_BUCKET: target.curatedBucket,
    DYNAMODB_TABLE: target.table,
    NSW_SOURCE_TIMEZONE: TIME_ZONE,
    LOG_LEVEL: process.env.ETL_TEST_LOG_LEVEL ?? 'SILENT',
    ...extra,
  };
}

/** The real handler (middy, Powertools and all), configured for one test's resources. */
export function etlHandler(target: EtlTarget, extra: Record<string, string> = {}) {
  const env = etlEnv(target, extra);
  return createEtlHandler({ env: () => env });
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'opendata-pulse-etl-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-2:000000000000:function:opendata-pulse-etl-local',
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/opendata-pulse-etl-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const TEST_SOURCE = {
  url: 'http://127.0.0.1/api/Data/get_Observations',
  operation: 'get_Observations',
  label: 'sample',
  timeZone: TIME_ZONE,
} as const;

function capturedResponse(observations: readonly NswObservation[] | string, fetchedAt: string) {
  const body = typeof observations === 'string' ? observations : JSON.stringify(observations);
  return {
    source: TEST_SOURCE,
    request: { method: 'POST' as const, body: null },
    fetchedAt,
    recordCount: typeof observations === 'string' ? 0 : observations.length,
    ingestVersion: 'test',
    response: { status: 200, contentType: 'application/json', body },
  };
}

/**
 * A raw hour object as ingest writes it: the NSW answer as received inside the envelope. At the
 * hour's snapshot key, or `revision: true` for a later fetch's own key (rawRevisionKey).
 */
export async function putRawHour(
  s3: S3Client,
  bucket: string,
  hourStart: number,
  observations: readonly NswObservation[] | string,
  fetchedAt: string,
  options: { revision?: boolean } = {},
): Promise<string> {
  const envelope = buildRawEnvelope({
    hourStart: new Date(hourStart).toISOString(),
    ...capturedResponse(observations, fetchedAt),
  });
  const key = options.revision ? rawRevisionKey(hourStart, fetchedAt, envelope.contentSha256) : rawObjectKey(hourStart);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(envelope) }));
  return key;
}

/**
 * A raw day object as a backfill writes it: NSW's answer for one local date inside the day
 * envelope, at rawDayKey (or its revision key). `envelopeDate` puts another date in the envelope
 * than in the key (a corrupt object).
 */
export async function putRawDay(
  s3: S3Client,
  bucket: string,
  localDate: string,
  observations: readonly NswObservation[] | string,
  fetchedAt: string,
  options: { revision?: boolean; envelopeDate?: string } = {},
): Promise<string> {
  const envelope = buildRawDayEnvelope({
    localDate: options.envelopeDate ?? localDate,
    ...capturedResponse(observations, fetchedAt),
  });
  const key = options.revision ? rawDayRevisionKey(localDate, fetchedAt, envelope.contentSha256) : rawDayKey(localDate);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(envelope) }));
  return key;
}

/** An SQS batch of S3 "Object Created" notifications (one message per key, ids `<prefix>-<i>`), as the processing queue hands them over. */
export function objectCreatedBatch(bucket: string, objectKeys: readonly string[], prefix = 'msg'): SQSEvent {
  return {
    Records: objectKeys.map((key, i) => ({
      messageId: `${prefix}-${i}`,
      receiptHandle: `rh-${prefix}-${i}`,
      body: JSON.stringify(
        buildEventBridgeObjectCreated({ bucket, key, region: local.region, account: '000000000000' }),
      ),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${local.region}:000000000000:opendata-pulse-processing-local`,
      awsRegion: local.region,
    })),
  };
}

export async function putSitesReference(s3: S3Client, bucket: string, sites: readonly NswSite[]): Promise<void> {
  const envelope = buildReferenceEnvelope({
    kind: 'sites',
    source: { url: 'http://127.0.0.1/api/Data/get_SiteDetails', operation: 'get_SiteDetails', label: 'sample' },
    fetchedAt: '2026-01-01T00:00:00.000Z',
    recordCount: sites.length,
    ingestVersion: 'test',
    response: { status: 200, contentType: 'application/json', body: JSON.stringify(sites) },
  });
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: referenceObjectKey('sites'), Body: JSON.stringify(envelope) }),
  );
}

type Doc = ReturnType<typeof createDynamoDocClient>;

export async function queryAll(dynamo: Doc, input: ConstructorParameters<typeof QueryCommand>[0]) {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function partition(dynamo: Doc, table: string, pk: string) {
  return queryAll(dynamo, {
    TableName: table,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'PK' },
    ExpressionAttributeValues: { ':pk': pk },
    ConsistentRead: true,
  });
}

export async function getItem(dynamo: Doc, table: string, key: { PK: string; SK: string }) {
  return (await dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
}

/** JSON with object keys sorted: DynamoDB maps have no order, so equal items print equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Every item of the given stations and regions (Query per partition): their readings, latest,
 * daily summaries, station items and region hours, as canonical JSON lines.
 */
export async function dumpTable(dynamo: Doc, table: string, siteIds: readonly number[], regions: readonly string[]) {
  const lines: string[] = [];
  for (const siteId of [...siteIds].sort((a, b) => a - b)) {
    lines.push(canonicalJson((await getItem(dynamo, table, keys.station(siteId))) ?? null));
    for (const item of await partition(dynamo, table, keys.site(siteId))) lines.push(canonicalJson(item));
  }
  for (const region of [...regions].sort()) {
    for (const item of await partition(dynamo, table, keys.region(region))) lines.push(canonicalJson(item));
  }
  return lines;
}
