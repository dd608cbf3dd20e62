/**
 * The runbook's function controls: circuit-breaker, concurrency, rollback, provisioned, env.
 * Each reads the current state first, changes only what it names, and prints before and after.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { resolveDataDir } from '@opendata-pulse/local/endpoints';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import * as z from 'zod';
import {
  applyEnvironment,
  displayValue,
  type EnvironmentChange,
  isEmpty,
  readConfigs,
  type Variables,
} from '../../adapters/function-control';
import { LIVE_ALIAS } from '../../adapters/functions';
import { resolveFunctionName } from '../../deployment/deployment';
import { requireAws } from '../aws-only';
import { table } from '../format';
import { action, type Colors, type CommandContext, type ProgramDeps } from '../runtime';

async function functionTarget(ctx: CommandContext, name: string, what: string) {
  const target = await ctx.target();
  requireAws(target, what, 'the local stack reads CIRCUIT_BREAKER and the rest from its own environment at start');
  const { lambda } = await ctx.clients();
  return { target, lambda, functionName: resolveFunctionName(target, name) };
}

function renderChange(c: Colors, change: EnvironmentChange): string[] {
  const { diff } = change;
  const lines: string[] = [];
  if (isEmpty(diff)) lines.push(`  $LATEST already has these values`);
  for (const d of diff.changed)
    lines.push(`  ${d.name}: ${displayValue(d.name, d.from)} → ${c.bold(displayValue(d.name, d.to))}`);
  for (const n of diff.added) lines.push(`  ${n}: (unset) → ${c.bold(displayValue(n, change.after[n] ?? ''))}`);
  for (const n of diff.removed) lines.push(`  ${n}: ${displayValue(n, change.before[n] ?? '')} → (removed)`);
  const named = new Set([...diff.added, ...diff.removed, ...diff.changed.map((d) => d.name)]);
  const kept = Object.keys(change.after)
    .filter((n) => !named.has(n))
    .sort();
  if (kept.length) lines.push(c.dim(`  kept unchanged: ${kept.join(', ')}`));
  if (change.live) lines.push(`  published version ${change.live.to}; LIVE ${change.live.from} → ${change.live.to}`);
  return lines;
}

const snapshotSchema = z.object({
  function: z.string(),
  capturedAt: z.string(),
  version: z.string().optional(),
  variables: z.record(z.string(), z.string()),
});

function registerCircuitBreaker(program: Command, deps: ProgramDeps): void {
  const wait = { ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) };
  const cb = program
    .command('circuit-breaker')
    .description('CIRCUIT_BREAKER on a function (the function then takes no new work), keeping every other variable');
  for (const state of ['on', 'off'] as const) {
    cb.command(state)
      .description(state === 'on' ? 'stop the function taking new work' : 'let the function take work again')
      .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
      .option('--force', 'publish even if LIVE runs other code than $LATEST')
      .action(
        action(deps, async (ctx, opts: { function: string; force?: boolean }) => {
          const { lambda, functionName } = await functionTarget(ctx, opts.function, 'circuit-breaker');
          const configs = await readConfigs(lambda, functionName);
          const before = configs.latest.Environment?.Variables ?? {};
          const after: Variables = { ...before, CIRCUIT_BREAKER: state === 'on' ? 'true' : 'false' };
          const change = await applyEnvironment(lambda, functionName, configs, after, {
            reason: `pulse circuit-breaker ${state}`,
            ...(opts.force ? { force: true } : {}),
            ...wait,
          });
          const { c } = ctx;
          return {
            data: { ...change, circuitBreaker: state === 'on' },
            lines: [
              `${c.green('✓')} circuit breaker ${state === 'on' ? c.yellow(c.bold('ON')) : c.bold('OFF')} for ${functionName}`,
              ...renderChange(c, change),
            ],
          };
        }),
      );
  }
  cb.command('status')
    .description('CIRCUIT_BREAKER on LIVE (what runs) and on $LATEST')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .action(
      action(deps, async (ctx, opts: { function: string }) => {
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'circuit-breaker');
        const configs = await readConfigs(lambda, functionName);
        const latest = configs.latest.Environment?.Variables?.CIRCUIT_BREAKER === 'true';
        const live = configs.live ? configs.live.Environment?.Variables?.CIRCUIT_BREAKER === 'true' : undefined;
        const effective = live ?? latest;
        const { c } = ctx;
        const word = (on: boolean) => (on ? c.yellow(c.bold('ON')) : 'off');
        return {
          data: { function: functionName, circuitBreaker: effective, live, latest, liveVersion: configs.live?.Version },
          lines: [
            `${effective ? c.yellow('!') : c.green('✓')} ${functionName}: circuit breaker ${word(effective)}` +
              (configs.live
                ? ` (LIVE v${configs.live.Version}: ${word(live ?? false)}; $LATEST: ${word(latest)})`
                : ' ($LATEST, no LIVE alias)'),
          ],
          problem: false,
        };
      }),
    );
}

function registerConcurrency(program: Command, deps: ProgramDeps): void {
  program
    .command('concurrency')
    .description("a function's reserved concurrency (0 stops it; `none` removes the reservation)")
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .requiredOption('--reserved <n|none>', 'reserved concurrent executions')
    .action(
      action(deps, async (ctx, opts: { function: string; reserved: string }) => {
        const remove = opts.reserved === 'none';
        const n = Number(opts.reserved);
        if (!remove && (!Number.isInteger(n) || n < 0)) {
          throw new BadRequestError(`--reserved must be a whole number ≥ 0 or "none"; got "${opts.reserved}"`);
        }
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'concurrency');
        const before = (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName })))
          .ReservedConcurrentExecutions;
        let after: number | undefined;
        if (remove) {
          await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: functionName }));
        } else {
          after = (
            await lambda.send(
              new PutFunctionConcurrencyCommand({ FunctionName: functionName, ReservedConcurrentExecutions: n }),
            )
          ).ReservedConcurrentExecutions;
        }
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

function versionRow(v: FunctionConfiguration | undefined): string {
  return v ? `v${v.Version} (${v.LastModified ?? '?'}${v.Description ? `, ${v.Description}` : ''})` : '?';
}

function registerRollback(program: Command, deps: ProgramDeps): void {
  program
    .command('rollback')
    .description('point LIVE at the previous published version (what the schedule and queue invoke)')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .option('--to-version <n>', 'a specific published version instead of the previous one')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { function: string; toVersion?: string; yes?: boolean }) => {
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'rollback');
        const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
        const versions: FunctionConfiguration[] = [];
        let marker: string | undefined;
        do {
          const page = await lambda.send(
            new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
          );
          versions.push(...(page.Versions ?? []).filter((v) => v.Version && v.Version !== '$LATEST'));
          marker = page.NextMarker;
        } while (marker);
        const current = Number(alias.FunctionVersion);
        const sorted = versions.sort((a, b) => Number(a.Version) - Number(b.Version));
        const target = opts.toVersion
          ? sorted.find((v) => v.Version === opts.toVersion)
          : sorted.filter((v) => Number(v.Version) < current).at(-1);
        if (!target?.Version) {
          throw new BadRequestError(
            opts.toVersion
              ? `${functionName} has no published version ${opts.toVersion} (published: ${sorted.map((v) => v.Version).join(', ')})`
              : `${functionName}: LIVE is on v${alias.FunctionVersion}, and there is no earlier published version to roll back to`,
          );
        }
        if (target.Version === alias.FunctionVersion)
          throw new BadRequestError(`LIVE is already on v${target.Version}`);
        const from = sorted.find((v) => v.Version === alias.FunctionVersion);
        await ctx.confirm(`Point ${functionName}:LIVE from v${alias.FunctionVersion} to v${target.Version}?`, opts.yes);
        const updated = await lambda.send(
          new UpdateAliasCommand({
            FunctionName: functionName,
            Name: LIVE_ALIAS,
            FunctionVersion: target.Version,
            ...(alias.RevisionId ? { RevisionId: alias.RevisionId } : {}),
          }),
        );
        const { c } = ctx;
        return {
          data: {
            function: functionName,
            alias: LIVE_ALIAS,
            before: { version: alias.FunctionVersion, lastModified: from?.LastModified, codeSha256: from?.CodeSha256 },
            after: {
              version: updated.FunctionVersion,
              lastModified: target.LastModified,
              codeSha256: target.CodeSha256,
            },
          },
          lines: [
            `${c.green('✓')} ${functionName}:LIVE rolled back`,
            ...table([
              ['  before', versionRow(from ?? { Version: alias.FunctionVersion })],
              ['  after', versionRow(target)],
            ]),
            `  undo: pulse rollback --function ${opts.function} --to-version ${alias.FunctionVersion}`,
          ],
        };
      }),
    );
}

function registerProvisioned(program: Command, deps: ProgramDeps): void {
  program
    .command('provisioned')
    .description('provisioned concurrency on LIVE (0 removes it)')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .requiredOption('--count <n>', 'provisioned concurrent executions on LIVE')
    .action(
      action(deps, async (ctx, opts: { function: string; count: string }) => {
        const n = Number(opts.count);
        if (!Number.isInteger(n) || n < 0)
          throw new BadRequestError(`--count must be a whole number ≥ 0; got "${opts.count}"`);
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'provisioned');
        let before: number | undefined;
        try {
          before = (
            await lambda.send(
              new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: LIVE_ALIAS }),
            )
          ).RequestedProvisionedConcurrentExecutions;
        } catch (error) {
          if (!/ProvisionedConcurrencyConfigNotFound|ResourceNotFound/.test((error as Error).name)) throw error;
        }
        let status: string | undefined;
        if (n === 0) {
          if (before !== undefined) {
            await lambda.send(
              new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: LIVE_ALIAS }),
            );
          }
          status = 'REMOVED';
        } else {
          status = (
            await lambda.send(
              new PutProvisionedConcurrencyConfigCommand({
                FunctionName: functionName,
                Qualifier: LIVE_ALIAS,
                ProvisionedConcurrentExecutions: n,
              }),
            )
          ).Status;
        }
        const { c } = ctx;
        return {
          data: { function: functionName, qualifier: LIVE_ALIAS, before: before ?? 0, after: n, status },
          lines: [
            `${c.green('✓')} ${functionName}:LIVE provisioned concurrency ${before ?? 0} → ${c.bold(String(n))} (${status})`,
            ...(status === 'IN_PROGRESS'
              ? ['  allocation takes a few minutes; `pulse provisioned` again shows the status']
              : []),
          ],
        };
      }),
    );
}

function registerEnv(program: Command, deps: ProgramDeps): void {
  const wait = { ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) };
  const env = program
    .command('env')
    .description("a function's environment: show, snapshot to a file, restore from one");

  env
    .command('show')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .action(
      action(deps, async (ctx, opts: { function: string }) => {
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'env');
        const configs = await readConfigs(lambda, functionName);
        const latest = configs.latest.Environment?.Variables ?? {};
        const live = configs.live?.Environment?.Variables;
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
          data: { function: functionName, liveVersion: configs.live?.Version ?? null, live: live ?? null, latest },
          lines: [
            ctx.c.bold(`${functionName} environment (${configs.live ? `LIVE v${configs.live.Version}` : '$LATEST'})`),
            ...table(rows, ['variable', 'value', ''], ctx.c),
          ],
        };
      }),
    );

  env
    .command('snapshot')
    .description('save the environment LIVE runs with to a JSON file (the pre-change step of the runbook)')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .option('--file <path>', 'where to write (default PULSE_DATA_DIR/env-snapshots/<function>-<time>.json)')
    .action(
      action(deps, async (ctx, opts: { function: string; file?: string }) => {
        const { lambda, functionName } = await functionTarget(ctx, opts.function, 'env');
        const configs = await readConfigs(lambda, functionName);
        const source = configs.live ?? configs.latest;
        const capturedAt = new Date(ctx.now()).toISOString();
        const snapshot = {
          function: functionName,
          capturedAt,
          ...(source.Version ? { version: source.Version } : {}),
          variables: source.Environment?.Variables ?? {},
        };
        const file = resolve(
          ctx.io.cwd,
          opts.file ??
            join(
              resolveDataDir(ctx.io.env, ctx.io.cwd),
              'env-snapshots',
              `${functionName}-${capturedAt.replace(/[:.]/g, '-')}.json`,
            ),
        );
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
        return {
          data: { ...snapshot, file },
          lines: [
            `${ctx.c.green('✓')} ${Object.keys(snapshot.variables).length} variables of ${functionName} (v${snapshot.version ?? '$LATEST'}) saved to ${file}`,
            `  restore: pulse env restore --function ${opts.function} --file ${file}`,
          ],
        };
      }),
    );

  env
    .command('restore')
    .description('put back the variables of a snapshot; variables added since are kept unless --exact')
    .requiredOption('--function <name>', 'ingest | etl | api | a full function name')
    .requiredOption('--file <path>', 'a file written by `pulse env snapshot`')
    .option('--exact', 'make the environment exactly the snapshot (removes variables added since)')
    .option('--force', 'publish even if LIVE runs other code than $LATEST')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(
        deps,
        async (ctx, opts: { function: string; file: string; exact?: boolean; force?: boolean; yes?: boolean }) => {
          const { lambda, functionName } = await functionTarget(ctx, opts.function, 'env');
          let snapshot: z.infer<typeof snapshotSchema>;
          try {
            snapshot = snapshotSchema.parse(JSON.parse(await readFile(resolve(ctx.io.cwd, opts.file), 'utf8')));
          } catch (error) {
            throw new BadRequestError(`${opts.file} is not an environment snapshot: ${(error as Error).message}`);
          }
          if (snapshot.function !== functionName) {
            throw new BadRequestError(`${opts.file} is a snapshot of ${snapshot.function}, not ${functionName}`);
          }
          const configs = await readConfigs(lambda, functionName);
          const current = configs.latest.Environment?.Variables ?? {};
          const after = opts.exact ? { ...snapshot.variables } : { ...current, ...snapshot.variables };
          await ctx.confirm(
            `Restore ${functionName}'s environment from ${snapshot.capturedAt}${opts.exact ? ' exactly' : ''} and move LIVE to it?`,
            opts.yes,
          );
          const change = await applyEnvironment(lambda, functionName, configs, after, {
            reason: `pulse env restore (snapshot ${snapshot.capturedAt})`,
            ...(opts.force ? { force: true } : {}),
            ...wait,
          });
          return {
            data: { ...change, snapshot: { file: opts.file, capturedAt: snapshot.capturedAt } },
            lines: [
              `${ctx.c.green('✓')} ${functionName} environment restored from ${snapshot.capturedAt}`,
              ...renderChange(ctx.c, change),
            ],
          };
        },
      ),
    );
}

export function registerFunctionControls(program: Command, deps: ProgramDeps): void {
  registerCircuitBreaker(program, deps);
  registerConcurrency(program, deps);
  registerRollback(program, deps);
  registerProvisioned(program, deps);
  registerEnv(program, deps);
}
