/**
 * The GraphQL API served locally the way AppSync serves it: the same schema.graphql (with AppSync's
 * scalars and auth directives defined by a prelude), the resolvers and batch sizes of appsync.yml,
 * the same direct-Lambda events handed to the same handler (`invoke`), `x-api-key` and the field
 * auth directives enforced, and errors in AppSync's shape (`errors[].errorType`, `message`).
 * GraphiQL (bundled, works offline) at GET /graphql in a browser.
 *
 * Local Cognito users: requests with `Authorization: <token>` (or `Bearer <token>`) are a
 * Cognito user when the token is one of `operatorTokens` (group `operators`) or `cognitoUsers`.
 *
 * With `caching`, appsync.yml's resolver cache answers repeated calls without invoking the
 * function (./resolver-cache); operators read and flush it at CACHE_PATH (./cache-endpoint).
 *
 * Tooling only (used by the local stack and tests): no Lambda bundle imports this module.
 *
 * graphql is imported as `graphql/index.js` throughout src/local: graphql 16 ships CJS and ESM
 * builds without an exports map, Node gives graphql-yoga the CJS one, and a bundler-style resolver
 * (vitest) would give a bare `graphql` import the ESM one: two instances, which graphql refuses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import {
  defaultFieldResolver,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
  NoSchemaIntrospectionCustomRule,
  type ValidationRule,
} from 'graphql/index.js';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import {
  type AuthRule,
  authenticate,
  type Caller,
  fieldRules,
  identityOf,
  isAllowed,
  type LocalCognitoUser,
} from './appsync-auth';
import { type ResolverSpec, readAppSyncConfig, readSchemaSdl, resolverSpecs } from './appsync-config';
import { appSyncError, isFunctionErrorPayload, lambdaError } from './appsync-errors';
import { buildDirectLambdaEvent } from './appsync-events';
import { APPSYNC_PRELUDE } from './appsync-prelude';
import { APPSYNC_SCALARS } from './appsync-scalars';
import { BatchInvoker } from './batch-invoker';
import { CACHE_PATH, serveCacheRequest } from './cache-endpoint';
import { graphiqlDefaultQuery } from './graphiql-examples';
import { ResolverCache } from './resolver-cache';

export interface GraphqlServerOptions {
  port: number;
  host?: string;
  /** the API key callers send as `x-api-key` */
  apiKey: string;
  /** calls the resolver Lambda's handler with a direct-Lambda event (or a BatchInvoke array) */
  invoke: (event: unknown) => Promise<unknown>;
  /** tokens that authenticate as a Cognito user in the `operators` group */
  operatorTokens?: readonly string[];
  /** further local Cognito users */
  cognitoUsers?: readonly LocalCognitoUser[];
  /** serve introspection (and so GraphiQL's docs); AppSync has it off in prod. Default true. */
  introspection?: boolean;
  appSyncConfigPath?: string;
  schemaPath?: string;
  /** apply appsync.yml's resolver cache (default false: every call reaches the function) */
  caching?: boolean;
}

export interface GraphqlServer {
  url: string;
  /** the resolver cache's status (GET) and flush (DELETE) endpoint, when `caching` is on */
  cacheUrl?: string;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

interface RequestContext {
  caller: Caller;
  /** resolvers run so far in this request (AppSync's resolver count limit) */
  resolverCount: number;
  identity: Record<string, unknown> | null;
  headers: Record<string, string>;
  batches: BatchInvoker;
}

function resolverFor(
  spec: ResolverSpec,
  invoke: GraphqlServerOptions['invoke'],
  resolverCountLimit: number | undefined,
  cache: ResolverCache | undefined,
): GraphQLFieldResolver<unknown, RequestContext> {
  const field = `${spec.typeName}.${spec.fieldName}`;
  return async (source, args, context, info) => {
    context.resolverCount++;
    if (resolverCountLimit !== undefined && context.resolverCount > resolverCountLimit) {
      throw appSyncError('ResolverExecutionLimitReached', `Resolver count limit of ${resolverCountLimit} reached`);
    }
    const event = buildDirectLambdaEvent({
      args,
      source,
      identity: context.identity,
      headers: context.headers,
      info,
    });
    const cacheKey = cache?.keyOf(field, event);
    const cached = cacheKey === undefined ? undefined : cache?.get(cacheKey);
    if (cached) return cached.value;
    let result: unknown;
    if (spec.maxBatchSize > 0) result = await context.batches.load(field, spec.maxBatchSize, event);
    else {
      try {
        result = await invoke(event);
      } catch (error) {
        throw lambdaError(error);
      }
      if (isFunctionErrorPayload(result)) throw lambdaError(result);
    }
    if (cacheKey !== undefined) cache?.set(cacheKey, result);
    return result;
  };
}

/** Selection depth of the field being resolved: its path without list indexes. */
function depthOf(path: GraphQLResolveInfo['path'] | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev) if (typeof p.key === 'string') depth++;
  return depth;
}

