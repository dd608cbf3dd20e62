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
 * IAM: a request signed with SigV4 (service `appsync`) by one of `iamCredentials` is an IAM caller
 * (./appsync-iam). A resolver on a NONE data source runs its APPSYNC_JS code from appsync.yml.
 * Real-time: AppSync's WebSocket protocol at REALTIME_PATH on the same port (./appsync-realtime);
 * a mutation's answer reaches the subscriptions that `@aws_subscribe` to it.
 *
 * Tooling only (used by the local stack and tests): no Lambda bundle imports this module.
 *
 * graphql is imported as `graphql/index.js` throughout src/local: graphql 16 ships CJS and ESM
 * builds without an exports map, Node gives graphql-yoga the CJS one, and a bundler-style resolver
 * (vitest) would give a bare `graphql` import the ESM one: two instances, which graphql refuses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { DEFAULT_REGION } from '@opendata-pulse/shared/config';
import {
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
  getOperationAST,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type ValidationRule,
} from 'graphql/index.js';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { authenticate, type Caller, identityOf, type LocalCognitoUser } from './appsync-auth';
import { readAppSyncConfig, readSchemaSdl, resolverSpecs } from './appsync-config';
import { type IamCredentials, isSigV4, verifySigV4 } from './appsync-iam';
import { APPSYNC_PRELUDE } from './appsync-prelude';
import { REALTIME_PATH, RealtimeHub } from './appsync-realtime';
import { enforceFieldRules, type RequestContext, resolverFor } from './appsync-resolvers';
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
  /** credentials whose SigV4 signatures make an IAM caller (default the local stack's) */
  iamCredentials?: readonly IamCredentials[];
  /** the region IAM signatures are scoped to (default ap-southeast-2) */
  region?: string;
  /** how often the real-time endpoint sends `ka` (default 60 s) */
  keepAliveMs?: number;
  /**
   * other pages on the same port (the dashboard), given this server's paths: the handler answers
   * true when it handled the request
   */
  site?: (paths: { graphql: string; realtime: string }) => (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface GraphqlServer {
  url: string;
  /** AppSync's real-time endpoint: `ws://host:port/graphql/realtime` */
  realtimeUrl: string;
  /** subscriptions open on the real-time endpoint now */
  subscriptionCount(): number;
  /** the resolver cache's status (GET) and flush (DELETE) endpoint, when `caching` is on */
  cacheUrl?: string;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

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

/** The caller a request authenticates as; API_KEY when it does not (the request is refused before it runs). */
function callerOf(headers: Request['headers'], auth: Parameters<typeof authenticate>[1]): Caller {
  const authn = authenticate(headers, auth);
  return authn.ok ? authn.caller : { mode: 'API_KEY' };
}

function validationRulesPlugin(rules: readonly ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

/**
 * After a mutation ran, each of its top-level answers goes to the real-time hub by field name:
 * what the mutation selected is what subscribers can receive.
 */
function publishMutationsPlugin(hub: RealtimeHub): Plugin {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      return {
        onExecuteDone({ result }) {
          if (Array.isArray(result) || !result || typeof result !== 'object' || !('data' in result)) return;
          const data = (result as ExecutionResult).data;
          if (!data) return;
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== Kind.FIELD) continue;
            const value = data[selection.alias?.value ?? selection.name.value];
            if (value) hub.publish(selection.name.value, value);
          }
        },
      };
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
  for (const spec of resolverSpecs(config, options.appSyncConfigPath)) {
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
  const iam = { credentials: options.iamCredentials ?? [LOCAL_CREDENTIALS], region: options.region ?? DEFAULT_REGION };
  const hub = new RealtimeHub({
    schema,
    auth,
    keepAliveMs: options.keepAliveMs,
    contextFor: (caller) => ({
      caller,
      resolverCount: 0,
      identity: identityOf(caller, '127.0.0.1'),
      headers: {},
      batches: new BatchInvoker(options.invoke),
    }),
  });
  // Who each request is, as onRequest authenticated it: the context reuses it instead of hashing the secrets again.
  const callers = new WeakMap<Request, Caller>();
  const yoga = createYoga<{ sourceIp?: string }, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    maskedErrors: false,
    logging: 'error',
    landingPage: false,
    // GraphiQL's page (8.8 MB of script) loads when a browser first asks for it, not at start.
    renderGraphiQL: async (graphiql) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiql),
    graphiql: {
      title: 'OpenData Pulse GraphQL (local)',
      headers: JSON.stringify({ 'x-api-key': options.apiKey }),
      defaultQuery: graphiqlDefaultQuery(),
    },
    context: ({ request, sourceIp }) => {
      // onRequest has already authenticated the request (and refused it when that failed).
      const caller: Caller = callers.get(request) ?? callerOf(request.headers, auth);
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
        async onRequest({ request, endResponse, fetchAPI }) {
          const accept = request.headers.get('accept') ?? '';
          if (request.method === 'OPTIONS' || (request.method === 'GET' && accept.includes('text/html'))) return;
          const refuse = (message: string) =>
            endResponse(
              new fetchAPI.Response(JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message }] }), {
                status: 401,
                headers: { 'content-type': 'application/json' },
              }),
            );
          const authn = authenticate(request.headers, auth);
          if (!authn.ok) return refuse(authn.message);
          callers.set(request, authn.caller);
          if (isSigV4(request.headers.get('authorization'))) {
            const url = new URL(request.url);
            const verified = await verifySigV4(
              {
                method: request.method,
                url: `${url.pathname}${url.search}`,
                headers: Object.fromEntries(request.headers.entries()),
                body: request.method === 'GET' ? '' : await request.clone().text(),
              },
              iam,
            );
            if (!verified.ok) refuse(verified.message);
          }
        },
      },
      validationRulesPlugin(rules),
      publishMutationsPlugin(hub),
      appSyncShapePlugin(),
    ],
  });

  const site = options.site?.({ graphql: GRAPHQL_PATH, realtime: REALTIME_PATH });
  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] === CACHE_PATH) serveCacheRequest(req, res, cache, auth);
    else if (site?.(req, res)) return;
    else void yoga(req, res, { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' });
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.split('?')[0] === REALTIME_PATH) hub.handleUpgrade(req, socket, head);
    else socket.destroy();
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
    realtimeUrl: `ws://${urlHost}:${port}${REALTIME_PATH}`,
    subscriptionCount: () => hub.subscriptionCount,
    ...(cache ? { cacheUrl: `http://${urlHost}:${port}${CACHE_PATH}` } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        hub.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export { inProcessInvoke, lambdaContext } from './in-process-invoke';
