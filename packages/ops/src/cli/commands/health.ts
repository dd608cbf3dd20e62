/** `pulse health`: the runbook's health check, one line per check and a verdict. */
import type { Command } from 'commander';
import type { OpsTarget } from '../../deployment/deployment';
import type { HealthReport } from '../../use-cases/health-checks';
import { healthReport } from '../../use-cases/health-report.use-case';
import { checkLine, formatMinutes } from '../format';
import { action, type Colors, type ProgramDeps } from '../runtime';

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
        const target = await ctx.target();
        const report = await healthReport(target, await ctx.clients(), {
          now: ctx.now(),
          ...(opts.apiId !== undefined ? { apiId: opts.apiId } : {}),
        });
        return { data: report, lines: renderHealth(ctx.c, report, target), problem: !report.healthy };
      }),
    );
}
