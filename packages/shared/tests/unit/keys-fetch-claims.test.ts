import { describe, expect, it } from 'vitest';
import { type FetchClaim, fetchClaim, keys, parseFetchClaim } from '../../src/keys';

describe("an hour's fetches item", () => {
  it('spells a claim as fetch time, bucket and key, and reads it back', () => {
    // Prepare
    const claim: FetchClaim = {
      fetchedAt: '2026-03-10T09:30:00.000Z',
      bucket: 'raw-bucket',
      key: 'nsw-air-quality/raw/2026/03/10/02.rev-20260310T093000Z-b48f6f67.json',
    };

    // Act
    const spelled = fetchClaim(claim);

    // Assess: ISO fetch times first, so claims sort by fetch; one item per UTC hour
    expect(spelled).toBe(`2026-03-10T09:30:00.000Z|raw-bucket|${claim.key}`);
    expect(parseFetchClaim(spelled)).toEqual(claim);
    expect(keys.hourFetches('2026-03-10T02:00:00Z')).toEqual({ PK: 'FETCHES#2026-03-10T02:00:00Z', SK: 'FETCHES' });
    expect(keys.hourFetches(Date.parse('2026-03-10T02:00:00Z'))).toEqual(keys.hourFetches('2026-03-10T02:00:00Z'));
  });

  it('names what is wrong with a claim it cannot spell or read', () => {
    expect(() => fetchClaim({ fetchedAt: '2026-03-10T09:30:00.000Z', bucket: 'a|b', key: 'k' })).toThrow(
      '"a|b" cannot be part of a fetch claim: it holds a "|"',
    );
    expect(() => parseFetchClaim('2026-03-10T09:30:00.000Z|bucket')).toThrow(
      '"2026-03-10T09:30:00.000Z|bucket" is not a fetch claim (<fetchedAt>|<bucket>|<key>)',
    );
    expect(() => parseFetchClaim('yesterday|bucket|key')).toThrow('is not a fetch claim');
  });
});
