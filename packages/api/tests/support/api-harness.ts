/**
 * The API as the local stack runs it: the real handler invoked in-process behind the local
 * GraphQL server, reading dynalite through a DynamoDB client that counts the commands it sends.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inProcessInvoke, startGraphqlServer } from '@opendata-pulse/local/appsync';
import type {} from '@opendata-pulse/local/vitest-setup';
import { createDynamoDocClient, LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { parseConfig } from '@opendata-pulse/shared/config';
import { createLogger } from '@opendata-pulse/shared/observability';
import { inject } from 'vitest';
import { apiConfigSchema, buildRuntime } from '../../src/composition';
import { createApiHandler, SERVICE_NAME } from '../../src/handler';

export const API_KEY = 'local-test-api-key';
export const OPERATOR_TOKEN = 'local-operator-token';
export const USER_TOKEN = 'local-user-token';

export interface CountingClient {
  client: DynamoDBDocumentClient;
  /** DynamoDB commands sent since the last reset, by command name */
  counts(): Record<string, number>;
  reset(): void;
}

export function countingDocClient(endpoint: string, region: string): CountingClient {
  const client = createDynamoDocClient({ region, endpoint, credentials: LOCAL_CREDENTIALS });
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'dynamoRequestCounter' },
  );
  return {
    client,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}

export interface GraphqlResponse {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { errorType?: string; message: string; path?: (string | number)[] | null }[];
  };
}

export async function startApiHarness(
  options: { now?: () => number; env?: Record<string, string>; tableName?: string; caching?: boolean } = {},
) {
  const { endpoints, resources, region } = inject('localAws');
  const dynamo = countingDocClient(endpoints.dynamodb, region);
  const logger = createLogger(SERVICE_NAME, 'SILENT');
  const config = parseConfig(apiConfigSchema, {
    AWS_REGION: region,
    DYNAMODB_TABLE: options.tableName ?? resources.table,
    CURATED_BUCKET: resources.curatedBucket,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    LOG_LEVEL: 'SILENT',
    ...options.env,
  });
  const runtime = buildRuntime(config, logger, { dynamo: dynamo.client, ...(options.now ? { now: options.now } : {}) });
  const handler = createApiHandler({ logger, runtime: () => runtime });
  let invocations = 0;
  const invoke = inProcessInvoke(handler);
  const server = await startGraphqlServer({
    port: 0,
    apiKey: API_KEY,
    invoke: (event) => {
      invocations++;
      return invoke(event);
    },
    operatorTokens: [OPERATOR_TOKEN],
    cognitoUsers: [{ token: USER_TOKEN, username: 'dashboard-user', groups: [] }],
    caching: options.caching ?? false,
  });

  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = { 'x-api-key': API_KEY },
  ): Promise<GraphqlResponse> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlResponse['body'] };
  }

  return {
    url: server.url,
    cacheUrl: server.cacheUrl,
    table: resources.table,
    resources,
    endpoints,
    region,
    seedClient: dynamo.client,
    dynamo,
    gql,
    invocations: () => invocations,
    resetCounts: () => {
      dynamo.reset();
      invocations = 0;
    },
    async close() {
      await server.close();
      dynamo.client.destroy();
    },
  };
}
