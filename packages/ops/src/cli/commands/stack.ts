/** `pulse stack status`: each service's CloudFormation stack, and what failed in its last operation. */
import { DescribeStackEventsCommand, DescribeStacksCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import type { OpsClients } from '../../deployment/clients';
import { SERVICE_NAMES, type ServiceName } from '../../deployment/deployment';
import { requireAws } from '../aws-only';
import { action, type ProgramDeps } from '../runtime';

const OPERATION_START = /^(CREATE|UPDATE|DELETE|IMPORT)_IN_PROGRESS$/;

/** The events of the stack's latest operation (newest first), up to the event that started it. */
export async function lastOperationEvents(
  cloudformation: OpsClients['cloudformation'],
  stackName: string,
): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10; page++) {
    const out = await cloudformation.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    for (const event of out.StackEvents ?? []) {
      events.push(event);
      const isStack = event.ResourceType === 'AWS::CloudFormation::Stack' && event.LogicalResourceId === stackName;
      if (isStack && OPERATION_START.test(event.ResourceStatus ?? '') && events.length > 1) return events;
    }
    token = out.NextToken;
    if (!token) break;
  }
  return events;
}

export function isTroubled(status: string): boolean {
  return /FAILED|ROLLBACK/.test(status);
}

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
        const target = await ctx.target();
        requireAws(target, 'stack status');
        if (opts.service && !SERVICE_NAMES.includes(opts.service as ServiceName)) {
          throw new BadRequestError(`--service must be one of ${SERVICE_NAMES.join(', ')}`);
        }
        const services = opts.service ? [opts.service as ServiceName] : [...SERVICE_NAMES];
        const { cloudformation } = await ctx.clients();
        const stacks = [];
        for (const service of services) {
          const stackName = opts.stackName ?? target.stacks[service];
          try {
            const { Stacks = [] } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
            const stack = Stacks[0];
            const status = stack?.StackStatus ?? 'UNKNOWN';
            const failed = isTroubled(status)
              ? (await lastOperationEvents(cloudformation, stackName))
                  .filter((e) => (e.ResourceStatus ?? '').endsWith('_FAILED'))
                  .map((e) => ({
                    resource: e.LogicalResourceId,
                    type: e.ResourceType,
                    status: e.ResourceStatus,
                    reason: e.ResourceStatusReason,
                    at: e.Timestamp?.toISOString(),
                  }))
              : [];
            stacks.push({
              service,
              stackName,
              status,
              reason: stack?.StackStatusReason,
              lastUpdated: (stack?.LastUpdatedTime ?? stack?.CreationTime)?.toISOString(),
              failed,
            });
          } catch (error) {
            if (!/does not exist/.test((error as Error).message)) throw error;
            stacks.push({ service, stackName, status: 'NOT_DEPLOYED', failed: [] });
          }
        }
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
