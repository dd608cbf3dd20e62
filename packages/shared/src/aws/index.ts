/**
 * AWS client factories. With an endpoint override (local emulators) they apply the emulators'
 * needs: path-style S3 and checksums only when required (s3rver rejects the SDK's defaults).
 * Without one, they are the SDK's defaults.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '../config';
import { type ClientOptions, clientConfig } from './client-options';
import { createS3Client } from './s3';

export type { ClientOptions } from './client-options';
export { bodyToString, createS3Client, isNotFound } from './s3';

export function createDynamoDocClient(options: ClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(options)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient(clientConfig(options));
}

export function createLambdaClient(options: ClientOptions): LambdaClient {
  return new LambdaClient(clientConfig(options));
}

/** All four clients from one settings object (what handlers build at cold start). */
export function clientsFor(settings: AwsSettings) {
  const { region, endpoints } = settings;
  return {
    s3: () => createS3Client({ region, endpoint: endpoints.s3 }),
    dynamo: () => createDynamoDocClient({ region, endpoint: endpoints.dynamodb }),
    sqs: () => createSqsClient({ region, endpoint: endpoints.sqs }),
    lambda: () => createLambdaClient({ region, endpoint: endpoints.lambda }),
  };
}

/**
 * The local stack's stand-ins for an account: s3rver accepts only this access key, and the other
 * emulators accept any, so every local client uses it; the account id fills ARNs and bucket names.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_ACCOUNT_ID = '000000000000';
