/**
 * The SQS entry: turns a batch's records into object refs for the use case, and its outcomes back
 * into batch item failures. Each record is an S3 "Object Created" notification (EventBridge shape,
 * or the classic S3 shape).
 * The batch's objects are processed together (adjacent hours share their table reads), but each
 * message succeeds or fails on its own objects: a failed message is reported back as a batch item
 * failure, so it alone returns to the queue (and after maxReceiveCount receives, to the DLQ).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { toErrorView } from '@opendata-pulse/shared/errors';
import { type ObjectRef, objectRefsFromMessageBody } from '@opendata-pulse/shared/events';
import { QUEUE_DEFINITIONS } from '@opendata-pulse/shared/infra';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeFailure } from '../use-cases/errors';
import type { EtlDeps } from '../use-cases/ports';
import {
  ETL_METRICS,
  type FailedObjectOutcome,
  type ObjectOutcome,
  processRawObjects,
} from '../use-cases/process-raw-objects.use-case';

export const MAX_RECEIVE_COUNT = QUEUE_DEFINITIONS.processing.maxReceiveCount;

export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown })?.Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((r) => (r as { eventSource?: unknown })?.eventSource === 'aws:sqs')
  );
}

const refKey = (ref: ObjectRef) => `${ref.bucket}/${ref.key}`;

export async function processQueueBatch(
  event: SQSEvent,
  deps: EtlDeps,
  options: { context?: Context } = {},
): Promise<SQSBatchResponse> {
  const { logger, metrics } = deps;

  // Each message's objects (or why its body could not be read), then all objects at once.
  const refsByMessage = new Map<string, ObjectRef[] | { error: unknown }>();
  for (const record of event.Records) {
    try {
      refsByMessage.set(record.messageId, objectRefsFromMessageBody(record.body));
    } catch (error) {
      refsByMessage.set(record.messageId, { error });
    }
  }
  const allRefs = [...refsByMessage.values()].flatMap((r) => (Array.isArray(r) ? r : []));
  const { outcomes } = await processRawObjects(allRefs, deps);
  const outcomeOf = new Map<string, ObjectOutcome | FailedObjectOutcome>(outcomes.map((o) => [refKey(o), o]));

  const recordHandler = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const refs = refsByMessage.get(record.messageId) ?? [];
    const failure = Array.isArray(refs)
      ? refs.map((r) => outcomeOf.get(refKey(r))).find((o): o is FailedObjectOutcome => o?.status === 'failed')
      : { status: 'failed' as const, bucket: '', key: '', error: refs.error };
    if (!failure) return;
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
        keys: Array.isArray(refs) ? refs.map((r) => r.key) : [],
        reason: describeFailure(failure.error),
        errorType: toErrorView(failure.error).errorType,
        error: failure.error as Error,
      },
    );
    throw failure.error;
  };

  // Every failed message is listed, even when all failed: the caller (Lambda's poller, or the
  // local stack) always gets an answer in the same shape.
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    ...(options.context ? { context: options.context } : {}),
    throwOnFullBatchFailure: false,
  });
}
