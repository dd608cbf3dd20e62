/** `pulse schedule status|enable|disable`: the hourly ingestion rule. */
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import type { Command } from 'commander';
import { requireAws } from '../aws-only';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

async function ruleState(ctx: CommandContext) {
  const target = await ctx.target();
  requireAws(target, 'schedule', 'the local stack runs ingest every hour itself while it runs');
  const { eventbridge } = await ctx.clients();
  const rule = await eventbridge.send(new DescribeRuleCommand({ Name: target.hourlyRule }));
  return { target, eventbridge, rule };
}

export function registerSchedule(program: Command, deps: ProgramDeps): void {
  const schedule = program.command('schedule').description('the hourly ingestion rule (EventBridge)');

  schedule.command('status').action(
    action(deps, async (ctx) => {
      const { target, eventbridge, rule } = await ruleState(ctx);
      const { Targets = [] } = await eventbridge.send(new ListTargetsByRuleCommand({ Rule: target.hourlyRule }));
      const enabled = rule.State === 'ENABLED';
      const { c } = ctx;
      return {
        data: {
          rule: target.hourlyRule,
          state: rule.State,
          schedule: rule.ScheduleExpression,
          targets: Targets.map((t) => t.Arn),
        },
        lines: [
          `${enabled ? c.green('✓') : c.red('✗')} ${target.hourlyRule}: ${enabled ? rule.State : c.red(String(rule.State))} (${rule.ScheduleExpression})`,
          ...Targets.map((t) => `  target ${t.Arn}`),
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
          const { target, eventbridge, rule } = await ruleState(ctx);
          const wanted = verb === 'enable' ? 'ENABLED' : 'DISABLED';
          if (rule.State !== wanted) {
            if (verb === 'disable')
              await ctx.confirm(`Disable ${target.hourlyRule}? Hourly ingestion stops.`, opts.yes);
            await eventbridge.send(
              verb === 'enable'
                ? new EnableRuleCommand({ Name: target.hourlyRule })
                : new DisableRuleCommand({ Name: target.hourlyRule }),
            );
          }
          const { c } = ctx;
          return {
            data: { rule: target.hourlyRule, before: rule.State, after: wanted },
            lines: [
              `${c.green('✓')} ${target.hourlyRule}: ${rule.State} → ${c.bold(wanted)}` +
                (rule.State === wanted ? ' (already)' : ''),
              ...(verb === 'enable' ? ['  hours missed while it was off: `pulse gaps --hours 24 --fix`'] : []),
            ],
          };
        }),
      );
  }
}
