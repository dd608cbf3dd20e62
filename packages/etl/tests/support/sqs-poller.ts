/**
 * A tiny stand-in for Lambda's SQS poller: receive a batch, hand it to the handler as a real
 * SQSEvent, delete what succeeded. A failed message is left alone so its visibility lapses and it
 * comes back (local-aws-sqs counts ChangeMessageVisibility as a receive, unlike AWS).
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type ReceiveMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, local } from './local-aws';

export type EtlInvoke = (event: unknown, context: Context) => Promise<unknown>;

export interface PollResult {
  received: string[];
  failed: string[];
  /** the handler threw: the whole batch stays on the queue */
  error?: unknown;
}

export async function pollOnce(
  sqs: SQSClient,
  queueUrl: string,
  handler: EtlInvoke,
  options: { visibilityTimeout?: number; waitTimeSeconds?: number } = {},
): Promise<PollResult> {
  // Long polling is emulated with short receives: local-aws-sqs keeps collecting during a long
  // poll, so a message whose visibility lapses within the wait comes back twice in one answer.
  const deadline = Date.now() + (options.waitTimeSeconds ?? 1) * 1000;
  let got: ReceiveMessageCommandOutput;
  for (;;) {
    got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: options.visibilityTimeout ?? 30,
        AttributeNames: ['All'],
      }),
    );
    if ((got.Messages ?? []).length > 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const messages = got.Messages ?? [];
  if (messages.length === 0) return { received: [], failed: [] };
  const event: SQSEvent = {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${local.region}:000000000000:${queueUrl.split('/').pop()}`,
      awsRegion: local.region,
    })),
  };
  const received = event.Records.map((r) => r.messageId);
  let response: SQSBatchResponse;
  try {
    response = (await handler(event, lambdaContext())) as SQSBatchResponse;
  } catch (error) {
    return { received, failed: received, error };
  }
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return { received, failed: [...failed] };
}
