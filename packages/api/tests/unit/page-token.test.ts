import { BadRequestError } from '@opendata-pulse/shared/errors';
import { describe, expect, it } from 'vitest';
import { createPageTokenCodec, type TokenScope } from '../../src/domain/page-token';

const codec = createPageTokenCodec(Buffer.alloc(32, 1));
const scope: TokenScope = {
  query: 'getAirQualityData',
  args: { suburb: 'SUBURB#rozelle', from: null, to: 1_795_000_000_000 },
};
const state = {
  window: { fromMs: 1_792_000_000_000, toMs: 1_795_000_000_000 },
  key: {
    PK: 'SITE#00039',
    SK: 'HOUR#2026-11-20T13:00:00Z',
    GSI1PK: 'SUBURB#rozelle',
    GSI1SK: 'HOUR#2026-11-20T13:00:00Z#SITE#00039',
  },
};

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a BadRequestError');
}

describe('page tokens', () => {
  it('round-trip the window and resume key for the same query, whatever the order of its arguments', () => {
    // Act
    const token = codec.encode(scope, state);
    const reordered = { query: scope.query, args: { to: scope.args.to ?? null, suburb: 'SUBURB#rozelle', from: null } };

    // Assess
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(codec.decode(token, reordered)).toEqual(state);
  });

  it('refuse a token issued for other arguments or another query', () => {
    // Prepare
    const token = codec.encode(scope, state);

    // Act / Assess
    for (const other of [
      { ...scope, args: { ...scope.args, suburb: 'SUBURB#randwick' } },
      { ...scope, args: { ...scope.args, from: 1 } },
      { ...scope, query: 'getRegionSummary' },
    ]) {
      expect(refusal(() => codec.decode(token, other))).toContain('belongs to a different query');
    }
  });

  it("refuse an altered payload, a forged signature, another key's token and garbage", () => {
    // Prepare
    const token = codec.encode(scope, state);
    const [v, body, mac] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.k.GSI1PK = 'SUBURB#randwick';
    const altered = `${v}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    const foreign = createPageTokenCodec(Buffer.alloc(32, 2)).encode(scope, state);

    // Act / Assess
    for (const bad of [
      altered,
      `${v}.${body}.${'A'.repeat(43)}`,
      foreign,
      'garbage',
      `v2.${body}.${mac}`,
      `v1..${mac}`,
      'x'.repeat(5000),
    ]) {
      expect(refusal(() => codec.decode(bad, scope))).toContain('is not a valid page token');
    }
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => createPageTokenCodec(Buffer.alloc(16))).toThrow('at least 32 bytes');
  });
});
