/**
 * The S3 client factory and S3 helpers, in their own module so a function that uses only S3 (the
 * ingest) does not bundle, and load at every cold start, the other clients `./index` builds.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type ClientOptions, clientConfig } from './client-options';

export function createS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    ...clientConfig(options),
    ...(options.endpoint
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
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
