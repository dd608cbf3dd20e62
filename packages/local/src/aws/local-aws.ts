/**
 * Local AWS: dynalite (DynamoDB), s3rver (S3) and local-aws-sqs (SQS) on 127.0.0.1, with the
 * project's table, buckets and queues created from the same definitions serverless.yml uses.
 * Tooling for tests and the local stack only: no Lambda bundle imports this module.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  createDynamoDocClient,
  createS3Client,
  createSqsClient,
  LOCAL_ACCOUNT_ID,
  LOCAL_CREDENTIALS,
} from '@opendata-pulse/shared/aws';
import { DEFAULT_REGION } from '@opendata-pulse/shared/config';
import { BASE_NAMES, QUEUE_DEFINITIONS, TABLE_DEFINITION } from '@opendata-pulse/shared/infra';

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  sqs: string;
}

export interface LocalResourceNames {
  rawBucket: string;
  curatedBucket: string;
  table: string;
  queueUrl: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface StartLocalAwsOptions {
  /** keep data on disk here (the local stack); omitted = in memory / a temp dir (tests) */
  dataDir?: string;
  host?: string;
  ports?: Partial<Record<keyof LocalEndpoints, number>>;
  region?: string;
}

/** S3 notification record as s3rver emits it (classic S3 event shape). */
export interface S3NotificationEvent {
  Records: Array<{
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
  }>;
}

export class LocalAws extends EventEmitter<{ 's3-event': [S3NotificationEvent] }> {
  constructor(
    readonly endpoints: LocalEndpoints,
    readonly region: string,
    private readonly child: ChildProcess,
  ) {
    super();
    child.on('message', (m: { type?: string; event?: S3NotificationEvent }) => {
      if (m?.type === 's3-event' && m.event) this.emit('s3-event', m.event);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Environment that points the AWS SDK (and so any handler) at these servers. */
  env(): Record<string, string> {
    return {
      AWS_REGION: this.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_S3: this.endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: this.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: this.endpoints.sqs,
    };
  }

  clients() {
    const common = { region: this.region, credentials: LOCAL_CREDENTIALS };
    return {
      s3: createS3Client({ ...common, endpoint: this.endpoints.s3 }),
      dynamo: createDynamoDocClient({ ...common, endpoint: this.endpoints.dynamodb }),
      sqs: createSqsClient({ ...common, endpoint: this.endpoints.sqs }),
    };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Start the three servers in a child process; resolves when all listen. */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? DEFAULT_REGION;
  const script = fileURLToPath(new URL('./servers-process.mjs', import.meta.url));
  const childOptions = {
    host: options.host ?? '127.0.0.1',
    ports: options.ports ?? {},
    region,
    dataDir: options.dataDir,
    s3Dir: options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'pulse-s3-')),
  };
  const child = fork(script, [JSON.stringify(childOptions)], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const endpoints = await new Promise<LocalEndpoints>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local AWS servers exited with code ${code} before starting`)));
    child.on(
      'message',
      (m: { type?: string; endpoints?: LocalEndpoints; message?: string; code?: string; port?: number }) => {
        if (m?.type === 'ready' && m.endpoints) resolve(m.endpoints);
        if (m?.type === 'error') {
          reject(
            new Error(
              m.code === 'EADDRINUSE'
                ? `port ${m.port} on ${childOptions.host} is already in use; choose another or stop what holds it`
                : `local AWS servers failed to start: ${m.message}`,
            ),
          );
        }
      },
    );
  });
  child.removeAllListeners('exit');
  return new LocalAws(endpoints, region, child);
}

/** Names the local stack and tests use (stage `local`, fixed fake account). */
export function localResourceNames(stage = 'local'): Omit<LocalResourceNames, 'queueUrl' | 'dlqUrl' | 'dlqArn'> & {
  processingQueue: string;
  dlq: string;
} {
  const suffix = stage === 'prod' ? '' : `-${stage}`;
  return {
    rawBucket: `${BASE_NAMES.rawBucket}-${LOCAL_ACCOUNT_ID}${suffix}`,
    curatedBucket: `${BASE_NAMES.curatedBucket}-${LOCAL_ACCOUNT_ID}${suffix}`,
    table: `${BASE_NAMES.table}${suffix}`,
    processingQueue: `${BASE_NAMES.processingQueue}${suffix}`,
    dlq: `${BASE_NAMES.dlq}${suffix}`,
  };
}

/**
 * Create (if missing) the project's table, both buckets, the processing queue and its DLQ with
 * the redrive policy, from the shared definitions. Safe to call on every start.
 */
export async function ensureResources(local: LocalAws, stage = 'local'): Promise<LocalResourceNames> {
  const names = localResourceNames(stage);
  const { s3, dynamo, sqs } = local.clients();
  await ensureTable(dynamo as unknown as DynamoDBClient, names.table);
  for (const bucket of [names.rawBucket, names.curatedBucket]) {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  }
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.dlq,
      Attributes: { MessageRetentionPeriod: String(QUEUE_DEFINITIONS.dlq.messageRetentionSeconds) },
    }),
  );
  const dlqAttrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const dlqArn = dlqAttrs.Attributes?.QueueArn ?? '';
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.processingQueue,
      Attributes: {
        VisibilityTimeout: String(QUEUE_DEFINITIONS.processing.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(QUEUE_DEFINITIONS.processing.messageRetentionSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: QUEUE_DEFINITIONS.processing.maxReceiveCount,
        }),
      },
    }),
  );
  s3.destroy();
  dynamo.destroy();
  sqs.destroy();
  return {
    rawBucket: names.rawBucket,
    curatedBucket: names.curatedBucket,
    table: names.table,
    queueUrl: queue.QueueUrl ?? '',
    dlqUrl: dlq.QueueUrl ?? '',
    dlqArn,
  };
}

async function ensureTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: table,
      ...(TABLE_DEFINITION as Omit<typeof TABLE_DEFINITION, 'BillingMode'>),
      BillingMode: 'PAY_PER_REQUEST',
    } as ConstructorParameters<typeof CreateTableCommand>[0]),
  );
}
