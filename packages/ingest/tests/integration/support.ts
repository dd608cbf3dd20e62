/**
 * Integration helpers: a bucket of its own per test (the local S3 server is shared by every test
 * file of the project), the environment a handler reads, and a clock whose sleeps return at once
 * and are recorded, so a whole backoff schedule runs in milliseconds and can be asserted.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
// The global setup declares what `inject('localAws')` returns.
import type {} from '@opendata-pulse/local/vitest-setup';
import { bodyToString, createS3Client } from '@opendata-pulse/shared/aws';
import { inject } from 'vitest';
import type { Clock } from '../../src/use-cases/ports';

export const local = inject('localAws');

export function testS3(): S3Client {
  return createS3Client({ region: local.region, endpoint: local.endpoints.s3 });
}

export async function freshBucket(s3: S3Client): Promise<string> {
  const bucket = `ingest-it-${randomUUID().slice(0, 12)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function listKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

export async function readJson<T = Record<string, unknown>>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await bodyToString(got.Body)) as T;
}

/** The environment a deployed function would have, pointed at the local servers. */
export function ingestEnv(bucket: string, nswEndpoint: string, extra: Record<string, string> = {}) {
  return {
    AWS_REGION: local.region,
    AWS_ENDPOINT_URL_S3: local.endpoints.s3,
    LOG_LEVEL: 'SILENT',
    S3_BUCKET: bucket,
    NSW_API_ENDPOINT: nswEndpoint,
    NSW_SOURCE_TIMEZONE: 'Australia/Sydney',
    NSW_SOURCE_LABEL: 'sample',
    NSW_TIMEOUT_MS: '400',
    NSW_MAX_ATTEMPTS: '3',
    NSW_BACKOFF_BASE_MS: '50',
    // Off unless a test is about it: it adds requests and objects every other test would count.
    INGEST_CATCH_UP_HOURS: '0',
    ...extra,
  };
}

export interface RecordingClock extends Clock {
  delays: number[];
}

/** Real time for timestamps and timeouts; sleeps are recorded and skipped. */
export function recordingClock(offsetMs = 0): RecordingClock {
  const delays: number[] = [];
  return { delays, now: () => Date.now() + offsetMs, sleep: async (ms) => void delays.push(ms) };
}

/** 14:05Z on 20 Nov 2026: the fake NSW's snapshot then holds Date 2026-11-21 Hour 1 = 13:00Z. */
export const SNAPSHOT_NOW = Date.UTC(2026, 10, 20, 14, 5);
export const SNAPSHOT_HOUR = '2026-11-20T13:00:00.000Z';
export const SNAPSHOT_KEY = 'nsw-air-quality/raw/2026/11/20/13.json';
