/** `pulse concurrency` and `pulse provisioned`: a function's reserved and provisioned concurrency. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { setProvisionedConcurrency, setReservedConcurrency } from '../../use-cases/concurrency.use-case';
import { controlledFunction, FUNCTION_OPTION } from '../function-controls';
import { action, type ProgramDeps } from '../runtime';

/** `--reserved 2` -> 2; `none` -> undefined (remove the reservation). */
function parseReserved(value: string): number | undefined {
  if (value === 'none') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new BadRequestError(`--reserved must be a whole number ≥ 0 or "none"; got "${value}"`);
  }
  return n;
}

export function registerConcurrency(program: Command, deps: ProgramDeps): void {
  program
    .command('concurrency')
    .description("a function's reserved concurrency (0 stops it; `none` removes the reservation)")
    .requiredOption(...FUNCTION_OPTION)
    .requiredOption('--reserved <n|none>', 'reserved concurrent executions')
    .action(
      action(deps, async (ctx, opts: { function: string; reserved: string }) => {
        const reserved = parseReserved(opts.reserved);
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'concurrency');
        const { before, after } = await setReservedConcurrency(clients, { functionName, reserved });
        const show = (v: number | undefined) => (v === undefined ? 'unreserved (account pool)' : String(v));
        const { c } = ctx;
        return {
          data: { function: functionName, before: before ?? null, after: after ?? null },
          lines: [
            `${c.green('✓')} ${functionName} reserved concurrency: ${show(before)} → ${c.bold(show(after))}`,
            ...(after === 0 ? [c.yellow('  0 = every invocation is throttled: the function is stopped')] : []),
          ],
        };
      }),
    );
}

export function registerProvisioned(program: Command, deps: ProgramDeps): void {
  program
    .command('provisioned')
    .description('provisioned concurrency on LIVE (0 removes it)')
    .requiredOption(...FUNCTION_OPTION)
    .requiredOption('--count <n>', 'provisioned concurrent executions on LIVE')
    .action(
      action(deps, async (ctx, opts: { function: string; count: string }) => {
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 0)
          throw new BadRequestError(`--count must be a whole number ≥ 0; got "${opts.count}"`);
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'provisioned');
        const change = await setProvisionedConcurrency(clients, { functionName, count });
        const before = change.before ?? 0;
        const { c } = ctx;
        return {
          data: { function: functionName, qualifier: change.qualifier, before, after: count, status: change.status },
          lines: [
            `${c.green('✓')} ${functionName}:${change.qualifier} provisioned concurrency ${before} → ${c.bold(String(count))} (${change.status})`,
            ...(change.status === 'IN_PROGRESS'
              ? ['  allocation takes a few minutes; `pulse provisioned` again shows the status']
              : []),
          ],
        };
      }),
    );
}
