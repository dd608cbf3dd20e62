/** `pulse rollback`: LIVE back to the previous (or a named) published version. */
import type { Command } from 'commander';
import type { VersionInfo } from '../../use-cases/rollback.use-case';
import { table } from '../format';
import { controlledFunction, FUNCTION_OPTION } from '../function-controls';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadRollbackUseCase = () => import('../../use-cases/rollback.use-case');

function versionRow(v: VersionInfo): string {
  return `v${v.version} (${v.lastModified ?? '?'}${v.description ? `, ${v.description}` : ''})`;
}

export function registerRollback(program: Command, deps: ProgramDeps): void {
  program
    .command('rollback')
    .description('point LIVE at the previous published version (what the schedule and queue invoke)')
    .requiredOption(...FUNCTION_OPTION)
    .option('--to-version <n>', 'a specific published version instead of the previous one')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { function: string; toVersion?: string; yes?: boolean }) => {
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'rollback');
        const rollback = await (await loadRollbackUseCase()).rollBackFunction(
          clients,
          { functionName, ...(opts.toVersion ? { toVersion: opts.toVersion } : {}) },
          (plan) => ctx.confirm(`Point ${plan.function}:LIVE from v${plan.from} to v${plan.to}?`, opts.yes),
        );
        const { before, after } = rollback;
        const { c } = ctx;
        return {
          data: {
            function: functionName,
            alias: rollback.alias,
            before: { version: before.version, lastModified: before.lastModified, codeSha256: before.codeSha256 },
            after: { version: rollback.liveVersion, lastModified: after.lastModified, codeSha256: after.codeSha256 },
          },
          lines: [
            `${c.green('✓')} ${functionName}:LIVE rolled back`,
            ...table([
              ['  before', versionRow(before)],
              ['  after', versionRow(after)],
            ]),
            `  undo: pulse rollback --function ${opts.function} --to-version ${before.version}`,
          ],
        };
      }),
    );
}
