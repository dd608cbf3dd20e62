/**
 * The raw bucket as the ingest sees it: raw hour and day objects and reference objects, each with
 * the content hash in its S3 metadata so a re-run can tell "same data" without downloading it.
 * Existence is learnt from listings (ListObjectsV2 under the raw or reference prefix, the only
 * prefixes the function may list); objects are HEADed only once listed.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bodyToString } from '@opendata-pulse/shared/aws/s3';
import { UpstreamError } from '@opendata-pulse/shared/errors';
import { parseRawKey, RAW_PREFIX } from '@opendata-pulse/shared/keys';
import { RAW_OBJECT_METADATA as METADATA } from '@opendata-pulse/shared/raw';
import type { RawStore, StoredObjectInfo, StoredVersion } from '../use-cases/ports';

/** A version's fetch time for ordering; one without `fetched-at` metadata counts as oldest. */
const fetchedMs = (v: StoredObjectInfo) => Date.parse(v.fetchedAt ?? '') || 0;

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

  async function list(prefix: string, maxKeys?: number): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: maxKeys }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = maxKeys === undefined && page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** Metadata of a key known to exist. */
  async function head(key: string): Promise<StoredObjectInfo> {
    const got = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    let contentSha256 = got.Metadata?.[METADATA.contentSha256];
    if (!contentSha256) {
      // Written by something else (a manual copy, an older version): the envelope has the hash.
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      try {
        const parsed = JSON.parse(await bodyToString(body.Body)) as { contentSha256?: unknown };
        contentSha256 = typeof parsed.contentSha256 === 'string' ? parsed.contentSha256 : undefined;
      } catch {
        contentSha256 = undefined; // unreadable: treat as different, so a good object is stored beside it
      }
    }
    const firstHour = got.Metadata?.[METADATA.firstHour];
    const lastHour = got.Metadata?.[METADATA.lastHour];
    return {
      contentSha256,
      fetchedAt: got.Metadata?.[METADATA.fetchedAt],
      lastModified: got.LastModified,
      ...(firstHour && lastHour ? { firstHour, lastHour } : {}),
    };
  }

  return {
    bucket,
    async checkBucket() {
      try {
        // A listing, not HeadBucket: HeadBucket needs ListBucket without a prefix condition.
        await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: RAW_PREFIX, MaxKeys: 1 }));
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
      // The key itself sorts first among the keys it prefixes.
      const [first] = await list(key, 1);
      return first === key ? head(key) : undefined;
    },
    async newestVersion(prefix) {
      const keys = await list(prefix);
      const last = keys.at(-1);
      if (last === undefined) return undefined;
      const fetched = parseRawKey(last)?.revision?.fetched;
      // Keys spell the fetch time to the second; same-second revisions sort by hash, not by time.
      const tied = fetched ? keys.filter((k) => parseRawKey(k)?.revision?.fetched === fetched) : [last];
      let newest: StoredVersion | undefined;
      for (const key of tied) {
        const info: StoredVersion = { key, ...(await head(key)) };
        if (!newest || fetchedMs(info) > fetchedMs(newest)) newest = info;
      }
      return newest;
    },
    async read(key) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return bodyToString(got.Body);
    },
    putRaw: (key, object) =>
      put(key, JSON.stringify(object.envelope), {
        [METADATA.contentSha256]: object.envelope.contentSha256,
        [METADATA.recordCount]: String(object.envelope.recordCount),
        [METADATA.fetchedAt]: object.envelope.fetchedAt,
        ...(object.kind === 'hour'
          ? { [METADATA.hourStart]: object.envelope.hourStart }
          : {
              [METADATA.localDate]: object.envelope.localDate,
              [METADATA.firstHour]: object.firstHour,
              [METADATA.lastHour]: object.lastHour,
            }),
      }),
    putReference: (key, envelope) =>
      put(key, JSON.stringify(envelope), {
        [METADATA.contentSha256]: envelope.contentSha256,
        [METADATA.recordCount]: String(envelope.recordCount),
        [METADATA.fetchedAt]: envelope.fetchedAt,
      }),
  };
}
