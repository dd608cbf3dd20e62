/**
 * Read-only probes of the pipeline outside the table, for `systemHealth` (the use cases'
 * PipelineProbes port). Both go through shared `/pipeline`, so "newest raw hour" and "DLQ depth"
 * mean here what they mean to the health check and the ops CLI.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { newestRawHour, queueDepth } from '@opendata-pulse/shared/pipeline';
import type { PipelineProbes } from '../use-cases/ports';

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
      return (await newestRawHour(s3, rawBucket, nowMs)) ?? null;
    },

    async dlqDepth() {
      const { sqs, dlqUrl } = options;
      if (!sqs || !dlqUrl) return undefined;
      // In-flight and delayed messages count too: a peek at the DLQ must not make it look empty.
      return (await queueDepth(sqs, dlqUrl)).total;
    },
  };
}
