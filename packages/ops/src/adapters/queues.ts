/** The processing queue and its DLQ, as operations see them: URLs, a peek at messages, moving messages back. */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { objectRefsFromMessageBody } from '@opendata-pulse/shared/events';
import type { OpsTarget } from '../deployment/deployment';

export interface QueueRefs {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${queueUrl} has no ARN`);
  return arn;
}

/** URLs are in endpoints.json locally; in AWS they come from GetQueueUrl, the ARN from the DLQ's attributes. */
export async function resolveQueues(sqs: SQSClient, target: OpsTarget): Promise<QueueRefs> {
  const queueUrl =
    target.queueUrl ?? (await sqs.send(new GetQueueUrlCommand({ QueueName: target.queueName }))).QueueUrl;
  const dlqUrl = target.dlqUrl ?? (await sqs.send(new GetQueueUrlCommand({ QueueName: target.dlqName }))).QueueUrl;
  if (!queueUrl || !dlqUrl) throw new Error(`queue ${target.queueName} or ${target.dlqName} not found`);
  return {
    queueUrl,
    queueArn: target.queueArn ?? (await arnOf(sqs, queueUrl)),
    dlqUrl,
    dlqArn: target.dlqArn ?? (await arnOf(sqs, dlqUrl)),
  };
}

export interface MessageSummary {
  messageId: string;
  sentAt?: string;
  ageMinutes?: number;
  receiveCount?: number;
  /** the raw objects the message names (S3 events), or the reason it could not be read */
  objects: string[];
  note?: string;
}

export function summariseMessage(message: Message, now: number): MessageSummary {
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  let objects: string[] = [];
  let note: string | undefined;
  try {
    objects = objectRefsFromMessageBody(message.Body ?? '').map((r) => `s3://${r.bucket}/${r.key}`);
  } catch (error) {
    note = `not an S3 event: ${(error as Error).message}`;
  }
  return {
    messageId: message.MessageId ?? '',
    ...(Number.isFinite(sent) ? { sentAt: new Date(sent).toISOString(), ageMinutes: (now - sent) / 60_000 } : {}),
    ...(Number.isFinite(receives) ? { receiveCount: receives } : {}),
    objects,
    ...(note ? { note } : {}),
  };
}

/**
 * Look at up to `limit` messages without consuming them: received with a zero visibility timeout,
 * so they are visible again at once. A peek counts as a receive (harmless on the DLQ, which has no
 * redrive policy of its own), so the receive counts shown include earlier peeks.
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, limit: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  for (let attempt = 0; attempt < 3 && seen.size < limit; attempt++) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, limit),
        VisibilityTimeout: 0,
        // a short long-poll: local SQS answers a zero wait within 40 ms and may miss messages
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        // local-aws-sqs reads only the older parameter; SQS takes both
        AttributeNames: ['All'],
      }),
    );
    const fresh = (page.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    // nothing new: every message there has been seen (each receive counts, so stop early)
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId as string, m);
  }
  return [...seen.values()].slice(0, limit);
}

/** Start SQS's own move of every message from one queue to another (by ARN). */
export async function startMessageMove(sqs: SQSClient, sourceArn: string, destinationArn: string): Promise<void> {
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
}

/** The most recent move task from the queue, if any. */
export async function latestMessageMove(
  sqs: SQSClient,
  sourceArn: string,
): Promise<ListMessageMoveTasksResultEntry | undefined> {
  const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }));
  return Results[0];
}

/** Up to 10 messages with their attributes, hidden for a minute while they are moved. */
export async function receiveToMove(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      // an empty answer ends the move, so wait a moment rather than trust a zero-wait poll
      WaitTimeSeconds: 1,
      VisibilityTimeout: 60,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
}

/** Send the messages' bodies and attributes on; entry ids are the messages' positions. */
export async function sendOn(
  sqs: SQSClient,
  queueUrl: string,
  messages: Message[],
): Promise<SendMessageBatchCommandOutput> {
  return sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body ?? '',
        ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length
          ? { MessageAttributes: m.MessageAttributes }
          : {}),
      })),
    }),
  );
}

export async function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  entries: { id: string; receiptHandle: string }[],
): Promise<void> {
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })),
    }),
  );
}

/** Make received messages visible again at once (they were looked at, not consumed). */
export async function releaseMessages(sqs: SQSClient, queueUrl: string, receiptHandles: string[]): Promise<void> {
  for (const handle of receiptHandles) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
  }
}
