/**
 * An SQS batch of S3 "Object Created" notifications (EventBridge shape, or the classic S3 shape):
 * each message is processed on its own; a message that fails is reported back as a batch item
 * failure, so it alone returns to the queue (and after maxReceiveCount receives, to the DLQ).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { toErrorView } from '@opendata-pulse/shared/errors';
import { objectRefsFromMessageBody } from '@opendata-pulse/shared/events';
import { QUEUE_DEFINITIONS } from '@opendata-pulse/shared/infra';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeFailure } from './errors';
import type { EtlDeps } from './etl-deps';
import { ETL_METRICS, loadStationDirectory, processRawObject } from './process-raw-object.use-case';

export const MAX_RECEIVE_COUNT = QUEUE_DEFINITIONS.processing.maxReceiveCount;

export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown })?.Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((r) => (r as { eventSource?: unknown })?.eventSource === 'aws:sqs')
  );
}

export async function processQueueBatch(
  event: SQSEvent,
  deps: EtlDeps,
  options: { context?: Context } = {},
): Promise<SQSBatchResponse> {
  const { logger, metrics } = deps;
  // One sites reference per batch; its absence never fails a message.
  let stations: ReturnType<typeof loadStationDirectory> | undefined;
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    let keys: string[] = [];
    try {
      const refs = objectRefsFromMessageBody(record.body);
      keys = refs.map((r) => r.key);
      for (const ref of refs) {
        stations ??= loadStationDirectory(deps);
        await processRawObject(ref, deps, { stations });
      }
    } catch (error) {
      metrics.addMetric(ETL_METRICS.objectsFailed, MetricUnit.Count, 1);
      const deadLetter = receiveCount >= MAX_RECEIVE_COUNT;
      logger.error(
        deadLetter
          ? 'raw object failed for the last time; the queue moves its message to the DLQ'
          : 'raw object failed; its message returns to the queue',
        {
          messageId: record.messageId,
          receiveCount,
          maxReceiveCount: MAX_RECEIVE_COUNT,
          keys,
          reason: describeFailure(error),
          errorType: toErrorView(error).errorType,
          error: error as Error,
        },
      );
      throw error;
    }
  };

  // Every failed message is listed, even when all failed: the caller (Lambda's poller, or the
  // local stack) always gets an answer in the same shape.
  return processPartialResponse(event, recordHandler, processor, {
    ...(options.context ? { context: options.context } : {}),
    throwOnFullBatchFailure: false,
  });
}
