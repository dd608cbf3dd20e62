/**
 * `pulse health`: the runbook's health check, one line per check and a verdict. `--after-deploy`:
 * only what a deploy can break (no data freshness), for the deploy workflow to act on.
 */
import type { Command } from 'commander';
import type { OpsTarget } from '../../deployment/deployment';
import type { AfterDeployReport } from '../../use-cases/after-deploy.use-case';
import type { HealthReport } from '../../use-cases/health-checks';
import { checkLine, formatMinutes } from '../format';
import { action, type Colors, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadAfterDeployUseCase = () => import('../../use-cases/after-deploy.use-case');
const loadHealthReportUseCase = () => import('../../use-cases/health-report.use-case');

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

export function renderAfterDeploy(c: Colors, report: AfterDeployReport, target: OpsTarget): string[] {
  const width = Math.max(...report.checks.map((ch) => ch.name.length));
  const lines = [c.bold(`Post-deploy check — ${describeTarget(target)} at ${report.checkedAt}`), ''];
  for (const check of report.checks) lines.push(checkLine(c, check.status, check.name, check.detail, width));
  lines.push(
    '',
    c.dim('Data freshness is not checked: a new or quiet stage has no recent data (`pulse health` checks it).'),
  );
  if (report.ok) {
    lines.push(c.green(c.bold('DEPLOY OK')));
    return lines;
  }
  lines.push(c.red(c.bold('DEPLOY BROKEN')));
  const back = report.functions.filter((f) => f.previousVersion !== undefined);
  if (back.length > 0) {
    lines.push('  roll back each function this deploy moved (LIVE back to the version it ran before):');
    for (const f of back) {
      lines.push(
        `  pulse rollback --function ${f.role} --to-version ${f.previousVersion} --yes   (now v${f.liveVersion})`,
      );
    }
  }
  return lines;
}

export function registerHealth(program: Command, deps: ProgramDeps): void {
  program
    .command('health')
    .description("the runbook's health check: functions, table, buckets, freshness, queues, circuit breakers, API")
    .option('--api-id <id>', 'AppSync API id (default: found by the stage name)')
    .option(
      '--after-deploy',
      'only what a deploy can break: functions Active on a published LIVE, table, queues, API (not freshness)',
    )
    .action(
      action(deps, async (ctx, opts: { apiId?: string; afterDeploy?: boolean }) => {
        const target = await ctx.target();
        const options = { now: ctx.now(), ...(opts.apiId !== undefined ? { apiId: opts.apiId } : {}) };
        if (opts.afterDeploy) {
          const report = await (await loadAfterDeployUseCase()).afterDeployReport(target, await ctx.clients(), options);
          return { data: report, lines: renderAfterDeploy(ctx.c, report, target), problem: !report.ok };
        }
        const report = await (await loadHealthReportUseCase()).healthReport(target, await ctx.clients(), options);
        return { data: report, lines: renderHealth(ctx.c, report, target), problem: !report.healthy };
      }),
    );
}
