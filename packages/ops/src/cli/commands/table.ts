/** `pulse table backup | restore`: on-demand backups of the hot-aggregates table (the runbook's pre-rollback step). */
import type { Command } from 'commander';
import { backUpTable, restoreTable } from '../../use-cases/table-backup.use-case';
import { action, type ProgramDeps } from '../runtime';

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
        const result = await backUpTable(await ctx.clients(), {
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
    .description('restore a backup into a NEW table (then point the functions at it with `pulse env`)')
    .requiredOption('--backup <arn>', 'backup ARN (from `pulse table backup`)')
    .requiredOption('--to-table <name>', 'name of the table to create')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { backup: string; toTable: string; yes?: boolean }) => {
        const target = await ctx.awsTarget('table restore');
        const restored = await restoreTable(
          await ctx.clients(),
          { liveTable: target.table, backupArn: opts.backup, toTable: opts.toTable },
          (plan) => ctx.confirm(`Restore ${plan.backupArn} into a new table ${plan.toTable}?`, opts.yes),
        );
        return {
          data: restored,
          lines: [
            `${ctx.c.green('✓')} restoring into ${restored.table}: ${restored.status}`,
            '  when ACTIVE: check it, then switch the ETL and API to it (DYNAMODB_TABLE) with `pulse env restore` or a deploy;',
            '  re-enable point-in-time recovery and TTL on the new table (a restore does not carry them over)',
          ],
        };
      }),
    );
}
