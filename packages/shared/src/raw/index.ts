/**
 * The raw zone's object format: the NSW response body exactly as received, inside an envelope that
 * says where and when it came from. Ingest writes it; the ETL reads it. Version it on change.
 */
import * as z from 'zod';
import { describeZodError, ValidationError } from '../errors';
import { lazySchema, once } from '../lazy';
import { type NswObservation, nswObservationsResponseSchema } from '../nsw';
import { capturedResponseFields, sha256Hex } from './captured-response';

export const RAW_ENVELOPE_VERSION = 1;

// Built at first use, not at import (shared `/lazy`).
const rawEnvelopeFields = once(() => ({
  envelopeVersion: z.literal(RAW_ENVELOPE_VERSION),
  source: z.object({
    url: z.string(),
    operation: z.string(),
    /** live NSW, the bundled sample dataset, or another endpoint */
    label: z.enum(['live', 'sample', 'custom']),
    /** the zone the source's Date/Hour labels were read in */
    timeZone: z.string(),
  }),
  request: z.object({ method: z.enum(['GET', 'POST']), body: z.unknown().nullable() }),
  ...capturedResponseFields(),
}));

/** An hour's object (snapshot or revision): its key is rawObjectKey / rawRevisionKey(hourStart, ...). */
export const rawEnvelopeSchema = lazySchema(() =>
  z.object({
    /** the UTC hour this object stands for (ISO) */
    hourStart: z.iso.datetime(),
    ...rawEnvelopeFields(),
  }),
);
export type RawEnvelope = z.infer<typeof rawEnvelopeSchema>;

/** A local day's object (first fetch or revision): its key is rawDayKey / rawDayRevisionKey(localDate, ...). */
export const rawDayEnvelopeSchema = lazySchema(() =>
  z.object({
    /** the NSW local date (YYYY-MM-DD, in source.timeZone) NSW was asked for */
    localDate: z.iso.date(),
    ...rawEnvelopeFields(),
  }),
);
export type RawDayEnvelope = z.infer<typeof rawDayEnvelopeSchema>;

export { sha256Hex };

export type RawEnvelopeInput = Omit<RawEnvelope, 'envelopeVersion' | 'contentSha256'>;
export type RawDayEnvelopeInput = Omit<RawDayEnvelope, 'envelopeVersion' | 'contentSha256'>;

export function buildRawEnvelope(input: RawEnvelopeInput): RawEnvelope {
  return { envelopeVersion: RAW_ENVELOPE_VERSION, ...input, contentSha256: sha256Hex(input.response.body) };
}

export function buildRawDayEnvelope(input: RawDayEnvelopeInput): RawDayEnvelope {
  return { envelopeVersion: RAW_ENVELOPE_VERSION, ...input, contentSha256: sha256Hex(input.response.body) };
}

/**
 * Parse a raw object's text: the envelope, its hash, and the NSW observations inside it. An hour's
 * object and a day's object differ only in what the envelope says it stands for (`hourStart` or
 * `localDate`); `kind` picks the schema, and the key says which (shared `/keys`, parseRawKey).
 * Any problem is a ValidationError that says what was wrong, so the record fails alone.
 */
export function parseRawObject(text: string): { envelope: RawEnvelope; observations: NswObservation[] };
export function parseRawObject(text: string, kind: 'day'): { envelope: RawDayEnvelope; observations: NswObservation[] };
export function parseRawObject(
  text: string,
  kind: 'hour' | 'day' = 'hour',
): { envelope: RawEnvelope | RawDayEnvelope; observations: NswObservation[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`raw object is not JSON: ${(error as Error).message}`);
  }
  const env = (kind === 'day' ? rawDayEnvelopeSchema : rawEnvelopeSchema).safeParse(json);
  if (!env.success) {
    throw new ValidationError(`raw ${kind} envelope invalid at ${describeZodError(env.error)}`);
  }
  const envelope = env.data;
  if (sha256Hex(envelope.response.body) !== envelope.contentSha256) {
    throw new ValidationError('raw object body does not match its contentSha256');
  }
  let body: unknown;
  try {
    body = JSON.parse(envelope.response.body);
  } catch (error) {
    throw new ValidationError(`raw response body is not JSON: ${(error as Error).message}`);
  }
  const obs = nswObservationsResponseSchema.safeParse(body);
  if (!obs.success) {
    throw new ValidationError(`raw response invalid at ${describeZodError(obs.error)}`);
  }
  return { envelope, observations: obs.data };
}

export * from './metadata';
export * from './raw-days';
export * from './reference';
