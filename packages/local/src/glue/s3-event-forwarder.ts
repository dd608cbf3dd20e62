/**
 * What the raw bucket's EventBridge rule does in AWS: every object created under the raw prefix
 * becomes an EventBridge S3 "Object Created" event on the processing queue. s3rver reports object
 * keys decoded; the shared builder encodes them as S3 does (docs/architecture.md, "Local stack: stand-ins and known gaps").
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { buildEventBridgeObjectCreated, type ObjectRef } from '@opendata-pulse/shared/events';
import { RAW_PREFIX } from '@opendata-pulse/shared/keys';
import type { LocalAws, S3NotificationEvent } from '../aws/local-aws';
import type { StackLog } from '../stack/stack-log';
import type { PendingObjects } from './pending-objects';

export interface ForwarderOptions {
  local: LocalAws;
  sqs: SQSClient;
  queueUrl: string;
  rawBucket: string;
  region: string;
  pending: PendingObjects;
  log: StackLog;
}

export class S3EventForwarder {
  /** raw keys seen created since start, with how often */
  readonly created = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listener = (event: S3NotificationEvent) => this.onEvent(event);
  private stopped = false;

  constructor(private readonly options: ForwarderOptions) {}

  start(): void {
    this.options.local.on('s3-event', this.listener);
  }

  /** Sends in progress (a drain waits for none). */
  get sending(): number {
    return this.inFlight.size;
  }

  /** Put objects back on the queue (pending ones from a previous run). */
  async requeue(refs: readonly ObjectRef[]): Promise<void> {
    await Promise.all(refs.map((ref) => this.track(this.send(ref, {}))));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.local.off('s3-event', this.listener);
    await Promise.allSettled([...this.inFlight]);
  }

  private onEvent(event: S3NotificationEvent): void {
    if (this.stopped) return;
    for (const record of event.Records ?? []) {
      const bucket = record.s3?.bucket?.name;
      const key = record.s3?.object?.key;
      if (!record.eventName?.startsWith('ObjectCreated') || bucket !== this.options.rawBucket) continue;
      if (!key?.startsWith(RAW_PREFIX)) continue;
      this.created.set(key, (this.created.get(key) ?? 0) + 1);
      const etag = record.s3.object.eTag?.replace(/"/g, '');
      this.track(
        this.send(
          { bucket, key },
          {
            time: record.eventTime,
            ...(record.s3.object.size !== undefined ? { size: record.s3.object.size } : {}),
            ...(etag ? { etag } : {}),
          },
        ),
      );
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async send(ref: ObjectRef, extra: { time?: string; size?: number; etag?: string }): Promise<void> {
    const { sqs, queueUrl, region, pending, log } = this.options;
    pending.add(ref);
    const event = buildEventBridgeObjectCreated({ ...ref, ...extra, region, account: LOCAL_ACCOUNT_ID });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    } catch (error) {
      // The object stays pending on disk, so the next start queues it again.
      log.line('s3', 'error', `could not queue ${ref.key}: ${(error as Error).message} (kept for the next start)`);
    }
  }
}
