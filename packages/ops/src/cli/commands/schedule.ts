/** `pulse schedule status|enable|disable`: the hourly ingestion rule. */
import type { Command } from 'commander';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadScheduleUseCase = () => import('../../use-cases/schedule.use-case');

function hourlyRule(ctx: CommandContext) {
  return ctx.awsTarget('schedule', 'the local stack runs ingest every hour itself while it runs');
}

export function registerSchedule(program: Command, deps: ProgramDeps): void {
  const schedule = program.command('schedule').description('the hourly ingestion rule (EventBridge)');

  schedule.command('status').action(
    action(deps, async (ctx) => {
      const target = await hourlyRule(ctx);
      const rule = await (await loadScheduleUseCase()).readSchedule(await ctx.clients(), target.hourlyRule);
      const enabled = rule.state === 'ENABLED';
      const { c } = ctx;
      return {
        data: rule,
        lines: [
          `${enabled ? c.green('✓') : c.red('✗')} ${rule.rule}: ${enabled ? rule.state : c.red(String(rule.state))} (${rule.schedule})`,
          ...rule.targets.map((arn) => `  target ${arn}`),
        ],
        problem: !enabled,
      };
    }),
  );

  for (const verb of ['enable', 'disable'] as const) {
    schedule
      .command(verb)
      .description(verb === 'enable' ? 'resume hourly ingestion' : 'pause hourly ingestion (backfill the gap after)')
      .option('-y, --yes', 'do not ask for confirmation')
      .action(
        action(deps, async (ctx, opts: { yes?: boolean }) => {
          const target = await hourlyRule(ctx);
          const change = await (await loadScheduleUseCase()).switchSchedule(
            await ctx.clients(),
            { rule: target.hourlyRule, enable: verb === 'enable' },
            () => ctx.confirm(`Disable ${target.hourlyRule}? Hourly ingestion stops.`, opts.yes),
          );
          const { c } = ctx;
          return {
            data: change,
            lines: [
              `${c.green('✓')} ${change.rule}: ${change.before} → ${c.bold(change.after)}` +
                (change.before === change.after ? ' (already)' : ''),
              ...(verb === 'enable' ? ['  hours missed while it was off: `pulse gaps --hours 24 --fix`'] : []),
            ],
          };
        }),
      );
  }
}
