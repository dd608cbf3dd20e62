import { ValidationError } from '@opendata-pulse/shared/errors';
import { describe, expect, it } from 'vitest';
import { parseIngestEvent } from '../../src/domain/ingest-event.schema';
import backfillEvent from '../events/backfill-event.json' with { type: 'json' };
import scheduledEvent from '../events/scheduled-event.json' with { type: 'json' };
import testEvent from '../events/test-event.json' with { type: 'json' };

describe('ingest payload parsing', () => {
  it('reads the EventBridge schedule as a run for the latest published hour', () => {
    expect(parseIngestEvent(scheduledEvent)).toEqual({ kind: 'scheduled', time: '2026-11-20T14:00:00Z' });
  });

  it('reads {"test": true} as a test run', () => {
    expect(parseIngestEvent(testEvent)).toEqual({ kind: 'test' });
  });

  it('reads a backfill as the UTC start of the named hour', () => {
    expect(parseIngestEvent(backfillEvent)).toEqual({ kind: 'backfill', hourStart: Date.UTC(2026, 10, 20, 13) });
  });

  it('accepts a backfill hour written with milliseconds or an offset that lands on a whole UTC hour', () => {
    expect(parseIngestEvent({ backfill: true, timestamp: '2026-11-20T13:00:00.000Z' })).toEqual({
      kind: 'backfill',
      hourStart: Date.UTC(2026, 10, 20, 13),
    });
    expect(parseIngestEvent({ backfill: true, timestamp: '2026-11-21T00:00:00+11:00' })).toEqual({
      kind: 'backfill',
      hourStart: Date.UTC(2026, 10, 20, 13),
    });
  });

  it.each([
    [null, /must be a JSON object/],
    ['{"test": true}', /must be a JSON object/],
    [[{ test: true }], /must be a JSON object/],
    [{}, /Unrecognised ingest payload with fields \{\}: expected the scheduled EventBridge event/],
    [{ hour: '2026-11-20T13:00:00Z' }, /Unrecognised ingest payload with fields \{"hour"/],
    [{ test: false }, /test payload must be exactly \{"test": true\}; got \{"test":false\}/],
    [{ test: 'true' }, /test payload must be exactly/],
    [{ test: true, backfill: true }, /test payload must be exactly/],
    [{ backfill: true }, /backfill payload must be exactly \{"backfill": true, "timestamp": "<ISO hour>"\}/],
    [{ backfill: true, timestamp: 1763643600000 }, /backfill payload must be exactly/],
    [{ backfill: true, timestamp: 'yesterday' }, /Backfill timestamp "yesterday" is not an ISO 8601 date-time/],
    [
      { backfill: true, timestamp: '2026-11-20T13:30:00Z' },
      /Backfill timestamp "2026-11-20T13:30:00Z" is not on a whole UTC hour/,
    ],
    [
      { source: 'aws.s3', 'detail-type': 'Object Created' },
      /not the hourly schedule \(source "aws.s3", detail-type "Object Created"\)/,
    ],
  ])('rejects %j with a clear ValidationError', (payload, message) => {
    // Act
    const act = () => parseIngestEvent(payload);
    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(message);
  });
});
