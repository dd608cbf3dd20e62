/**
 * AWS client factories. With an endpoint override (local emulators) they apply the emulators'
 * needs: path-style S3 and checksums only when required (s3rver rejects the SDK's defaults).
 * Without one, they are the SDK's defaults.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '../config';

export interface ClientOptions {
  region: string;
  endpoint?: string | undefined;
  /** attempts the SDK makes for throttles and transient faults (SDK default 3) */
  maxAttempts?: number;
  /** explicit credentials (local emulators); otherwise the SDK's default chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

function base(options: ClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

export function createS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    ...base(options),
    ...(options.endpoint
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
}

export function createDynamoDocClient(options: ClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(base(options)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient(base(options));
}

export function createLambdaClient(options: ClientOptions): LambdaClient {
  return new LambdaClient(base(options));
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

/** Read a whole S3 body (stream) as text. */
export async function bodyToString(body: unknown): Promise<string> {
  if (body && typeof body === 'object' && 'transformToString' in body) {
    return (body as { transformToString: (enc?: string) => Promise<string> }).transformToString('utf-8');
  }
  throw new TypeError('S3 object has no readable body');
}

/** S3's "no such object": GetObject says NoSuchKey, HeadObject only NotFound / 404. */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The local stack's stand-ins for an account: s3rver accepts only this access key, and the other
 * emulators accept any, so every local client uses it; the account id fills ARNs and bucket names.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_ACCOUNT_ID = '000000000000';
