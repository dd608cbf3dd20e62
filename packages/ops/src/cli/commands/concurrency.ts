/** `pulse concurrency` and `pulse provisioned`: a function's reserved and provisioned concurrency. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { LIVE_ALIAS } from '../../deployment/deployment';
import { controlledFunction, FUNCTION_OPTION, waitOptions } from '../function-controls';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadConcurrencyUseCase = () => import('../../use-cases/concurrency.use-case');

/** `--reserved 2` -> 2; `none` -> undefined (remove the reservation). Refusals are the use case's. */
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
    .description(
      "a function's concurrency: without --reserved, what limits it (reserved, provisioned on LIVE, its SQS mapping); with it, the reservation (`none` removes it), never below what its SQS mapping runs at once",
    )
    .requiredOption(...FUNCTION_OPTION)
    .option('--reserved <n|none>', 'reserved concurrent executions (omit to only look)')
    .option(
      '--with-mapping',
      "lower the SQS event source mapping's maximum concurrency to n as well (the next deploy restores it)",
    )
    .action(
      action(deps, async (ctx, opts: { function: string; reserved?: string; withMapping?: boolean }) => {
        if (opts.reserved === undefined && opts.withMapping) {
          throw new BadRequestError('--with-mapping goes with --reserved <n>: it lowers the mapping to that number');
        }
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'concurrency');
        const target = await ctx.target();
        const liveArn = `arn:aws:lambda:${target.region}:${target.accountId}:function:${functionName}:${LIVE_ALIAS}`;
        if (opts.reserved === undefined) {
          const view = await (await loadConcurrencyUseCase()).showConcurrency(clients, { functionName, liveArn });
          const none = (v: number | undefined, label: string) => (v === undefined ? label : String(v));
          return {
            data: {
              function: view.function,
              reserved: view.reserved ?? null,
              provisionedOnLive: view.provisionedOnLive ?? null,
              mappings: view.mappings.map((m) => ({ ...m, maximumConcurrency: m.maximumConcurrency ?? null })),
            },
            lines: [
              `${ctx.c.bold(view.function)}`,
              `  reserved concurrency:        ${none(view.reserved, 'unreserved (account pool)')}`,
              `  provisioned on ${LIVE_ALIAS}:         ${none(view.provisionedOnLive, 'none')}`,
              ...(view.mappings.length === 0
                ? ['  SQS event source mappings:   none']
                : view.mappings.map(
                    (m) =>
                      `  SQS mapping ${m.queue}: maximum concurrency ${none(m.maximumConcurrency, 'none')} (${m.state ?? '?'})`,
                  )),
            ],
          };
        }
        const reserved = parseReserved(opts.reserved);
        const change = await (await loadConcurrencyUseCase()).setReservedConcurrency(clients, {
          functionName,
          liveArn,
          reserved,
          ...(opts.withMapping ? { withMapping: true } : {}),
          wait: waitOptions(deps),
        });
        const { before, after, mappings } = change;
        const show = (v: number | undefined) => (v === undefined ? 'unreserved (account pool)' : String(v));
        const { c } = ctx;
        return {
          data: {
            function: functionName,
            before: before ?? null,
            after: after ?? null,
            ...(mappings.length > 0 ? { mappings } : {}),
          },
          lines: [
            `${c.green('✓')} ${functionName} reserved concurrency: ${show(before)} → ${c.bold(show(after))}`,
            ...mappings.map(
              (m) =>
                `  event source mapping ${m.uuid} (${m.queue}): maximum concurrency ${m.before ?? 'none'} → ${c.bold(String(m.after))} (${m.state})`,
            ),
            ...(mappings.length > 0
              ? [
                  c.yellow(
                    "  ! the next deploy of the function's service puts the mapping's maximum concurrency (and the reservation) back to the deployed values",
                  ),
                ]
              : []),
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
        const change = await (await loadConcurrencyUseCase()).setProvisionedConcurrency(clients, {
          functionName,
          count,
        });
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
