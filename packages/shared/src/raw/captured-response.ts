/**
 * What every stored NSW response carries, whatever it holds (an hour's observations, the site or
 * parameter list): when it was fetched, its hash, its size, the ingest that fetched it, and the
 * response exactly as received. Both envelopes spread these fields, so they cannot drift apart.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { once } from '../lazy';

/** The fields, built at first use (shared `/lazy`). */
export const capturedResponseFields = once(() => ({
  fetchedAt: z.iso.datetime(),
  /** sha-256 (hex) of response.body */
  contentSha256: z.string().regex(/^[a-f0-9]{64}$/),
  recordCount: z.number().int().nonnegative(),
  ingestVersion: z.string(),
  response: z.object({
    status: z.number().int(),
    contentType: z.string().nullable(),
    /** the body exactly as received (text) */
    body: z.string(),
  }),
}));

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
