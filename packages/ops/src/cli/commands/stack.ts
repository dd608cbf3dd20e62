/** `pulse stack status`: each service's CloudFormation stack, and what failed in its last operation. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { SERVICE_NAMES, type ServiceName } from '../../deployment/deployment';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadStackStatusUseCase = () => import('../../use-cases/stack-status.use-case');

export function registerStack(program: Command, deps: ProgramDeps): void {
  program
    .command('stack')
    .description("the services' CloudFormation stacks")
    .command('status')
    .description('stack status and the failed events of the last operation')
    .option('--service <name>', `${SERVICE_NAMES.join(' | ')} (default: all four)`)
    .option('--stack-name <name>', 'a stack name, if the service was deployed under another')
    .action(
      action(deps, async (ctx, opts: { service?: string; stackName?: string }) => {
        const target = await ctx.awsTarget('stack status');
        if (opts.service && !SERVICE_NAMES.includes(opts.service as ServiceName)) {
          throw new BadRequestError(`--service must be one of ${SERVICE_NAMES.join(', ')}`);
        }
        const services = opts.service ? [opts.service as ServiceName] : [...SERVICE_NAMES];
        const { isTroubled, stackStatus } = await loadStackStatusUseCase();
        const stacks = await stackStatus(
          await ctx.clients(),
          services.map((service) => ({ service, stackName: opts.stackName ?? target.stacks[service] })),
        );
        const { c } = ctx;
        const lines: string[] = [];
        for (const s of stacks) {
          const bad = isTroubled(s.status) || s.status === 'NOT_DEPLOYED';
          lines.push(
            `${bad ? c.red('✗') : c.green('✓')} ${s.stackName.padEnd(32)} ${bad ? c.red(s.status) : s.status}${s.lastUpdated ? `  (${s.lastUpdated})` : ''}`,
          );
          for (const f of s.failed)
            lines.push(`    ${c.red(String(f.status))} ${f.resource} (${f.type}): ${f.reason ?? ''}`);
        }
        return {
          data: { stacks },
          lines,
          problem: stacks.some((s) => isTroubled(s.status) || s.status === 'NOT_DEPLOYED'),
        };
      }),
    );
}
