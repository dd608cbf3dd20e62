/**
 * The events that carry "a raw object was created" to the ETL: EventBridge's S3 "Object Created"
 * event (what the raw bucket sends through the rule to SQS), the classic S3 notification (the
 * runbook's manual reprocess, and older bucket notifications), and SQS's envelope around either.
 * One parser for all of them, so the ETL, the local stack and the CLI agree.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy';

// Built at first use, not at import (shared `/lazy`).
export const eventBridgeObjectCreatedSchema = lazySchema(() =>
  z.looseObject({
    'detail-type': z.literal('Object Created'),
    source: z.literal('aws.s3'),
    time: z.string().optional(),
    detail: z.looseObject({
      bucket: z.looseObject({ name: z.string().min(1) }),
      object: z.looseObject({ key: z.string().min(1), size: z.number().optional(), etag: z.string().optional() }),
    }),
  }),
);
export type EventBridgeObjectCreated = z.infer<typeof eventBridgeObjectCreatedSchema>;

export const s3NotificationSchema = lazySchema(() =>
  z.looseObject({
    Records: z.array(
      z.looseObject({
        eventSource: z.literal('aws:s3').optional(),
        eventName: z.string(),
        s3: z.looseObject({
          bucket: z.looseObject({ name: z.string().min(1) }),
          object: z.looseObject({ key: z.string().min(1), size: z.number().optional() }),
        }),
      }),
    ),
  }),
);
export type S3Notification = z.infer<typeof s3NotificationSchema>;

export interface ObjectRef {
  bucket: string;
  key: string;
}

/** S3 URL-encodes keys in events (space as "+"). */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/**
 * The objects an event names, whichever of the two shapes it has. S3 test events
 * (`s3:TestEvent`) and removal events name none. Anything else is a ValidationError.
 */
export function objectRefsFromEvent(event: unknown): ObjectRef[] {
  const eb = eventBridgeObjectCreatedSchema.safeParse(event);
  if (eb.success) return [{ bucket: eb.data.detail.bucket.name, key: decodeEventKey(eb.data.detail.object.key) }];
  const s3 = s3NotificationSchema.safeParse(event);
  if (s3.success) {
    return s3.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeEventKey(r.s3.object.key),
    }));
  }
  if (event && typeof event === 'object' && (event as { Event?: unknown }).Event === 's3:TestEvent') return [];
  throw new ValidationError('event is neither an EventBridge S3 "Object Created" event nor an S3 notification');
}

/** Parse an SQS message body that carries one of the two event shapes. */
export function objectRefsFromMessageBody(body: string): ObjectRef[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ValidationError('message body is not JSON');
  }
  return objectRefsFromEvent(json);
}

export function buildEventBridgeObjectCreated(input: {
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  region: string;
  account: string;
  time?: string;
}): EventBridgeObjectCreated & Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: input.account,
    time: input.time ?? new Date().toISOString(),
    region: input.region,
    resources: [`arn:aws:s3:::${input.bucket}`],
    detail: {
      version: '0',
      bucket: { name: input.bucket },
      object: {
        key: encodeEventKey(input.key),
        ...(input.size !== undefined ? { size: input.size } : {}),
        ...(input.etag ? { etag: input.etag } : {}),
      },
      reason: 'PutObject',
    },
  };
}

/** The plain S3 event the runbook's manual reprocess sends to the ETL function. */
export function buildS3Notification(bucket: string, keys: readonly string[], region: string): S3Notification {
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeEventKey(key) },
      },
    })),
  };
}
