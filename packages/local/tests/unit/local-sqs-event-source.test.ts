import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { failedMessageIds, toSqsEventRecord } from '../../src/glue/queue-poller';

const QUEUE_ARN = 'arn:aws:sqs:ap-southeast-2:000000000000:opendata-pulse-processing-local';

function message(id: string, receives = 1): Message {
  return {
    MessageId: id,
    ReceiptHandle: `handle-${id}`,
    Body: '{"detail-type":"Object Created"}',
    MD5OfBody: 'b1946ac92492d2347c6235b4d2611184',
    Attributes: {
      ApproximateReceiveCount: String(receives),
      SentTimestamp: '1764200000000',
      SenderId: 'ABCDEFGHI1JKLMNOPQ23R',
      ApproximateFirstReceiveTimestamp: '1764200000100',
    },
  };
}

describe('toSqsEventRecord: a received message as Lambda hands it to a function', () => {
  it('carries id, receipt handle, body, system attributes and the queue ARN', () => {
    // Act
    const record = toSqsEventRecord(message('m-1', 2), QUEUE_ARN, 'ap-southeast-2');

    // Assess
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'handle-m-1',
      body: '{"detail-type":"Object Created"}',
      attributes: {
        ApproximateReceiveCount: '2',
        SentTimestamp: '1764200000000',
        SenderId: 'ABCDEFGHI1JKLMNOPQ23R',
        ApproximateFirstReceiveTimestamp: '1764200000100',
      },
      messageAttributes: {},
      md5OfBody: 'b1946ac92492d2347c6235b4d2611184',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'ap-southeast-2',
    });
  });

  it('spells message attributes the way Lambda does (camelCase, list fields present)', () => {
    const record = toSqsEventRecord(
      { ...message('m-2'), MessageAttributes: { origin: { DataType: 'String', StringValue: 'local' } } },
      QUEUE_ARN,
      'ap-southeast-2',
    );
    expect(record.messageAttributes).toEqual({
      origin: { stringValue: 'local', stringListValues: [], binaryListValues: [], dataType: 'String' },
    });
  });
});

describe('failedMessageIds: reading ReportBatchItemFailures as Lambda does', () => {
  const batch = ['a', 'b', 'c'].map((id) => toSqsEventRecord(message(id), QUEUE_ARN, 'ap-southeast-2'));

  it('treats no batchItemFailures (or an empty list) as all succeeded', () => {
    expect(failedMessageIds(null, batch).size).toBe(0);
    expect(failedMessageIds({}, batch).size).toBe(0);
    expect(failedMessageIds({ batchItemFailures: [] }, batch).size).toBe(0);
  });

  it('fails exactly the records named', () => {
    expect([...failedMessageIds({ batchItemFailures: [{ itemIdentifier: 'b' }] }, batch)]).toEqual(['b']);
  });

  it('fails the whole batch when an identifier names no record of it, or is missing', () => {
    expect(failedMessageIds({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, batch).size).toBe(3);
    expect(failedMessageIds({ batchItemFailures: [{}] }, batch).size).toBe(3);
    expect(failedMessageIds({ batchItemFailures: 'b' }, batch).size).toBe(3);
  });
});
