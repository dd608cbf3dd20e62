/**
 * The curated bucket: one Parquet file per raw hour at curatedObjectKey(hour). The file carries
 * the fetch time of the raw object it was made from (S3 metadata), and an older raw object never
 * replaces a file made from a newer one.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from '@opendata-pulse/shared/aws';
import { curatedObjectKey } from '@opendata-pulse/shared/keys';
import type { CuratedStore } from '../use-cases/ports';

export const CURATED_METADATA = {
  fetchedAt: 'fetched-at',
  rawKey: 'raw-key',
  rows: 'row-count',
} as const;

export function createCuratedStore(s3: S3Client, bucket: string): CuratedStore {
  return {
    bucket,
    async writeHour({ hourStart, body, fetchedAt, rawKey, rows }) {
      const key = curatedObjectKey(hourStart);
      let stored: string | undefined;
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        stored = head.Metadata?.[CURATED_METADATA.fetchedAt];
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      // A file from a newer fetch stays. (Two writers of one hour at once is a replay race whose
      // loser wrote the same or older data; the table, not this file, is the serving copy.)
      if (stored !== undefined && Date.parse(stored) > Date.parse(fetchedAt)) return { key, outcome: 'older' };
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.byteLength,
          ContentType: 'application/vnd.apache.parquet',
          Metadata: {
            [CURATED_METADATA.fetchedAt]: fetchedAt,
            [CURATED_METADATA.rawKey]: rawKey,
            [CURATED_METADATA.rows]: String(rows),
          },
        }),
      );
      return { key, outcome: 'written' };
    },
  };
}
