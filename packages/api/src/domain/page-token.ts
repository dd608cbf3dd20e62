/**
 * Pagination tokens: opaque to callers and tamper-evident. A token is
 * `v1.<payload>.<mac>` (base64url), the payload holding the query it belongs to (a digest of its
 * name and arguments), the window the first page resolved (so later pages cover the same hours even
 * when `to` defaulted to "now"), and DynamoDB's key to resume from. The MAC is HMAC-SHA256 under a
 * key that never lives in code or environment (see page-token-key.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import * as z from 'zod';

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 4096;

/** What a token is bound to: the query's name and the arguments that select its rows. */
export interface TokenScope {
  query: string;
  args: Record<string, string | number | null>;
}

export interface PageState {
  /** the window the first page resolved, as the use case recorded it */
  window: Record<string, string | number>;
  /** DynamoDB key to resume after */
  key: Record<string, unknown>;
}

export interface PageTokenCodec {
  encode(scope: TokenScope, state: PageState): string;
  /** The state inside a token issued for `scope`; BadRequestError for anything else. */
  decode(token: string, scope: TokenScope): PageState;
}

// Built at first use, not at import (shared `/lazy`).
const payloadSchema = lazySchema(() =>
  z.object({
    s: z.string(),
    w: z.record(z.string(), z.union([z.string(), z.number()])),
    k: z.record(z.string(), z.unknown()),
  }),
);

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function scopeDigest(scope: TokenScope): string {
  const canonical = JSON.stringify([scope.query, Object.entries(scope.args).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export const MALFORMED_TOKEN_MESSAGE =
  '"nextToken" is not a valid page token: it is malformed, was altered, or was issued by another deployment';
export const FOREIGN_TOKEN_MESSAGE =
  '"nextToken" belongs to a different query: repeat the query with the same arguments as the page that returned it';

export function createPageTokenCodec(key: Uint8Array): PageTokenCodec {
  if (key.byteLength < 32) throw new Error('page token key must be at least 32 bytes');
  const mac = (body: string) => createHmac('sha256', key).update(`${VERSION}.${body}`).digest();

  return {
    encode(scope, state) {
      const body = b64(JSON.stringify({ s: scopeDigest(scope), w: state.window, k: state.key }));
      return `${VERSION}.${body}.${b64(mac(body))}`;
    },
    decode(token, scope) {
      const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
      const [version, body, signature] = parts;
      if (parts.length !== 3 || version !== VERSION || !body || !signature)
        throw new BadRequestError(MALFORMED_TOKEN_MESSAGE);
      const expected = mac(body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new BadRequestError(MALFORMED_TOKEN_MESSAGE);
      }
      let payload: z.output<typeof payloadSchema>;
      try {
        payload = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      } catch {
        throw new BadRequestError(MALFORMED_TOKEN_MESSAGE);
      }
      if (payload.s !== scopeDigest(scope)) throw new BadRequestError(FOREIGN_TOKEN_MESSAGE);
      return { window: payload.w, key: payload.k };
    },
  };
}
