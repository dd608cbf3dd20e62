import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import {
  buildEventBridgeObjectCreated,
  buildS3Notification,
  objectRefsFromEvent,
  objectRefsFromMessageBody,
} from '../../src/events';

const key = 'nsw-air-quality/raw/2026/11/20/13.json';

describe('objectRefsFromEvent', () => {
  it('reads the EventBridge "Object Created" event the raw bucket sends', () => {
    const event = buildEventBridgeObjectCreated({
      bucket: 'raw',
      key,
      region: 'ap-southeast-2',
      account: '1',
      size: 10,
    });
    expect(objectRefsFromMessageBody(JSON.stringify(event))).toEqual([{ bucket: 'raw', key }]);
  });

  it('reads the classic S3 notification the runbook reprocess sends, decoding keys', () => {
    const event = buildS3Notification('raw', [key, 'odd name/with space+plus.json'], 'ap-southeast-2');
    expect(event.Records[1]?.s3.object.key).toBe('odd+name/with+space%2Bplus.json');
    expect(objectRefsFromEvent(event)).toEqual([
      { bucket: 'raw', key },
      { bucket: 'raw', key: 'odd name/with space+plus.json' },
    ]);
  });

  it('names no object for removals and S3 test events', () => {
    const removal = buildS3Notification('raw', [key], 'ap-southeast-2');
    (removal.Records[0] as { eventName: string }).eventName = 'ObjectRemoved:Delete';
    expect(objectRefsFromEvent(removal)).toEqual([]);
    expect(objectRefsFromEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' })).toEqual([]);
  });

  it('rejects anything else with a clear error', () => {
    expect(() => objectRefsFromMessageBody('not json')).toThrow(/not JSON/);
    expect(() => objectRefsFromEvent({ hello: 1 })).toThrow(ValidationError);
  });
});
