/**
 * What Lambda's SQS event source mapping does for the ETL function: long-poll the processing
 * queue, invoke the handler with real SQS event records, delete what succeeded and leave what
 * failed (ReportBatchItemFailures), so a failing object is received again after the visibility
 * timeout and, after maxReceiveCount receives, moves to the DLQ.
 *
 * Failed messages are never "released" with ChangeMessageVisibility: local-aws-sqs counts that
 * as a receive. Each ReceiveMessage sets a short VisibilityTimeout instead, so retries (and the
 * move to the DLQ) come within seconds locally rather than after the queue's 6 minutes.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type ObjectRef, objectRefsFromMessageBody } from '@opendata-pulse/shared/events';
import type { FunctionHost } from '../lambda/function-host';
import { formatDuration, type StackLog } from '../stack/stack-log';
import type { PendingObjects } from './pending-objects';

export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<
    string,
    {
      stringValue?: string;
      binaryValue?: string;
      stringListValues: string[];
      binaryListValues: string[];
      dataType: string;
    }
  >;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** An SQS message as Lambda hands it to a function (the `Records[]` of an SQS event). */
export function toSqsEventRecord(message: Message, queueArn: string, region: string): SqsEventRecord {
  const messageAttributes: SqsEventRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: { ...(message.Attributes ?? {}) } as Record<string, string>,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * Which records failed, from the handler's answer, as Lambda reads it: a missing or empty
 * `batchItemFailures` means all succeeded; an identifier that names no record of the batch fails
 * the whole batch.
 */
export function failedMessageIds(result: unknown, batch: readonly SqsEventRecord[]): Set<string> {
  const all = new Set(batch.map((r) => r.messageId));
  const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  functions: FunctionHost;
  pending: PendingObjects;
  log: StackLog;
  batchSize?: number;
  /** seconds a received message stays invisible: the retry delay of a failed record */
  retryDelaySeconds?: number;
  maxReceiveCount: number;
}

function refsOf(body: string): ObjectRef[] {
  try {
    return objectRefsFromMessageBody(body);
  } catch {
    return [];
  }
}

function describe(record: SqsEventRecord): string {
  const refs = refsOf(record.body);
  return refs.length ? refs.map((r) => r.key).join(', ') : `message ${record.messageId} (not an S3 event)`;
}

export class QueuePoller {
  readonly stats = { batches: 0, succeeded: 0, failed: 0 };
  private stopped = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private batchInProgress = false;

  constructor(private readonly options: QueuePollerOptions) {}

  /** true while a batch is between receive and delete */
  get busy(): boolean {
    return this.batchInProgress;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stop polling. A batch still in the ETL is not waited for beyond a moment (the stack ends the
   * function's environment next); its messages are not deleted and its objects stay pending.
   */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const { sqs, queueUrl, log } = this.options;
    while (!this.stopped) {
      let messages: Message[];
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: this.options.batchSize ?? 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: this.options.retryDelaySeconds ?? 5,
            // local-aws-sqs reads only the older AttributeNames; real SQS takes both.
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (this.stopped) break;
        log.line('etl', 'error', `cannot receive from the processing queue: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      this.batchInProgress = true;
      try {
        await this.process(messages);
      } finally {
        this.batchInProgress = false;
      }
    }
  }

  private async process(messages: Message[]): Promise<void> {
    const { sqs, queueUrl, queueArn, region, functions, pending, log, maxReceiveCount } = this.options;
    const records = messages.map((m) => toSqsEventRecord(m, queueArn, region));
    const outcome = await functions.invokeRaw('etl', JSON.stringify({ Records: records }));
    if (this.stopped && !outcome.ok) return; // the stack stopped under it; the messages stay pending
    this.stats.batches++;
    let failed: Set<string>;
    let reason = '';
    if (outcome.ok) {
      failed = failedMessageIds(JSON.parse(outcome.payload), records);
    } else {
      failed = new Set(records.map((r) => r.messageId));
      reason = `: ${outcome.error.errorType}: ${outcome.error.errorMessage}`;
      log.line('etl', 'error', `handler failed on a batch of ${records.length}${reason}`);
    }
    const succeeded = records.filter((r) => !failed.has(r.messageId));
    if (succeeded.length) {
      try {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: succeeded.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
        pending.remove(succeeded.flatMap((r) => refsOf(r.body)));
      } catch (error) {
        log.line('etl', 'error', `could not delete processed messages: ${(error as Error).message}`);
      }
    }
    const took = `${formatDuration(outcome.durationMs)}${records.length > 1 ? `, batch of ${records.length}` : ''}`;
    for (const record of records) {
      if (!failed.has(record.messageId)) {
        this.stats.succeeded++;
        log.line('etl', 'ok', `${describe(record)} processed (${took})`);
        continue;
      }
      this.stats.failed++;
      const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
      const next =
        receives >= maxReceiveCount ? 'moving to the DLQ' : `retry in ${this.options.retryDelaySeconds ?? 5}s`;
      log.line('etl', 'warn', `${describe(record)} failed (receive ${receives} of ${maxReceiveCount}), ${next}`);
    }
  }
}
