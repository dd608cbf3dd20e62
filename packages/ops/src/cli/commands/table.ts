/** `pulse table backup | restore`: on-demand backups of the hot-aggregates table (the runbook's pre-rollback step). */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import type { Command } from 'commander';
import { action, type ProgramDeps, type Progress } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadTableBackupUseCase = () => import('../../use-cases/table-backup.use-case');

export function registerTable(program: Command, deps: ProgramDeps): void {
  const table = program.command('table').description('on-demand backups of the hot-aggregates table');

  table
    .command('backup')
    .description('take an on-demand backup (before a rollback or a risky change)')
    .option('--name <name>', 'backup name (default <table>-<UTC time>)')
    .action(
      action(deps, async (ctx, opts: { name?: string }) => {
        const target = await ctx.awsTarget(
          'table backup',
          'dynalite keeps its data in PULSE_DATA_DIR: copy the directory instead',
        );
        const result = await (await loadTableBackupUseCase()).backUpTable(await ctx.clients(), {
          table: target.table,
          now: ctx.now(),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
        });
        const { backup } = result;
        const recovery = result.pointInTimeRecovery;
        return {
          data: { table: result.table, backup, pointInTimeRecovery: recovery ?? null },
          lines: [
            `${ctx.c.green('✓')} backup ${backup?.BackupName} of ${result.table}: ${backup?.BackupStatus}`,
            `  ARN: ${backup?.BackupArn}`,
            `  point-in-time recovery: ${recovery?.PointInTimeRecoveryStatus ?? 'unknown'}` +
              (recovery?.EarliestRestorableDateTime
                ? ` (restorable from ${recovery.EarliestRestorableDateTime.toISOString()})`
                : ''),
            `  restore: pulse table restore --backup ${backup?.BackupArn} --to-table ${result.table}-restored`,
          ],
        };
      }),
    );

  table
    .command('restore')
    .description(
      'restore a backup into a NEW table, wait for it and turn point-in-time recovery on (then switch to it)',
    )
    .requiredOption('--backup <arn>', 'backup ARN (from `pulse table backup`)')
    .requiredOption('--to-table <name>', 'name of the table to create')
    .option('--wait-minutes <n>', 'how long to wait for the restore (run the command again to resume)', '60')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { backup: string; toTable: string; waitMinutes: string; yes?: boolean }) => {
        const waitMinutes = Number(opts.waitMinutes);
        if (!Number.isFinite(waitMinutes) || waitMinutes < 0)
          throw new BadRequestError(`--wait-minutes must be a number of minutes ≥ 0; got "${opts.waitMinutes}"`);
        const target = await ctx.awsTarget('table restore');
        const owned = stageName(BASE_NAMES.table, target.stage);
        // Drawn from the first wait on, so it never runs over the confirmation question.
        let progress: Progress | undefined;
        const restored = await (await loadTableBackupUseCase())
          .restoreTable(
            await ctx.clients(),
            { liveTables: [...new Set([target.table, owned])], backupArn: opts.backup, toTable: opts.toTable },
            (plan) => ctx.confirm(`Restore ${plan.backupArn} into a new table ${plan.toTable}?`, opts.yes),
            {
              waitMs: waitMinutes * 60_000,
              ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
              onWait: (seconds) => {
                progress ??= ctx.progress(Math.max(1, waitMinutes * 60), `restoring ${opts.toTable} (s)`);
                progress.update(seconds);
              },
            },
          )
          .finally(() => progress?.stop());
        const { c } = ctx;
        const stage = `--stage ${target.stage}`;
        if (!restored.ready) {
          return {
            data: restored,
            problem: true,
            lines: [
              `${c.yellow('!')} ${restored.table} is still restoring (${restored.status ?? 'not yet listed'}); point-in-time recovery is not on yet`,
              `  run the same command again to wait and finish: pulse table restore --backup ${restored.backup} --to-table ${restored.table} ${stage}`,
            ],
          };
        }
        return {
          data: restored,
          lines: [
            `${c.green('✓')} ${restored.table} restored from the backup${restored.resumed ? ' (resumed)' : ''}: ${restored.status}, point-in-time recovery ${restored.pointInTimeRecovery}`,
            '  next: switch etl, api and ops to it (docs/DEPLOY.md, "Switch in a restored table"), then check:',
            `  for svc in etl api ops; do (cd packages/$svc && npx sls deploy ${stage} --param tableName=${restored.table}); done`,
            `  pulse health ${stage} --table ${restored.table}`,
          ],
        };
      }),
    );
}
