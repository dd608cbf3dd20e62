/** `pulse api latency`: how fast the GraphQL API answers, overall and per resolver (CloudWatch). */
import type { Command } from 'commander';
import { parsePositiveInt } from '../../domain/hour-range';
import type { Percentiles } from '../../domain/latency-window';
import type { ApiLatencyReport } from '../../use-cases/api-latency.use-case';
import { formatMs, table } from '../format';
import { action, type Colors, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadApiLatencyUseCase = () => import('../../use-cases/api-latency.use-case');

const ms = (v: number | undefined) => (v === undefined ? '-' : formatMs(v));

function percentileCells(c: Colors, latency: Percentiles, thresholdMs: number): string[] {
  const p99 = ms(latency.p99);
  return [ms(latency.p50), ms(latency.p90), latency.p99 !== undefined && latency.p99 > thresholdMs ? c.red(p99) : p99];
}

function render(c: Colors, r: ApiLatencyReport): string[] {
  const lines = [
    c.bold(
      `AppSync API ${r.apiName ?? r.apiId} (${r.apiId}), last ${r.window.minutes} min (${r.window.from} → ${r.window.to})`,
    ),
    '',
    ...table(
      [
        [
          'API',
          String(r.requests),
          String(r.errors4xx),
          String(r.errors5xx),
          ...percentileCells(c, r.latencyMs, r.thresholdMs),
        ],
      ],
      ['', 'requests', '4XX', '5XX', 'p50', 'p90', 'p99'],
      c,
    ),
  ];
  if (r.resolvers.length > 0) {
    lines.push(
      '',
      ...table(
        r.resolvers.map((x) => [x.resolver, String(x.requests), ...percentileCells(c, x.latency, r.thresholdMs)]),
        ['resolver', 'requests', 'p50', 'p90', 'p99'],
        c,
      ),
    );
  } else {
    lines.push('', c.dim('no resolver-level latency in the window (enhanced metrics off, or no request)'));
  }
  lines.push('');
  if (r.requests === 0) lines.push(c.yellow('! no request in the window: nothing to judge'));
  else if (r.slow)
    lines.push(
      c.red(`✗ SLOW: p99 ${ms(r.latencyMs.p99)} is over ${formatMs(r.thresholdMs)} (runbook: api-latency-and-errors)`),
    );
  else lines.push(c.green(`✓ p99 ${ms(r.latencyMs.p99)} is within ${formatMs(r.thresholdMs)}`));
  return lines;
}

export function registerApi(program: Command, deps: ProgramDeps): void {
  const api = program.command('api').description('the GraphQL API as CloudWatch sees it');
  api
    .command('latency')
    .description('AppSync latency p50/p90/p99, 4XX/5XX and per-resolver latency; exit 1 when p99 > 2 s')
    .option('--minutes <n>', 'how far back, in minutes (1-1440)', '15')
    .option('--api-id <id>', 'AppSync API id (default: found by the stage name)')
    .action(
      action(deps, async (ctx, opts: { minutes: string; apiId?: string }) => {
        const minutes = parsePositiveInt(opts.minutes, '--minutes', 24 * 60);
        const target = await ctx.awsTarget('api latency', 'the local GraphQL server publishes no CloudWatch metrics');
        const clients = await ctx.clients();
        const report = await (await loadApiLatencyUseCase()).apiLatency(
          clients,
          { stage: target.stage, ...(opts.apiId !== undefined ? { apiId: opts.apiId } : {}) },
          { minutes, now: ctx.now() },
        );
        return { data: report, lines: render(ctx.c, report), problem: report.slow };
      }),
    );
}
