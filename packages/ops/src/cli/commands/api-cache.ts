/**
 * `pulse api-cache status|enable|flush`: the AppSync API's resolver cache; with `--local`, the
 * local GraphQL server's (status and flush; it caches as appsync.yml says, nothing to enable).
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import type { ApiCacheState, ApiRef, LocalApiCache, LocalApiCacheStatus } from '../../use-cases/api-cache.use-case';
import { action, type CommandContext, type CommandOutcome, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadLocalApiCache = () => import('../../adapters/local-api-cache');
const loadApiCacheUseCase = () => import('../../use-cases/api-cache.use-case');

async function apiRef(ctx: CommandContext, apiId?: string): Promise<ApiRef> {
  const target = await ctx.awsTarget('api-cache enable', 'the local stack caches as appsync.yml says while it runs');
  return { stage: target.stage, ...(apiId !== undefined ? { apiId } : {}) };
}

/** The local stack's cache with --local; undefined against AWS. */
async function localCache(ctx: CommandContext): Promise<LocalApiCache | undefined> {
  const target = await ctx.target();
  if (target.mode !== 'local') return undefined;
  if (!target.apiCache) {
    throw new BadRequestError(
      'the running local stack names no API cache in its endpoints.json (it serves GraphQL uncached, or predates the cache): restart it with `pnpm start`',
    );
  }
  return (await loadLocalApiCache()).localApiCache(target.apiCache);
}

function localStatusOutcome(ctx: CommandContext, status: LocalApiCacheStatus): CommandOutcome {
  const fields = status.resolvers.map((r) => {
    const keys = r.keys ? r.keys.map((k) => k.replace(/^\$(context|ctx)\./, '')).join(', ') : 'arguments, identity';
    return `  ${r.field.padEnd(28)} ${String(r.entries).padStart(4)} cached  TTL ${r.ttlSeconds}s  keys ${keys}`;
  });
  return {
    data: status,
    lines: [
      `${ctx.c.green('✓')} local GraphQL server: ${status.behavior}, TTL ${status.ttlSeconds}s, ${status.entries} cached answer(s)`,
      ...fields,
    ],
  };
}

function describeCache(cache: ApiCacheState['cache']): string {
  if (!cache) return 'no cache';
  return `${cache.status} ${cache.type} ${cache.apiCachingBehavior}, TTL ${cache.ttl}s, encryption at rest ${cache.atRestEncryptionEnabled ? 'on' : 'off'}, in transit ${cache.transitEncryptionEnabled ? 'on' : 'off'}`;
}

export function registerApiCache(program: Command, deps: ProgramDeps): void {
  const cache = program
    .command('api-cache')
    .description(
      "the AppSync API's cache (per-resolver caching keyed on the arguments); --local: the local GraphQL server's",
    );
  const apiIdOption = ['--api-id <id>', 'AppSync API id (default: found by the stage name)'] as const;

  cache
    .command('status')
    .description('the cache: its state and settings (AWS), or what it holds per resolver (--local)')
    .option(...apiIdOption)
    .action(
      action(deps, async (ctx, opts: { apiId?: string }) => {
        const local = await localCache(ctx);
        if (local) return localStatusOutcome(ctx, await (await loadApiCacheUseCase()).showLocalApiCache(local));
        const ref = await apiRef(ctx, opts.apiId);
        const state = await (await loadApiCacheUseCase()).showApiCache(await ctx.clients(), ref);
        const ok = state.cache?.status === 'AVAILABLE';
        return {
          data: { apiId: state.apiId, api: state.apiName, cache: state.cache ?? null },
          lines: [
            `${ok ? ctx.c.green('✓') : ctx.c.yellow('!')} ${state.apiName} (${state.apiId}): ${describeCache(state.cache)}`,
          ],
          problem: !ok,
        };
      }),
    );

  cache
    .command('enable')
    .description('create the cache if the API has none (per-resolver caching, encrypted)')
    .option(...apiIdOption)
    .option('--ttl <seconds>', 'cache TTL, 1-3600', '300')
    .option('--type <type>', 'cache instance type', 'SMALL')
    .action(
      action(deps, async (ctx, opts: { apiId?: string; ttl: string; type: string }) => {
        const ttl = Number(opts.ttl);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3600) throw new BadRequestError('--ttl must be 1-3600 seconds');
        const ref = await apiRef(ctx, opts.apiId);
        const state = await (await loadApiCacheUseCase()).enableApiCache(await ctx.clients(), ref, {
          ttl,
          type: opts.type,
        });
        const { c } = ctx;
        return {
          data: { apiId: state.apiId, created: state.created, cache: state.cache },
          lines: state.created
            ? [
                `${c.green('✓')} cache created for ${state.apiName}: ${describeCache(state.cache)}`,
                '  it takes a few minutes to become AVAILABLE; the caching keys come from the deployed resolvers',
              ]
            : [`${c.green('✓')} ${state.apiName} already has a cache: ${describeCache(state.cache)}`],
        };
      }),
    );

  cache
    .command('flush')
    .description('drop every cached answer (after a data fix, so users see it at once)')
    .option(...apiIdOption)
    .action(
      action(deps, async (ctx, opts: { apiId?: string }) => {
        const local = await localCache(ctx);
        if (local) {
          const { flushed } = await (await loadApiCacheUseCase()).flushLocalApiCache(local);
          return {
            data: { flushed },
            lines: [
              `${ctx.c.green('✓')} cache of the local GraphQL server flushed (${flushed} cached answer(s) dropped)`,
            ],
          };
        }
        const ref = await apiRef(ctx, opts.apiId);
        const api = await (await loadApiCacheUseCase()).flushApiCache(await ctx.clients(), ref);
        return {
          data: { apiId: api.apiId, flushed: true },
          lines: [`${ctx.c.green('✓')} cache of ${api.apiName} (${api.apiId}) flushed`],
        };
      }),
    );
}
