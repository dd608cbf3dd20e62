import { objectRefsFromEvent, objectRefsFromMessageBody } from '@opendata-pulse/shared/events';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isSqsEvent } from '../../src/adapters/sqs-batch';
import s3Notification from '../events/s3-notification-reprocess.json' with { type: 'json' };
import sqsEvent from '../events/sqs-eventbridge-object-created.json' with { type: 'json' };

describe('telling the two event kinds apart', () => {
  it('treats an SQS batch as a queue batch and finds the raw object in its EventBridge body', () => {
    const event = sqsEvent as SQSEvent;
    expect(isSqsEvent(event)).toBe(true);
    expect(objectRefsFromMessageBody(event.Records[0]?.body ?? '')).toEqual([
      { bucket: 'opendata-pulse-raw-data-123456789012', key: 'nsw-air-quality/raw/2026/11/20/13.json' },
    ]);
  });

  it('treats the runbook reprocess S3 notification as a plain event naming every object', () => {
    expect(isSqsEvent(s3Notification)).toBe(false);
    expect(objectRefsFromEvent(s3Notification).map((r) => r.key)).toEqual([
      'nsw-air-quality/raw/2026/11/20/13.json',
      'nsw-air-quality/raw/2026/11/20/14.json',
    ]);
  });

  it('does not take an empty record list or a mixed batch for a queue batch', () => {
    expect(isSqsEvent({ Records: [] })).toBe(false);
    expect(isSqsEvent({ Records: [...sqsEvent.Records, ...s3Notification.Records] })).toBe(false);
  });
});
