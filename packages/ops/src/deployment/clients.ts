/**
 * The AWS clients a command may need, created on first use and pointed at the target: the SDK's
 * default chain against AWS, the local stack's endpoints (and the emulators' credentials) locally
 * (SNS: the stack's stand-in, which appends each message to `<data dir>/sns/<topic>.jsonl`).
 * Services with no local emulator refuse with a clear message instead of reaching AWS by accident.
 */
import { AppSyncClient } from '@aws-sdk/client-appsync';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocClient, createLambdaClient, createS3Client, createSqsClient } from '@opendata-pulse/shared/aws';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { OpsTarget } from './deployment';
import { notAvailableLocally } from './not-available-locally';

export { NotAvailableLocallyError, notAvailableLocally } from './not-available-locally';

export interface OpsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** the plain client, for control-plane calls (DescribeTable, backups) */
  dynamoControl: DynamoDBClient;
  sqs: SQSClient;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  sns: SNSClient;
  appsync: AppSyncClient;
  cognito: CognitoIdentityProviderClient;
  cloudformation: CloudFormationClient;
  eventbridge: EventBridgeClient;
}

/** s3rver accepts only this pair; the other emulators accept anything. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const AWS_ONLY: Record<string, string> = {
  cloudwatch: 'CloudWatch metrics',
  logs: 'CloudWatch Logs',
  appsync: 'the AppSync control plane',
  cognito: 'Cognito',
  cloudformation: 'CloudFormation',
  eventbridge: 'EventBridge rules',
};

const created = new WeakMap<OpsClients, unknown[]>();

/** Lazily-built clients for a target; `overrides` replace any of them (tests inject mocked clients here). */
export function clientsForTarget(target: OpsTarget, overrides: Partial<OpsClients> = {}): OpsClients {
  const cache = new Map<keyof OpsClients, unknown>(Object.entries(overrides) as [keyof OpsClients, unknown][]);
  const local = target.mode === 'local' ? target.endpoints : undefined;
  const common = { region: target.region, ...(local ? { credentials: LOCAL_CREDENTIALS } : {}) };
  const factories: { [K in keyof OpsClients]: () => OpsClients[K] } = {
    s3: () => createS3Client({ ...common, endpoint: local?.s3 }),
    dynamo: () => createDynamoDocClient({ ...common, endpoint: local?.dynamodb }),
    dynamoControl: () => new DynamoDBClient({ ...common, ...(local ? { endpoint: local.dynamodb } : {}) }),
    sqs: () => createSqsClient({ ...common, endpoint: local?.sqs }),
    lambda: () => createLambdaClient({ ...common, endpoint: local?.lambda }),
    cloudwatch: () => new CloudWatchClient(common),
    logs: () => new CloudWatchLogsClient(common),
    sns: () => {
      if (local && !local.sns) {
        throw new BadRequestError(
          'the running local stack names no SNS endpoint in endpoints.json (it started before the SNS stand-in existed): restart it with `pnpm start`',
        );
      }
      return new SNSClient({ ...common, ...(local?.sns ? { endpoint: local.sns } : {}) });
    },
    appsync: () => new AppSyncClient(common),
    cognito: () => new CognitoIdentityProviderClient(common),
    cloudformation: () => new CloudFormationClient(common),
    eventbridge: () => new EventBridgeClient(common),
  };
  const clients = {} as OpsClients;
  const made: unknown[] = [];
  created.set(clients, made);
  for (const name of Object.keys(factories) as (keyof OpsClients)[]) {
    Object.defineProperty(clients, name, {
      enumerable: true,
      get() {
        if (!cache.has(name)) {
          const awsOnly = AWS_ONLY[name];
          if (local && awsOnly) throw notAvailableLocally(awsOnly);
          const client = factories[name]();
          made.push(client);
          cache.set(name, client);
        }
        return cache.get(name);
      },
    });
  }
  return clients;
}

/** Close every client that was created (lets the process exit promptly). */
export function destroyClients(clients: OpsClients): void {
  for (const client of created.get(clients) ?? []) (client as { destroy?: () => void }).destroy?.();
}
