import type { Command } from 'commander';
import { findGraphqlApi, usableApiKey } from '../../adapters/appsync';
import { graphqlProbe } from '../../adapters/graphql';
import { resolveQueues } from '../../adapters/queues';
import type { OpsClients } from '../../deployment/clients';
import type { OpsTarget } from '../../deployment/deployment';
import { type ApiCheck, type HealthReport, runHealthChecks } from '../../use-cases/health-checks';
import { checkLine, formatMinutes } from '../format';
import { action, type Colors, type CommandContext, type ProgramDeps } from '../runtime';

/** The API check for the CLI: a real GraphQL query (locally with the stack's key; in AWS with a key AppSync lists). */
async function apiCheckFor(target: OpsTarget, clients: OpsClients, now: number, apiId?: string): Promise<ApiCheck> {
  if (target.graphql) return graphqlProbe(target.graphql.url, target.graphql.apiKey);
  const api = await findGraphqlApi(clients.appsync, target.stage, apiId);
  const url = api.uris?.GRAPHQL;
  const key = api.apiId ? await usableApiKey(clients.appsync, api.apiId, now) : undefined;
  if (url && key) return graphqlProbe(url, key);
  return async () => ({
    status: 'warn' as const,
    detail: `${api.name} exists (${api.apiId}) but has no usable API key to send a test query`,
  });
}

export async function healthReport(ctx: CommandContext, apiId?: string): Promise<HealthReport> {
  const target = await ctx.target();
  const clients = await ctx.clients();
  const queues = await resolveQueues(clients.sqs, target);
  const now = ctx.now();
  let api: ApiCheck;
  try {
    api = await apiCheckFor(target, clients, now, apiId);
  } catch (error) {
    api = async () => ({ status: 'fail' as const, detail: (error as Error).message });
  }
  return runHealthChecks(
    {
      mode: target.mode,
      stage: target.stage,
      // the local stack hosts the three service functions; the health-check Lambda is AWS only
      functions:
        target.mode === 'local'
          ? { ingest: target.functions.ingest, etl: target.functions.etl, api: target.functions.api }
          : target.functions,
      table: target.table,
      rawBucket: target.rawBucket,
      curatedBucket: target.curatedBucket,
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
    },
    clients,
    { now, api },
  );
}

export function describeTarget(target: OpsTarget): string {
  return target.mode === 'local'
    ? `local stack (stage ${target.stage})`
    : `stage ${target.stage} (AWS ${target.accountId}, ${target.region})`;
}

export function renderHealth(c: Colors, report: HealthReport, target: OpsTarget): string[] {
  const width = Math.max(...report.checks.map((ch) => ch.name.length));
  const lines = [c.bold(`OpenData Pulse health — ${describeTarget(target)} at ${report.checkedAt}`), ''];
  for (const check of report.checks) lines.push(checkLine(c, check.status, check.name, check.detail, width));
  const f = report.freshness;
  const colour = f.verdict === 'FRESH' ? c.green : f.verdict === 'LAGGING' ? c.yellow : c.red;
  const figures = [
    f.tableAgeMinutes !== undefined ? `table ${formatMinutes(f.tableAgeMinutes)} old` : 'table empty',
    f.rawAgeMinutes !== undefined ? `raw ${formatMinutes(f.rawAgeMinutes)} old` : 'raw empty',
  ].join(', ');
  lines.push('', `Data freshness: ${colour(c.bold(f.verdict))} — ${f.explanation} (${figures})`);
  lines.push(report.healthy ? c.green(c.bold('HEALTHY')) : c.red(c.bold('UNHEALTHY')));
  return lines;
}

export function registerHealth(program: Command, deps: ProgramDeps): void {
  program
    .command('health')
    .description("the runbook's health check: functions, table, buckets, freshness, queues, circuit breakers, API")
    .option('--api-id <id>', 'AppSync API id (default: found by the stage name)')
    .action(
      action(deps, async (ctx, opts: { apiId?: string }) => {
        const report = await healthReport(ctx, opts.apiId);
        return { data: report, lines: renderHealth(ctx.c, report, await ctx.target()), problem: !report.healthy };
      }),
    );
}
