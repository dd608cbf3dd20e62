/**
 * How each field of the local GraphQL API resolves, as AppSync resolves it: a resolver of
 * appsync.yml invokes the Lambda (batched by maxBatchSize, answered from the resolver cache when
 * caching is on) or runs a NONE data source's APPSYNC_JS code; every field of the schema's own
 * types first checks the depth limit and the caller against its auth directives.
 */
import { pathToFileURL } from 'node:url';
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
} from 'graphql/index.js';
import { type AuthRule, type Caller, fieldRules, isAllowed } from './appsync-auth';
import type { ResolverSpec } from './appsync-config';
import { appSyncError, isFunctionErrorPayload, lambdaError } from './appsync-errors';
import { buildDirectLambdaEvent } from './appsync-events';
import type { BatchInvoker } from './batch-invoker';
import type { ResolverCache } from './resolver-cache';

export interface RequestContext {
  caller: Caller;
  /** resolvers run so far in this request (AppSync's resolver count limit) */
  resolverCount: number;
  identity: Record<string, unknown> | null;
  headers: Record<string, string>;
  batches: BatchInvoker;
}

export function resolverFor(
  spec: ResolverSpec,
  invoke: (event: unknown) => Promise<unknown>,
  resolverCountLimit: number | undefined,
  cache: ResolverCache | undefined,
): GraphQLFieldResolver<unknown, RequestContext> {
  const field = `${spec.typeName}.${spec.fieldName}`;
  if (spec.dataSourceType === 'NONE') return noneResolver(spec, resolverCountLimit);
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

interface AppSyncJsResolver {
  request(ctx: Record<string, unknown>): { payload?: unknown } | undefined;
  response(ctx: Record<string, unknown>): unknown;
}

/**
 * A NONE data source: AppSync runs the resolver's request handler, hands its `payload` to the
 * response handler as `ctx.result`, and answers what that returns. The same APPSYNC_JS file runs here.
 */
function noneResolver(
  spec: ResolverSpec,
  resolverCountLimit: number | undefined,
): GraphQLFieldResolver<unknown, RequestContext> {
  const field = `${spec.typeName}.${spec.fieldName}`;
  const { codePath } = spec;
  if (!codePath) {
    throw new Error(`appsync.yml: ${field} uses a NONE data source without \`code\` (VTL is not emulated locally)`);
  }
  let code: Promise<AppSyncJsResolver> | undefined;
  return async (source, args, context, info) => {
    context.resolverCount++;
    if (resolverCountLimit !== undefined && context.resolverCount > resolverCountLimit) {
      throw appSyncError('ResolverExecutionLimitReached', `Resolver count limit of ${resolverCountLimit} reached`);
    }
    code ??= import(pathToFileURL(codePath).href) as Promise<AppSyncJsResolver>;
    const { request, response } = await code;
    const ctx: Record<string, unknown> = {
      arguments: args,
      args,
      identity: context.identity,
      source: source ?? null,
      request: { headers: context.headers },
      info: { parentTypeName: info.parentType.name, fieldName: info.fieldName, variables: info.variableValues },
      stash: {},
      prev: {},
    };
    try {
      const result = request(ctx)?.payload ?? null;
      return response({ ...ctx, result });
    } catch (error) {
      throw appSyncError('Code', (error as Error).message);
    }
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
export function enforceFieldRules(schema: GraphQLSchema, depthLimit: number | undefined): void {
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
