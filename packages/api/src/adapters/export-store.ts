/**
 * The ExportStore port on S3: exports go under the curated bucket's `exports/` prefix (the only
 * place the function may write or read there) and are handed out as pre-signed GET URLs. On the
 * local stack the client's endpoint is s3rver's, so the URL points at it and works there too.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportStore } from '../use-cases/ports';

export function createExportStore(options: { s3: S3Client; bucket: string }): ExportStore {
  const { s3, bucket } = options;
  return {
    async put(key, body, meta) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: meta.contentType,
          ContentDisposition: `attachment; filename="${meta.fileName}"`,
        }),
      );
    },
    downloadUrl(key, expiresInSeconds) {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
    },
  };
}
