/** `pulse validate`: the post-incident checks, one verdict. */
import type { Command } from 'commander';
import { parsePositiveInt } from '../../domain/hour-range';
import { validateRecovery } from '../../use-cases/validate.use-case';
import { checkLine } from '../format';
import { action, type ProgramDeps } from '../runtime';
import { describeTarget } from './health';

export function registerValidate(program: Command, deps: ProgramDeps): void {
  program
    .command('validate')
    .description('post-incident validation: fresh data, no DLQ backlog, error metrics down, a sample query answers')
    .option('--window <minutes>', 'how far back error metrics must be clean', '60')
    .option('--suburb <name>', 'suburb for the sample query (default: a station from the table)')
    .option('--api-id <id>', 'AppSync API id (default: found by the stage name)')
    .action(
      action(deps, async (ctx, opts: { window: string; suburb?: string; apiId?: string }) => {
        const windowMinutes = parsePositiveInt(opts.window, '--window', 24 * 60);
        const target = await ctx.target();
        const report = await validateRecovery(target, await ctx.clients(), {
          windowMinutes,
          ...(opts.suburb !== undefined ? { suburb: opts.suburb } : {}),
          ...(opts.apiId !== undefined ? { apiId: opts.apiId } : {}),
          now: ctx.now,
        });
        const { c } = ctx;
        const width = Math.max(...report.checks.map((x) => x.name.length));
        return {
          data: report,
          lines: [
            c.bold(`Post-incident validation — ${describeTarget(target)} at ${report.checkedAt}`),
            '',
            ...report.checks.map((x) => checkLine(c, x.status, x.name, x.detail, width)),
            '',
            report.passed
              ? c.green(c.bold('PASSED: the service is back to normal'))
              : c.red(c.bold('NOT PASSED: keep the incident open')),
          ],
          problem: !report.passed,
        };
      }),
    );
}
