/** `pulse env show|snapshot|restore`: a function's environment, saved before a change and put back after. */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { displayValue } from '../../domain/environment-diff';
import { table } from '../format';
import { controlledFunction, FUNCTION_OPTION, renderChange, waitOptions } from '../function-controls';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadEnvUseCase = () => import('../../use-cases/env.use-case');

function registerShow(env: Command, deps: ProgramDeps): void {
  env
    .command('show')
    .requiredOption(...FUNCTION_OPTION)
    .action(
      action(deps, async (ctx, opts: { function: string }) => {
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'env');
        const view = await (await loadEnvUseCase()).showEnvironment(clients, functionName);
        const { latest } = view;
        const live = view.live?.variables;
        const names = [...new Set([...Object.keys(latest), ...Object.keys(live ?? {})])].sort();
        const rows = names.map((n) => {
          const l = latest[n];
          const v = live?.[n];
          const differs = live !== undefined && v !== l;
          return [
            n,
            displayValue(n, v ?? l ?? ''),
            differs ? ctx.c.yellow(`$LATEST: ${displayValue(n, l ?? '(unset)')}`) : '',
          ];
        });
        return {
          data: { function: functionName, liveVersion: view.live?.version ?? null, live: live ?? null, latest },
          lines: [
            ctx.c.bold(`${functionName} environment (${view.live ? `LIVE v${view.live.version}` : '$LATEST'})`),
            ...table(rows, ['variable', 'value', ''], ctx.c),
          ],
        };
      }),
    );
}

function registerSnapshot(env: Command, deps: ProgramDeps): void {
  env
    .command('snapshot')
    .description('save the environment LIVE runs with to a JSON file (the pre-change step of the runbook)')
    .requiredOption(...FUNCTION_OPTION)
    .option('--file <path>', 'where to write (default PULSE_DATA_DIR/env-snapshots/<function>-<time>.json)')
    .action(
      action(deps, async (ctx, opts: { function: string; file?: string }) => {
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'env');
        const { cwd } = ctx.io;
        const { resolveDataDir } = await import('@opendata-pulse/local/endpoints');
        const snapshot = await (await loadEnvUseCase()).snapshotEnvironment(clients, {
          functionName,
          now: ctx.now(),
          ...(opts.file !== undefined ? { file: resolve(cwd, opts.file) } : {}),
          snapshotDir: resolve(cwd, join(resolveDataDir(ctx.io.env, cwd), 'env-snapshots')),
        });
        return {
          data: snapshot,
          lines: [
            `${ctx.c.green('✓')} ${Object.keys(snapshot.variables).length} variables of ${functionName} (v${snapshot.version ?? '$LATEST'}) saved to ${snapshot.file}`,
            `  restore: pulse env restore --function ${opts.function} --file ${snapshot.file}`,
          ],
        };
      }),
    );
}

function registerRestore(env: Command, deps: ProgramDeps): void {
  env
    .command('restore')
    .description('put back the variables of a snapshot; variables added since are kept unless --exact')
    .requiredOption(...FUNCTION_OPTION)
    .requiredOption('--file <path>', 'a file written by `pulse env snapshot`')
    .option('--exact', 'make the environment exactly the snapshot (removes variables added since)')
    .option('--force', 'publish even if LIVE runs other code than $LATEST')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(
        deps,
        async (ctx, opts: { function: string; file: string; exact?: boolean; force?: boolean; yes?: boolean }) => {
          const { clients, functionName } = await controlledFunction(ctx, opts.function, 'env');
          const change = await (await loadEnvUseCase()).restoreEnvironment(
            clients,
            {
              functionName,
              file: opts.file,
              path: resolve(ctx.io.cwd, opts.file),
              ...(opts.exact ? { exact: true } : {}),
              ...(opts.force ? { force: true } : {}),
              wait: waitOptions(deps),
            },
            (plan) =>
              ctx.confirm(
                `Restore ${plan.function}'s environment from ${plan.capturedAt}${plan.exact ? ' exactly' : ''} and move LIVE to it?`,
                opts.yes,
              ),
          );
          return {
            data: change,
            lines: [
              `${ctx.c.green('✓')} ${functionName} environment restored from ${change.snapshot.capturedAt}`,
              ...renderChange(ctx.c, change),
            ],
          };
        },
      ),
    );
}

export function registerEnv(program: Command, deps: ProgramDeps): void {
  const env = program
    .command('env')
    .description("a function's environment: show, snapshot to a file, restore from one");
  registerShow(env, deps);
  registerSnapshot(env, deps);
  registerRestore(env, deps);
}