/**
 * Every field of the schema's own types checks, before it resolves, the depth limit (AppSync
 * answers fields past it with `QueryDepthLimitReached`, the query itself still runs) and the
 * caller against its auth directives. Introspection fields are not ours and are not checked.
 */
function enforceFieldRules(schema: GraphQLSchema, depthLimit: number | undefined): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rules: AuthRule[] = fieldRules(type, field);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: RequestContext, info) => {
        if (depthLimit !== undefined && depthOf(info.path) > depthLimit) {
          throw appSyncError('QueryDepthLimitReached', `Query depth limit of ${depthLimit} reached`);
        }
        if (!isAllowed(context.caller, rules)) {
          throw appSyncError('Unauthorized', `Not Authorized to access ${field.name} on type ${type.name}`);
        }
        return resolve(source, args, context, info);
      };
    }
  }
}

/** AppSync's error entries: resolver errors carry errorType, data and errorInfo; others don't. */
function toAppSyncErrors(errors: readonly GraphQLError[]) {
  return errors.map((error) => {
    const errorType = error.extensions?.errorType;
    const locations = error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null;
    return typeof errorType === 'string'
      ? { path: error.path ?? null, data: null, errorType, errorInfo: null, locations, message: error.message }
      : { path: error.path ?? null, locations, message: error.message };
  });
}

function validationRulesPlugin(rules: readonly ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

function appSyncShapePlugin(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result)) return;
      const r = result as ExecutionResult;
      if (!r.errors?.length) return;
      setResult({ data: r.data ?? null, errors: toAppSyncErrors(r.errors) } as unknown as ExecutionResult);
    },
  };
}

export async function startGraphqlServer(options: GraphqlServerOptions): Promise<GraphqlServer> {
  const host = options.host ?? '127.0.0.1';
  const config = readAppSyncConfig(options.appSyncConfigPath);
  const users: LocalCognitoUser[] = [
    ...(options.operatorTokens ?? []).map((token, i) => ({
      token,
      username: `operator-${i + 1}`,
      groups: ['operators'],
    })),
    ...(options.cognitoUsers ?? []),
  ];

  const cache = options.caching ? ResolverCache.fromConfig(config) : undefined;
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, RequestContext>>> = {};
  for (const spec of resolverSpecs(config)) {
    resolvers[spec.typeName] ??= {};
    (resolvers[spec.typeName] as Record<string, GraphQLFieldResolver<unknown, RequestContext>>)[spec.fieldName] =
      resolverFor(spec, options.invoke, config.resolverCountLimit, cache);
  }
  const schema = createSchema<RequestContext>({
    typeDefs: [APPSYNC_PRELUDE, readSchemaSdl(options.schemaPath)],
    resolvers: { ...APPSYNC_SCALARS, ...resolvers },
  });
  enforceFieldRules(schema, config.queryDepthLimit);

  const rules: ValidationRule[] = options.introspection === false ? [NoSchemaIntrospectionCustomRule] : [];

  const auth = { apiKey: options.apiKey, users };
  const yoga = createYoga<{ sourceIp?: string }, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    maskedErrors: false,
    logging: 'error',
    landingPage: false,
    renderGraphiQL,
    graphiql: {
      title: 'OpenData Pulse GraphQL (local)',
      headers: JSON.stringify({ 'x-api-key': options.apiKey }),
      defaultQuery: graphiqlDefaultQuery(),
    },
    context: ({ request, sourceIp }) => {
      const authn = authenticate(request.headers, auth);
      // onRequest has already refused unauthenticated requests.
      const caller: Caller = authn.ok ? authn.caller : { mode: 'API_KEY' };
      return {
        caller,
        resolverCount: 0,
        identity: identityOf(caller, sourceIp ?? '127.0.0.1'),
        headers: Object.fromEntries([...request.headers.entries()].map(([k, v]) => [k.toLowerCase(), v])),
        batches: new BatchInvoker(options.invoke),
      };
    },
    plugins: [
      {
        onRequest({ request, endResponse, fetchAPI }) {
          const accept = request.headers.get('accept') ?? '';
          if (request.method === 'OPTIONS' || (request.method === 'GET' && accept.includes('text/html'))) return;
          const authn = authenticate(request.headers, auth);
          if (!authn.ok) {
            endResponse(
              new fetchAPI.Response(
                JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: authn.message }] }),
                {
                  status: 401,
                  headers: { 'content-type': 'application/json' },
                },
              ),
            );
          }
        },
      },
      validationRulesPlugin(rules),
      appSyncShapePlugin(),
    ],
  });

  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] === CACHE_PATH) serveCacheRequest(req, res, cache, auth);
    else void yoga(req, res, { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${GRAPHQL_PATH}`,
    ...(cache ? { cacheUrl: `http://${urlHost}:${port}${CACHE_PATH}` } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export { inProcessInvoke, lambdaContext } from './in-process-invoke';
