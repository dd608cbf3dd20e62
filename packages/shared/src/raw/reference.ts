/**
 * The reference zone's objects (`nsw-air-quality/reference/sites.json`, `parameters.json`): NSW's
 * site and parameter lists exactly as received, in an envelope like the raw zone's. Ingest
 * refreshes them at most once a day; the ETL and API read station names and regions from them.
 */
import * as z from 'zod';
import { describeZodError, ValidationError } from '../errors';
import { lazySchema } from '../lazy';
import { type NswParameter, type NswSite, nswParametersResponseSchema, nswSitesResponseSchema } from '../nsw';
import { capturedResponseFields, sha256Hex } from './captured-response';

export const REFERENCE_ENVELOPE_VERSION = 1;

export const referenceEnvelopeSchema = lazySchema(() =>
  z.object({
    envelopeVersion: z.literal(REFERENCE_ENVELOPE_VERSION),
    kind: z.enum(['sites', 'parameters']),
    source: z.object({
      url: z.string(),
      operation: z.string(),
      label: z.enum(['live', 'sample', 'custom']),
    }),
    ...capturedResponseFields(),
  }),
);
export type ReferenceEnvelope = z.infer<typeof referenceEnvelopeSchema>;
export type ReferenceKind = ReferenceEnvelope['kind'];

export function buildReferenceEnvelope(input: Omit<ReferenceEnvelope, 'envelopeVersion' | 'contentSha256'>) {
  const contentSha256 = sha256Hex(input.response.body);
  return { envelopeVersion: REFERENCE_ENVELOPE_VERSION, ...input, contentSha256 } satisfies ReferenceEnvelope;
}

function parseReference<T extends z.ZodType>(text: string, kind: ReferenceKind, schema: T) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`reference ${kind} object is not JSON: ${(error as Error).message}`);
  }
  const env = referenceEnvelopeSchema.safeParse(json);
  if (!env.success) throw new ValidationError(`reference envelope invalid at ${describeZodError(env.error)}`);
  const envelope = env.data;
  if (envelope.kind !== kind) throw new ValidationError(`reference object holds ${envelope.kind}, not ${kind}`);
  if (sha256Hex(envelope.response.body) !== envelope.contentSha256) {
    throw new ValidationError(`reference ${kind} body does not match its contentSha256`);
  }
  let body: unknown;
  try {
    body = JSON.parse(envelope.response.body);
  } catch (error) {
    throw new ValidationError(`reference ${kind} body is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(`reference ${kind} invalid at ${describeZodError(parsed.error)}`);
  return { envelope, data: parsed.data as z.output<T> };
}

/** A sites.json object's text -> its envelope and NSW site rows (placeholders included). */
export function parseSitesReference(text: string): { envelope: ReferenceEnvelope; sites: NswSite[] } {
  const { envelope, data } = parseReference(text, 'sites', nswSitesResponseSchema);
  return { envelope, sites: data };
}

/** A parameters.json object's text -> its envelope and NSW parameter rows. */
export function parseParametersReference(text: string): { envelope: ReferenceEnvelope; parameters: NswParameter[] } {
  const { envelope, data } = parseReference(text, 'parameters', nswParametersResponseSchema);
  return { envelope, parameters: data };
}
