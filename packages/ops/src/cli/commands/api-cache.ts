/** `pulse api-cache status|enable|flush`: the AppSync API's resolver cache. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import {
  type ApiCacheState,
  type ApiRef,
  enableApiCache,
  flushApiCache,
  showApiCache,
} from '../../use-cases/api-cache.use-case';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

async function apiRef(ctx: CommandContext, apiId?: string): Promise<ApiRef> {
  const target = await ctx.awsTarget('api-cache', 'the local GraphQL server has no cache');
  return { stage: target.stage, ...(apiId !== undefined ? { apiId } : {}) };
}

function describeCache(cache: ApiCacheState['cache']): string {
  if (!cache) return 'no cache';
  return `${cache.status} ${cache.type} ${cache.apiCachingBehavior}, TTL ${cache.ttl}s, encryption at rest ${cache.atRestEncryptionEnabled ? 'on' : 'off'}, in transit ${cache.transitEncryptionEnabled ? 'on' : 'off'}`;
}

export function registerApiCache(program: Command, deps: ProgramDeps): void {
  const cache = program
    .command('api-cache')
    .description("the AppSync API's cache (per-resolver caching keyed on the arguments)");
  const apiIdOption = ['--api-id <id>', 'AppSync API id (default: found by the stage name)'] as const;

  cache
    .command('status')
    .option(...apiIdOption)
    .action(
      action(deps, async (ctx, opts: { apiId?: string }) => {
        const ref = await apiRef(ctx, opts.apiId);
        const state = await showApiCache(await ctx.clients(), ref);
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
        const state = await enableApiCache(await ctx.clients(), ref, { ttl, type: opts.type });
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
        const ref = await apiRef(ctx, opts.apiId);
        const api = await flushApiCache(await ctx.clients(), ref);
        return {
          data: { apiId: api.apiId, flushed: true },
          lines: [`${ctx.c.green('✓')} cache of ${api.apiName} (${api.apiId}) flushed`],
        };
      }),
    );
}
