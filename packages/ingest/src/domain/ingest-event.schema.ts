/**
 * The payloads the ingest accepts: the hourly EventBridge schedule (docs/architecture.md,
 * "Data flow"), `{"test": true}` and `{"backfill": true, "timestamp": "<ISO hour>"}`. Anything
 * else is rejected with a message that says what was expected, because an operator typed it.
 */
import { ValidationError } from '@opendata-pulse/shared/errors';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import { parseHourStart } from '@opendata-pulse/shared/time';
import * as z from 'zod';

export type IngestRequest =
  | { kind: 'scheduled'; time?: string | undefined }
  | { kind: 'test' }
  | { kind: 'backfill'; hourStart: number };

const EXPECTED =
  'expected the scheduled EventBridge event, {"test": true} or {"backfill": true, "timestamp": "<ISO hour>"}';

// Built at first use, not at import (shared `/lazy`).
const scheduledEventSchema = lazySchema(() =>
  z.looseObject({
    source: z.literal('aws.events'),
    'detail-type': z.literal('Scheduled Event'),
    time: z.string().optional(),
  }),
);
const testEventSchema = lazySchema(() => z.strictObject({ test: z.literal(true) }));
const backfillEventSchema = lazySchema(() =>
  z.strictObject({ backfill: z.literal(true), timestamp: z.string().min(1) }),
);

export function parseIngestEvent(event: unknown): IngestRequest {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new ValidationError(`Ingest payload must be a JSON object: ${EXPECTED}`);
  }
  const fields = event as Record<string, unknown>;
  if ('source' in fields || 'detail-type' in fields) {
    const parsed = scheduledEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(
        `Ingest payload looks like an EventBridge event but is not the hourly schedule (source "${String(fields.source)}", detail-type "${String(fields['detail-type'])}"): ${EXPECTED}`,
      );
    }
    return { kind: 'scheduled', time: parsed.data.time };
  }
  if ('test' in fields) {
    if (!testEventSchema.safeParse(event).success) {
      throw new ValidationError(`Ingest test payload must be exactly {"test": true}; got ${describe(fields)}`);
    }
    return { kind: 'test' };
  }
  if ('backfill' in fields) {
    const parsed = backfillEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(
        `Ingest backfill payload must be exactly {"backfill": true, "timestamp": "<ISO hour>"}; got ${describe(fields)}`,
      );
    }
    let hourStart: number;
    try {
      hourStart = parseHourStart(parsed.data.timestamp);
    } catch (error) {
      throw new ValidationError(
        `Backfill timestamp ${(error as Error).message} (expected the UTC start of an hour, e.g. 2026-11-20T13:00:00Z)`,
      );
    }
    return { kind: 'backfill', hourStart };
  }
  throw new ValidationError(`Unrecognised ingest payload with fields ${describe(fields)}: ${EXPECTED}`);
}

function describe(fields: Record<string, unknown>): string {
  const text = JSON.stringify(fields);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
