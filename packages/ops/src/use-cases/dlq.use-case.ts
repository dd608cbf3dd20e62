/**
 * The dead-letter queue: what is in it, and sending it back to the processing queue once the
 * cause is fixed. Redrive uses SQS's own message move task (StartMessageMoveTask), which the
 * local SQS implements too; where a server lacks it, the same move is done by hand (receive,
 * send to the processing queue, delete), never losing a message: delete only after the send.
 *
 * Dropping: a raw object that can never be processed (corrupted after it was stored) stays in the
 * raw zone (nothing is deleted there); once its hours were fetched again (`pulse backfill`, whose
 * newer fetch wins), the DLQ messages naming it are the only thing left to clear, and only those
 * are deleted.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import {
  deleteMessages,
  latestMessageMove,
  type MessageSummary,
  peekMessages,
  type QueueRefs,
  receiveToMove,
  releaseMessages,
  resolveQueues,
  sendOn,
  startMessageMove,
  summariseMessage,
} from '../adapters/queues';
import type { OpsTarget } from '../deployment/deployment';
import type { Confirm, StartProgress } from './ports';

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
    await startMessageMove(sqs, queues.dlqArn, queues.queueArn);
  } catch (error) {
    if (!unsupported(error)) throw error;
    return moveByHand(sqs, queues, options);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const task = await latestMessageMove(sqs, queues.dlqArn);
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
    const messages = await receiveToMove(sqs, queues.dlqUrl);
    if (messages.length === 0) break;
    const sent = await sendOn(sqs, queues.queueUrl, messages);
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = messages
      .map((m, i) => ({ id: String(i), receiptHandle: m.ReceiptHandle ?? '' }))
      .filter(({ id }) => ok.has(id));
    if (done.length) await deleteMessages(sqs, queues.dlqUrl, done);
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

/** `pulse dlq show`: the DLQ of the target, with up to `limit` messages summarised. */
export async function inspectDlq(
  sqs: SQSClient,
  target: OpsTarget,
  input: { limit: number; now: number },
): Promise<DlqView> {
  const queues = await resolveQueues(sqs, target);
  return showDlq(sqs, queues, input.limit, input.now);
}

export interface RedriveDlqOptions {
  /** asked with the number of messages waiting, before anything moves */
  confirm: Confirm<{ depth: number }>;
  progress?: StartProgress;
  pollMs?: number;
  now: number;
}

/** `pulse dlq redrive`: undefined on an empty DLQ (nothing to move); otherwise ask, then move every message back. */
export async function redriveDlqMessages(
  sqs: SQSClient,
  target: OpsTarget,
  options: RedriveDlqOptions,
): Promise<RedriveResult | undefined> {
  const queues = await resolveQueues(sqs, target);
  const before = await showDlq(sqs, queues, 1, options.now);
  if (before.depth === 0) return undefined;
  await options.confirm({ depth: before.depth });
  const bar = options.progress?.(before.depth);
  const result = await redriveDlq(sqs, queues, {
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    onProgress: (moved, toMove) => {
      if (toMove) bar?.setTotal(toMove);
      bar?.update(moved);
    },
  });
  bar?.stop();
  return result;
}

export interface DropResult {
  /** the messages deleted: each named the object */
  dropped: MessageSummary[];
  /** messages looked at and left in the DLQ (they name other objects) */
  kept: number;
}

export interface DropDlqOptions {
  /** the raw object key (or s3:// URI) whose messages to delete */
  object: string;
  /** asked with the number of matching messages, before any is deleted */
  confirm: Confirm<{ matching: number }>;
  now: number;
}

/**
 * `pulse dlq drop --object KEY`: delete the DLQ messages that name this raw object and no other,
 * after confirmation; every other message is made visible again at once.
 */
export async function dropDlqMessages(sqs: SQSClient, target: OpsTarget, options: DropDlqOptions): Promise<DropResult> {
  const queues = await resolveQueues(sqs, target);
  const key = options.object.replace(/^s3:\/\/[^/]+\//, '');
  const matching: { summary: MessageSummary; receiptHandle: string }[] = [];
  const others: string[] = [];
  try {
    for (;;) {
      const messages = await receiveToMove(sqs, queues.dlqUrl);
      if (messages.length === 0) break;
      for (const m of messages) {
        const summary = summariseMessage(m, options.now);
        const names = summary.objects.map((o) => o.replace(/^s3:\/\/[^/]+\//, ''));
        if (names.length > 0 && names.every((n) => n === key)) {
          matching.push({ summary, receiptHandle: m.ReceiptHandle ?? '' });
        } else {
          others.push(m.ReceiptHandle ?? '');
        }
      }
    }
    if (matching.length > 0) {
      await options.confirm({ matching: matching.length });
      await deleteMessages(
        sqs,
        queues.dlqUrl,
        matching.map((m, i) => ({ id: String(i), receiptHandle: m.receiptHandle })),
      );
    }
  } catch (error) {
    // declined or failed: nothing deleted stays invisible for the receive's timeout
    await releaseMessages(sqs, queues.dlqUrl, [...others, ...matching.map((m) => m.receiptHandle)]);
    throw error;
  }
  await releaseMessages(sqs, queues.dlqUrl, others);
  return { dropped: matching.map((m) => m.summary), kept: others.length };
}
