/**
 * Read-only probes of the pipeline outside the table, for `systemHealth`: the newest raw hour in
 * the raw bucket (ListObjectsV2 on the last few UTC day prefixes) and the dead-letter queue's depth.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { hourOfRawKey, rawDayPrefix } from '@opendata-pulse/shared/keys';
import { DAY_MS } from '@opendata-pulse/shared/time';
import type { PipelineProbes, RawHour } from '../use-cases/ports';

export const RAW_LOOKBACK_DAYS = 3;

export function createPipelineProbes(options: {
  s3?: Pick<S3Client, 'send'> | undefined;
  rawBucket?: string | undefined;
  sqs?: Pick<SQSClient, 'send'> | undefined;
  dlqUrl?: string | undefined;
}): PipelineProbes {
  return {
    async newestRawHour(nowMs) {
      const { s3, rawBucket } = options;
      if (!s3 || !rawBucket) return undefined;
      for (let day = 0; day < RAW_LOOKBACK_DAYS; day++) {
        const date = new Date(nowMs - day * DAY_MS).toISOString().slice(0, 10);
        let newest: RawHour | null = null;
        let token: string | undefined;
        do {
          const out = await s3.send(
            new ListObjectsV2Command({ Bucket: rawBucket, Prefix: rawDayPrefix(date), ContinuationToken: token }),
          );
          for (const object of out.Contents ?? []) {
            const hourStart = object.Key ? hourOfRawKey(object.Key) : undefined;
            if (hourStart !== undefined && (!newest || hourStart > newest.hourStart)) {
              newest = { hourStart, ...(object.LastModified ? { writtenAt: object.LastModified.getTime() } : {}) };
            }
          }
          token = out.IsTruncated ? out.NextContinuationToken : undefined;
        } while (token);
        if (newest) return newest;
      }
      return null;
    },

    async dlqDepth() {
      const { sqs, dlqUrl } = options;
      if (!sqs || !dlqUrl) return undefined;
      const out = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
    },
  };
}
