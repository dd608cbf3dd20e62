/**
 * AppSync's server-side cache, as appsync.yml configures it (docs/architecture.md, "Local stack:
 * stand-ins and known gaps"): with PER_RESOLVER_CACHING a resolver with a `caching` block keeps
 * its Lambda's answer for its TTL under its caching keys (`$context.arguments.suburb`, ...), so a
 * repeated query with the same keys is answered without invoking the function; with
 * FULL_REQUEST_CACHING every resolver does, keyed on its arguments and the caller's identity (and
 * locally its parent, so that sibling list items never share an answer), as does a resolver whose
 * `caching` names no keys. TTLs
 * follow the deploy: the resolver's own, else the API's, else 3600 s (serverless-appsync-plugin's
 * default). Only answers are kept, never errors. Tooling only: no Lambda bundle imports this module.
 */
import type { AppSyncConfig } from './appsync-config';

/** What a resolver's answers are cached by and for how long. */
export interface ResolverCaching {
  /** `Type.field` */
  field: string;
  ttlSeconds: number;
  /** the caching keys as appsync.yml writes them; AppSync's default (arguments and identity) when absent */
  keys: readonly string[] | undefined;
}

/** What the cache keys of one resolver call are read from (the direct-Lambda event's maps). */
export interface CacheKeyContext {
  arguments: Record<string, unknown>;
  source: unknown;
  identity: unknown;
}

export interface CacheStatus {
  behavior: string;
  /** the API's TTL, seconds */
  ttlSeconds: number;
  entries: number;
  /** live entries per resolver, with each cached resolver's TTL and keys */
  resolvers: Array<{ field: string; ttlSeconds: number; keys: readonly string[] | null; entries: number }>;
}

const DEFAULT_TTL_SECONDS = 3600;
/** AppSync's caching keys may come from these maps only. */
const KEY_PATTERN = /^\$(?:context|ctx)\.(arguments|source|identity)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
/** Enough for any local session; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 10_000;

export class CacheConfigError extends Error {
  override name = 'CacheConfigError';
}

/** Each caching resolver of `config`, by `Type.field`; empty when the API has no cache. */
export function resolverCachingOf(config: AppSyncConfig): Map<string, ResolverCaching> {
  const out = new Map<string, ResolverCaching>();
  const api = config.caching;
  if (!api || api.enabled === false) return out;
  const apiTtl = api.ttl || DEFAULT_TTL_SECONDS;
  for (const [field, resolver] of Object.entries(config.resolvers)) {
    const own = resolver.caching;
    if (api.behavior === 'FULL_REQUEST_CACHING') {
      out.set(field, { field, ttlSeconds: apiTtl, keys: undefined });
    } else if (own === true) {
      out.set(field, { field, ttlSeconds: apiTtl, keys: undefined });
    } else if (own && typeof own === 'object') {
      for (const key of own.keys ?? []) {
        if (!KEY_PATTERN.test(key)) {
          throw new CacheConfigError(
            `appsync.yml: caching key "${key}" of ${field} is not an entry of $context.arguments, $context.source or $context.identity`,
          );
        }
      }
      out.set(field, { field, ttlSeconds: own.ttl || apiTtl, keys: own.keys });
    }
  }
  return out;
}

function valueAt(context: CacheKeyContext, expression: string): unknown {
  const [, map = '', path = ''] = KEY_PATTERN.exec(expression) ?? [];
  let value: unknown = context[map as keyof CacheKeyContext];
  for (const part of path.split('.').filter(Boolean)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/** JSON with object keys sorted, so that equal maps give equal keys. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export class ResolverCache {
  private readonly entries = new Map<string, { field: string; value: unknown; expiresAt: number }>();

  constructor(
    private readonly behavior: string,
    private readonly ttlSeconds: number,
    private readonly resolvers: ReadonlyMap<string, ResolverCaching>,
    private readonly now: () => number = Date.now,
  ) {}

  static fromConfig(config: AppSyncConfig, now?: () => number): ResolverCache {
    const api = config.caching;
    return new ResolverCache(
      api?.enabled === false ? 'NONE' : (api?.behavior ?? 'NONE'),
      api?.ttl || DEFAULT_TTL_SECONDS,
      resolverCachingOf(config),
      now,
    );
  }

  /** The key of one call of `field`, or undefined when that resolver is not cached. */
  keyOf(field: string, context: CacheKeyContext): string | undefined {
    const caching = this.resolvers.get(field);
    if (!caching) return undefined;
    const values = caching.keys
      ? caching.keys.map((k) => valueAt(context, k))
      : [context.arguments, context.identity, context.source];
    return `${field}|${canonical(values)}`;
  }

  /** The answer cached under `key`, if it has not expired. */
  get(key: string): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  set(key: string, value: unknown): void {
    const field = key.slice(0, key.indexOf('|'));
    const caching = this.resolvers.get(field);
    if (!caching) return;
    this.entries.delete(key);
    this.entries.set(key, { field, value, expiresAt: this.now() + caching.ttlSeconds * 1000 });
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Drop every entry (AppSync's FlushApiCache); answers how many were live. */
  flush(): number {
    const live = this.liveEntries().length;
    this.entries.clear();
    return live;
  }

  status(): CacheStatus {
    const live = this.liveEntries();
    return {
      behavior: this.behavior,
      ttlSeconds: this.ttlSeconds,
      entries: live.length,
      resolvers: [...this.resolvers.values()].map((r) => ({
        field: r.field,
        ttlSeconds: r.ttlSeconds,
        keys: r.keys ?? null,
        entries: live.filter((e) => e.field === r.field).length,
      })),
    };
  }

  private liveEntries() {
    const now = this.now();
    return [...this.entries.values()].filter((e) => e.expiresAt > now);
  }
}
