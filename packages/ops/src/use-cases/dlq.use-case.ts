/**
 * The dead-letter queue: what is in it, and sending it back to the processing queue once the
 * cause is fixed. Redrive uses SQS's own message move task (StartMessageMoveTask), which the
 * local SQS implements too; where a server lacks it, the same move is done by hand (receive,
 * send to the processing queue, delete), never losing a message: delete only after the send.
 */
import {
  DeleteMessageBatchCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import { type MessageSummary, peekMessages, type QueueRefs, summariseMessage } from '../adapters/queues';

export interface DlqView {
  dlqUrl: string;
  depth: number;
  inFlight: number;
  /** age of the oldest message among those looked at */
  oldestAgeMinutes: number | null;
  messages: MessageSummary[];
}

export async function showDlq(sqs: SQSClient, queues: QueueRefs, limit: number, now: number): Promise<DlqView> {
  const depth = await queueDepth(sqs, queues.dlqUrl);
  const messages =
    depth.visible > 0 ? (await peekMessages(sqs, queues.dlqUrl, limit)).map((m) => summariseMessage(m, now)) : [];
  const ages = messages.map((m) => m.ageMinutes).filter((a): a is number => a !== undefined);
  return {
    dlqUrl: queues.dlqUrl,
    depth: depth.visible,
    inFlight: depth.inFlight,
    oldestAgeMinutes: ages.length ? Math.max(...ages) : null,
    messages,
  };
}

export interface RedriveResult {
  method: 'message-move-task' | 'receive-send-delete';
  status: string;
  moved: number;
  toMove: number;
  failureReason?: string;
}

export interface RedriveOptions {
  onProgress?: (moved: number, toMove: number) => void;
  pollMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function unsupported(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  return /UnsupportedOperation|UnknownOperation|InvalidAction/.test(name);
}

/** Start SQS's move task from the DLQ to the processing queue and follow it to the end. */
export async function redriveDlq(
  sqs: SQSClient,
  queues: QueueRefs,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  const sleep = options.sleep ?? defaultSleep;
  try {
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queues.dlqArn, DestinationArn: queues.queueArn }));
  } catch (error) {
    if (!unsupported(error)) throw error;
    return moveByHand(sqs, queues, options);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: queues.dlqArn, MaxResults: 1 }),
    );
    const task = Results[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    const toMove = task?.ApproximateNumberOfMessagesToMove ?? 0;
    options.onProgress?.(moved, toMove);
    const status = task?.Status ?? 'UNKNOWN';
    if (status !== 'RUNNING' && status !== 'CANCELLING') {
      return {
        method: 'message-move-task',
        status,
        moved,
        toMove,
        ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
    }
    if (Date.now() > deadline) {
      return {
        method: 'message-move-task',
        status: 'RUNNING',
        moved,
        toMove,
        failureReason: 'still running; check again',
      };
    }
    await sleep(options.pollMs ?? 1000);
  }
}

/** The move without a move task: receive a batch, send it on, delete what was sent; until empty. */
export async function moveByHand(
  sqs: SQSClient,
  queues: QueueRefs,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  // queue depth is approximate (and lags just after sends): never report fewer to move than moved
  let toMove = (await queueDepth(sqs, queues.dlqUrl)).visible;
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.dlqUrl,
        MaxNumberOfMessages: 10,
        // an empty answer ends the move, so wait a moment rather than trust a zero-wait poll
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.queueUrl,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length
            ? { MessageAttributes: m.MessageAttributes }
            : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.map((m, i) => ({ m, id: String(i) })).filter(({ id }) => ok.has(id));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues.dlqUrl,
          Entries: done.map(({ m, id }) => ({ Id: id, ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    toMove = Math.max(toMove, moved);
    options.onProgress?.(moved, toMove);
    if (sent.Failed?.length) {
      return {
        method: 'receive-send-delete',
        status: 'FAILED',
        moved,
        toMove,
        failureReason: sent.Failed.map((f) => f.Message ?? f.Code).join('; '),
      };
    }
  }
  return { method: 'receive-send-delete', status: 'COMPLETED', moved, toMove };
}
