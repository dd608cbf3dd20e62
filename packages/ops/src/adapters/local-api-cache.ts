/**
 * The local stack's resolver cache, through the endpoint its GraphQL server serves for it (named
 * in endpoints.json as `graphql.cacheUrl`): GET says what is cached, DELETE flushes it. The
 * local Cognito operator's token authorises both, as AppSync's control plane wants an operator.
 */
import { UpstreamError } from '@opendata-pulse/shared/errors';
import type { LocalApiCache, LocalApiCacheStatus } from '../use-cases/api-cache.use-case';

export interface LocalApiCacheEndpoint {
  url: string;
  /** `Authorization` of the local Cognito operator */
  token: string;
}

async function request<T>(endpoint: LocalApiCacheEndpoint, method: 'GET' | 'DELETE'): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method,
      headers: { authorization: endpoint.token },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new UpstreamError(`cannot reach the local API cache at ${endpoint.url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the text itself says what went wrong
    }
    throw new UpstreamError(`the local API cache at ${endpoint.url} answered HTTP ${response.status}: ${message}`, {
      status: response.status,
    });
  }
  return JSON.parse(text) as T;
}

export function localApiCache(endpoint: LocalApiCacheEndpoint): LocalApiCache {
  return {
    status: () => request<LocalApiCacheStatus>(endpoint, 'GET'),
    flush: async () => (await request<{ flushed: number }>(endpoint, 'DELETE')).flushed,
  };
}
