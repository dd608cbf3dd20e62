/** The AppSync API's resolver cache: reading, creating and flushing it. */
import {
  type ApiCache,
  type ApiCacheType,
  type AppSyncClient,
  CreateApiCacheCommand,
  FlushApiCacheCommand,
  GetApiCacheCommand,
} from '@aws-sdk/client-appsync';

/** The API's cache; undefined when it has none. */
export async function readCache(appsync: AppSyncClient, apiId: string): Promise<ApiCache | undefined> {
  try {
    return (await appsync.send(new GetApiCacheCommand({ apiId }))).apiCache;
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return undefined;
    throw error;
  }
}

/** A per-resolver cache (the caching keys come from the deployed resolvers), encrypted at rest and in transit. */
export async function createCache(
  appsync: AppSyncClient,
  input: { apiId: string; ttl: number; type: string },
): Promise<ApiCache | undefined> {
  const created = await appsync.send(
    new CreateApiCacheCommand({
      apiId: input.apiId,
      ttl: input.ttl,
      type: input.type as ApiCacheType,
      apiCachingBehavior: 'PER_RESOLVER_CACHING',
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
    }),
  );
  return created.apiCache;
}

export async function flushCache(appsync: AppSyncClient, apiId: string): Promise<void> {
  await appsync.send(new FlushApiCacheCommand({ apiId }));
}
