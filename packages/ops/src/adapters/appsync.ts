/** Finding the project's AppSync API in an account: by `--api-id`, or by its name for the stage. */
import {
  type AppSyncClient,
  type GraphqlApi,
  ListApiKeysCommand,
  ListGraphqlApisCommand,
} from '@aws-sdk/client-appsync';
import { NotFoundError } from '@opendata-pulse/shared/errors';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import type { ApiKeyExpiry } from '../domain/api-key-expiry';

/** Names the API service may give its AppSync API for a stage, most likely first. */
export function apiNameCandidates(stage: string): string[] {
  return [...new Set([stageName(BASE_NAMES.apiFunction, stage), `${BASE_NAMES.apiFunction}-${stage}`])];
}

export async function findGraphqlApi(appsync: AppSyncClient, stage: string, apiId?: string): Promise<GraphqlApi> {
  const names = apiNameCandidates(stage);
  const apis: GraphqlApi[] = [];
  let token: string | undefined;
  do {
    const page = await appsync.send(new ListGraphqlApisCommand({ nextToken: token }));
    apis.push(...(page.graphqlApis ?? []));
    token = page.nextToken;
  } while (token);
  const found = apiId
    ? apis.find((a) => a.apiId === apiId)
    : names.map((n) => apis.find((a) => a.name === n)).find((a) => a !== undefined);
  if (!found?.apiId) {
    throw new NotFoundError(
      apiId ? `no AppSync API with id ${apiId}` : `no AppSync API named ${names.join(' or ')}; pass --api-id`,
    );
  }
  return found;
}

/** Every API key of the API with its expiry, all pages. */
export async function apiKeyExpiries(appsync: AppSyncClient, apiId: string): Promise<ApiKeyExpiry[]> {
  const keys: ApiKeyExpiry[] = [];
  let token: string | undefined;
  do {
    const page = await appsync.send(new ListApiKeysCommand({ apiId, nextToken: token }));
    for (const k of page.apiKeys ?? [])
      if (k.id && k.expires !== undefined) keys.push({ id: k.id, expires: k.expires });
    token = page.nextToken;
  } while (token);
  return keys;
}

/** An API key that has not expired (AppSync API keys are sent as their id). */
export async function usableApiKey(appsync: AppSyncClient, apiId: string, now: number): Promise<string | undefined> {
  const { apiKeys = [] } = await appsync.send(new ListApiKeysCommand({ apiId }));
  return apiKeys
    .filter((k) => k.id && (k.expires === undefined || k.expires * 1000 > now))
    .sort((a, b) => (b.expires ?? 0) - (a.expires ?? 0))[0]?.id;
}
