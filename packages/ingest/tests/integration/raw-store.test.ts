/**
 * The raw store adapter against the local S3 server: which stored version is the newest, including
 * revisions whose keys spell the same second (docs/architecture.md, "Raw zone keys").
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rawHourVersionsPrefix, rawObjectKey, rawRevisionKey } from '@opendata-pulse/shared/keys';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createRawStore } from '../../src/adapters/raw-store';
import { freshBucket, testS3 } from './support';

const s3 = testS3();
let bucket: string;
const HOUR = '2026-11-20T13:00:00.000Z';

beforeEach(async () => {
  bucket = await freshBucket(s3);
});
afterAll(() => s3.destroy());

async function seed(key: string, sha: string, fetchedAt: string) {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: '{}',
      Metadata: { 'content-sha256': sha, 'fetched-at': fetchedAt },
    }),
  );
}

describe('raw store: newestVersion', () => {
  it('is undefined when no version of the hour is stored, and ignores the neighbouring hour', async () => {
    await seed(rawObjectKey('2026-11-20T14:00:00Z'), 'a'.repeat(64), '2026-11-20T14:10:00.000Z');
    expect(await createRawStore(s3, bucket).newestVersion(rawHourVersionsPrefix(HOUR))).toBeUndefined();
  });

  it('is the latest fetch, telling same-second revisions apart by their fetched-at metadata', async () => {
    // Prepare: two revisions fetched in the same second; the later one's hash sorts first
    const later = 'a'.repeat(64);
    const earlier = 'f'.repeat(64);
    await seed(rawObjectKey(HOUR), 'c'.repeat(64), '2026-11-20T14:05:00.000Z');
    await seed(rawRevisionKey(HOUR, '2026-11-20T15:05:00.100Z', earlier), earlier, '2026-11-20T15:05:00.100Z');
    await seed(rawRevisionKey(HOUR, '2026-11-20T15:05:00.900Z', later), later, '2026-11-20T15:05:00.900Z');
    // Act
    const newest = await createRawStore(s3, bucket).newestVersion(rawHourVersionsPrefix(HOUR));
    // Assess
    expect(newest).toMatchObject({
      key: rawRevisionKey(HOUR, '2026-11-20T15:05:00.900Z', later),
      contentSha256: later,
      fetchedAt: '2026-11-20T15:05:00.900Z',
    });
  });

  it('is the first snapshot while it has no revision', async () => {
    await seed(rawObjectKey(HOUR), 'c'.repeat(64), '2026-11-20T14:05:00.000Z');
    expect(await createRawStore(s3, bucket).newestVersion(rawHourVersionsPrefix(HOUR))).toMatchObject({
      key: rawObjectKey(HOUR),
      contentSha256: 'c'.repeat(64),
    });
  });
});

describe('raw store: describe', () => {
  it('is undefined for a key not stored, even when a longer key starts with it', async () => {
    const key = 'nsw-air-quality/reference/sites.json';
    await seed(`${key}.bak`, 'b'.repeat(64), '2026-11-20T14:05:00.000Z');
    const store = createRawStore(s3, bucket);
    expect(await store.describe(key)).toBeUndefined();
    await seed(key, 'c'.repeat(64), '2026-11-20T14:06:00.000Z');
    expect(await store.describe(key)).toMatchObject({ contentSha256: 'c'.repeat(64) });
  });
});
