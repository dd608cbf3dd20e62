import { describe, expect, it } from 'vitest';
import type { AppSyncConfig } from '../../src/appsync/appsync-config';
import { CacheConfigError, ResolverCache, resolverCachingOf } from '../../src/appsync/resolver-cache';

function config(caching: AppSyncConfig['caching'], resolvers: AppSyncConfig['resolvers']): AppSyncConfig {
  return { name: 'api', schema: 'schema.graphql', dataSources: {}, caching, resolvers };
}

const PER_RESOLVER = config(
  { behavior: 'PER_RESOLVER_CACHING', ttl: 300 },
  {
    'Query.getAirQualityData': { caching: { ttl: 60, keys: ['$context.arguments.suburb', '$ctx.arguments.limit'] } },
    'Query.listRegions': { caching: true },
    'Query.getStation': { caching: { keys: ['$context.arguments.siteId'] } },
    'Query.systemHealth': {},
  },
);

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const call = (args: Record<string, unknown>, identity: unknown = null) => ({ arguments: args, source: null, identity });

describe('the resolver cache, as appsync.yml configures it', () => {
  it('caches only the resolvers with a caching block, each with its own TTL or the API’s', () => {
    // Act
    const caching = resolverCachingOf(PER_RESOLVER);

    // Assess
    expect([...caching.values()]).toEqual([
      {
        field: 'Query.getAirQualityData',
        ttlSeconds: 60,
        keys: ['$context.arguments.suburb', '$ctx.arguments.limit'],
      },
      { field: 'Query.listRegions', ttlSeconds: 300, keys: undefined },
      { field: 'Query.getStation', ttlSeconds: 300, keys: ['$context.arguments.siteId'] },
    ]);
  });

  it('keys a call by its caching keys only: other arguments share the entry, another suburb does not', () => {
    // Prepare
    const cache = ResolverCache.fromConfig(PER_RESOLVER);
    const field = 'Query.getAirQualityData';
    cache.set(cache.keyOf(field, call({ suburb: 'Rozelle', limit: 3 })) as string, { items: ['cached'] });

    // Act
    const sameKeys = cache.keyOf(field, call({ suburb: 'Rozelle', limit: 3, from: '2026-11-20T00:00:00Z' }));
    const otherSuburb = cache.keyOf(field, call({ suburb: 'Randwick', limit: 3 }));

    // Assess
    expect(cache.get(sameKeys as string)).toEqual({ value: { items: ['cached'] } });
    expect(cache.get(otherSuburb as string)).toBeUndefined();
    expect(cache.keyOf('Query.systemHealth', call({}))).toBeUndefined();
  });

  it('keys a resolver without caching keys on its arguments and the caller, as AppSync does by default', () => {
    // Prepare
    const cache = ResolverCache.fromConfig(PER_RESOLVER);
    const field = 'Query.listRegions';
    cache.set(cache.keyOf(field, call({}, { sub: 'a', claims: { x: 1, y: 2 } })) as string, ['regions of a']);

    // Act
    const sameCaller = cache.keyOf(field, call({}, { claims: { y: 2, x: 1 }, sub: 'a' }));
    const otherCaller = cache.keyOf(field, call({}, { sub: 'b' }));

    // Assess
    expect(cache.get(sameCaller as string)).toEqual({ value: ['regions of a'] });
    expect(cache.get(otherCaller as string)).toBeUndefined();
  });

  it('forgets an answer once its TTL has passed', () => {
    // Prepare
    const time = clock();
    const cache = ResolverCache.fromConfig(PER_RESOLVER, time.now);
    const key = cache.keyOf('Query.getAirQualityData', call({ suburb: 'Rozelle' })) as string;
    cache.set(key, 'answer');

    // Act
    time.advance(59_999);
    const before = cache.get(key);
    time.advance(1);
    const after = cache.get(key);

    // Assess
    expect(before).toEqual({ value: 'answer' });
    expect(after).toBeUndefined();
    expect(cache.status().entries).toBe(0);
  });

  it('drops everything on a flush and says how many answers it held', () => {
    // Prepare
    const cache = ResolverCache.fromConfig(PER_RESOLVER);
    for (const suburb of ['A', 'B']) {
      cache.set(cache.keyOf('Query.getAirQualityData', call({ suburb })) as string, suburb);
    }
    cache.set(cache.keyOf('Query.getStation', call({ siteId: 39 })) as string, { siteId: 39 });

    // Act
    const before = cache.status();
    const flushed = cache.flush();

    // Assess
    expect(before.entries).toBe(3);
    expect(before.resolvers.map((r) => [r.field, r.entries])).toEqual([
      ['Query.getAirQualityData', 2],
      ['Query.listRegions', 0],
      ['Query.getStation', 1],
    ]);
    expect(flushed).toBe(3);
    expect(cache.status().entries).toBe(0);
  });

  it('caches every resolver with full-request caching, and none when caching is off or absent', () => {
    // Act
    const full = resolverCachingOf(config({ behavior: 'FULL_REQUEST_CACHING', ttl: 120 }, PER_RESOLVER.resolvers));
    const off = resolverCachingOf(config({ behavior: 'PER_RESOLVER_CACHING', enabled: false }, PER_RESOLVER.resolvers));
    const none = resolverCachingOf(config(undefined, PER_RESOLVER.resolvers));

    // Assess
    expect([...full.values()].map((r) => [r.field, r.ttlSeconds, r.keys])).toEqual([
      ['Query.getAirQualityData', 120, undefined],
      ['Query.listRegions', 120, undefined],
      ['Query.getStation', 120, undefined],
      ['Query.systemHealth', 120, undefined],
    ]);
    expect(off.size).toBe(0);
    expect(none.size).toBe(0);
  });

  it('refuses a caching key that is not an entry of $context.arguments, source or identity', () => {
    // Prepare
    const broken = config(
      { behavior: 'PER_RESOLVER_CACHING', ttl: 300 },
      { 'Query.listStations': { caching: { keys: ['$context.request.headers.host'] } } },
    );

    // Act / Assess
    expect(() => resolverCachingOf(broken)).toThrow(CacheConfigError);
    expect(() => resolverCachingOf(broken)).toThrow(
      'appsync.yml: caching key "$context.request.headers.host" of Query.listStations is not an entry of $context.arguments, $context.source or $context.identity',
    );
  });
});
