/** `pulse api-cache status|enable|flush`: the AppSync API's resolver cache. */
import {
  type ApiCache,
  type ApiCacheType,
  CreateApiCacheCommand,
  FlushApiCacheCommand,
  GetApiCacheCommand,
} from '@aws-sdk/client-appsync';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { findGraphqlApi } from '../../adapters/appsync';
import { requireAws } from '../aws-only';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

async function apiOf(ctx: CommandContext, apiId?: string) {
  const target = await ctx.target();
  requireAws(target, 'api-cache', 'the local GraphQL server has no cache');
  const { appsync } = await ctx.clients();
  const api = await findGraphqlApi(appsync, target.stage, apiId);
  return { appsync, api, apiId: api.apiId as string };
}

async function cacheOf(_ctx: CommandContext, appsync: Awaited<ReturnType<typeof apiOf>>['appsync'], apiId: string) {
  try {
    return (await appsync.send(new GetApiCacheCommand({ apiId }))).apiCache;
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return undefined;
    throw error;
  }
}

function describeCache(cache: ApiCache | undefined): string {
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
        const { appsync, api, apiId } = await apiOf(ctx, opts.apiId);
        const current = await cacheOf(ctx, appsync, apiId);
        const ok = current?.status === 'AVAILABLE';
        return {
          data: { apiId, api: api.name, cache: current ?? null },
          lines: [`${ok ? ctx.c.green('✓') : ctx.c.yellow('!')} ${api.name} (${apiId}): ${describeCache(current)}`],
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
        const { appsync, api, apiId } = await apiOf(ctx, opts.apiId);
        const current = await cacheOf(ctx, appsync, apiId);
        if (current) {
          return {
            data: { apiId, created: false, cache: current },
            lines: [`${ctx.c.green('✓')} ${api.name} already has a cache: ${describeCache(current)}`],
          };
        }
        const created = await appsync.send(
          new CreateApiCacheCommand({
            apiId,
            ttl,
            type: opts.type as ApiCacheType,
            apiCachingBehavior: 'PER_RESOLVER_CACHING',
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
          }),
        );
        return {
          data: { apiId, created: true, cache: created.apiCache },
          lines: [
            `${ctx.c.green('✓')} cache created for ${api.name}: ${describeCache(created.apiCache)}`,
            '  it takes a few minutes to become AVAILABLE; the caching keys come from the deployed resolvers',
          ],
        };
      }),
    );

  cache
    .command('flush')
    .description('drop every cached answer (after a data fix, so users see it at once)')
    .option(...apiIdOption)
    .action(
      action(deps, async (ctx, opts: { apiId?: string }) => {
        const { appsync, api, apiId } = await apiOf(ctx, opts.apiId);
        await appsync.send(new FlushApiCacheCommand({ apiId }));
        return {
          data: { apiId, flushed: true },
          lines: [`${ctx.c.green('✓')} cache of ${api.name} (${apiId}) flushed`],
        };
      }),
    );
}
