/**
 * The AppSync API's resolver cache: its state, creating it when missing, flushing it after a data
 * fix. On the local stack the same cache is its GraphQL server's (appsync.yml's caching, always on
 * while the stack runs), read and flushed through the LocalApiCache port.
 */
import type { ApiCache, AppSyncClient } from '@aws-sdk/client-appsync';
import { findGraphqlApi } from '../adapters/appsync';
import { createCache, flushCache, readCache } from '../adapters/appsync-cache';

export interface ApiCacheDeps {
  appsync: AppSyncClient;
}

/** `apiId` when given, else the API named for the stage. */
export interface ApiRef {
  stage: string;
  apiId?: string;
}

export interface ApiCacheState {
  apiId: string;
  apiName: string | undefined;
  cache: ApiCache | undefined;
}

async function api(deps: ApiCacheDeps, ref: ApiRef): Promise<{ apiId: string; apiName: string | undefined }> {
  const found = await findGraphqlApi(deps.appsync, ref.stage, ref.apiId);
  return { apiId: found.apiId as string, apiName: found.name };
}

export async function showApiCache(deps: ApiCacheDeps, ref: ApiRef): Promise<ApiCacheState> {
  const { apiId, apiName } = await api(deps, ref);
  return { apiId, apiName, cache: await readCache(deps.appsync, apiId) };
}

/** Create the cache when the API has none; an existing cache is left as it is (`created: false`). */
export async function enableApiCache(
  deps: ApiCacheDeps,
  ref: ApiRef,
  settings: { ttl: number; type: string },
): Promise<ApiCacheState & { created: boolean }> {
  const { apiId, apiName } = await api(deps, ref);
  const current = await readCache(deps.appsync, apiId);
  if (current) return { apiId, apiName, cache: current, created: false };
  const cache = await createCache(deps.appsync, { apiId, ...settings });
  return { apiId, apiName, cache, created: true };
}

export async function flushApiCache(
  deps: ApiCacheDeps,
  ref: ApiRef,
): Promise<{ apiId: string; apiName: string | undefined }> {
  const found = await api(deps, ref);
  await flushCache(deps.appsync, found.apiId);
  return found;
}

/** What the local GraphQL server's cache holds. */
export interface LocalApiCacheStatus {
  behavior: string;
  ttlSeconds: number;
  entries: number;
  resolvers: Array<{ field: string; ttlSeconds: number; keys: string[] | null; entries: number }>;
}

/** The local stack's resolver cache. */
export interface LocalApiCache {
  status(): Promise<LocalApiCacheStatus>;
  /** drop every cached answer; how many there were */
  flush(): Promise<number>;
}

export function showLocalApiCache(cache: LocalApiCache): Promise<LocalApiCacheStatus> {
  return cache.status();
}

export async function flushLocalApiCache(cache: LocalApiCache): Promise<{ flushed: number }> {
  return { flushed: await cache.flush() };
}
