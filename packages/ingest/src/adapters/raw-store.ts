/**
 * The raw bucket as the ingest sees it: raw hour objects and reference objects, each with the
 * content hash in its S3 metadata so a re-run can tell "same data" without downloading it.
 */
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bodyToString, isNotFound } from '@opendata-pulse/shared/aws';
import { UpstreamError } from '@opendata-pulse/shared/errors';
import type { RawStore } from '../use-cases/ports';

/** S3 user metadata keys (sent as x-amz-meta-*). */
export const METADATA = {
  contentSha256: 'content-sha256',
  recordCount: 'record-count',
  hourStart: 'hour-start',
  fetchedAt: 'fetched-at',
} as const;

export function createRawStore(s3: S3Client, bucket: string): RawStore {
  async function put(key: string, text: string, metadata: Record<string, string>) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: text,
        ContentType: 'application/json; charset=utf-8',
        Metadata: metadata,
      }),
    );
  }

  return {
    bucket,
    async checkBucket() {
      try {
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode;
        throw new UpstreamError(
          `Raw bucket "${bucket}" cannot be reached: ${status === 404 ? 'it does not exist' : `${e.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}`}`,
          { cause: error, ...(status ? { status } : {}) },
        );
      }
    },
    async describe(key) {
      let head: HeadObjectCommandOutput;
      try {
        head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      let contentSha256 = head.Metadata?.[METADATA.contentSha256];
      if (!contentSha256) {
        // Written by something else (a manual copy, an older version): the envelope has the hash.
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        try {
          const parsed = JSON.parse(await bodyToString(got.Body)) as { contentSha256?: unknown };
          contentSha256 = typeof parsed.contentSha256 === 'string' ? parsed.contentSha256 : undefined;
        } catch {
          contentSha256 = undefined; // unreadable: treat as different, so a good object replaces it
        }
      }
      return { contentSha256, fetchedAt: head.Metadata?.[METADATA.fetchedAt], lastModified: head.LastModified };
    },
    putRaw: (key, envelope) =>
      put(key, JSON.stringify(envelope), {
        [METADATA.contentSha256]: envelope.contentSha256,
        [METADATA.recordCount]: String(envelope.recordCount),
        [METADATA.hourStart]: envelope.hourStart,
        [METADATA.fetchedAt]: envelope.fetchedAt,
      }),
    putReference: (key, envelope) =>
      put(key, JSON.stringify(envelope), {
        [METADATA.contentSha256]: envelope.contentSha256,
        [METADATA.recordCount]: String(envelope.recordCount),
        [METADATA.fetchedAt]: envelope.fetchedAt,
      }),
  };
}
