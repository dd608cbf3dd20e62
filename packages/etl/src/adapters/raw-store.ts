/**
 * The raw bucket as the ETL sees it: raw hour objects and the sites reference, read as text.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bodyToString, isNotFound } from '@opendata-pulse/shared/aws';
import { NotFoundError } from '@opendata-pulse/shared/errors';
import { referenceObjectKey } from '@opendata-pulse/shared/keys';
import type { RawStore } from '../use-cases/ports';

export function createRawStore(s3: S3Client, rawBucket: string): RawStore {
  async function read(bucket: string, key: string): Promise<string | undefined> {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await bodyToString(got.Body);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  return {
    async getText(bucket, key) {
      const text = await read(bucket, key);
      if (text === undefined) throw new NotFoundError(`raw object s3://${bucket}/${key} does not exist`);
      return text;
    },
    getSitesReference: () => read(rawBucket, referenceObjectKey('sites')),
  };
}
