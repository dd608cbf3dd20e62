/** `pulse table backup | restore`: on-demand backups of the hot-aggregates table (the runbook's pre-rollback step). */
import {
  CreateBackupCommand,
  DescribeContinuousBackupsCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { requireAws } from '../aws-only';
import { action, type ProgramDeps } from '../runtime';

export function registerTable(program: Command, deps: ProgramDeps): void {
  const table = program.command('table').description('on-demand backups of the hot-aggregates table');

  table
    .command('backup')
    .description('take an on-demand backup (before a rollback or a risky change)')
    .option('--name <name>', 'backup name (default <table>-<UTC time>)')
    .action(
      action(deps, async (ctx, opts: { name?: string }) => {
        const target = await ctx.target();
        requireAws(target, 'table backup', 'dynalite keeps its data in PULSE_DATA_DIR: copy the directory instead');
        const { dynamoControl } = await ctx.clients();
        const stamp = new Date(ctx.now()).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
        const name = opts.name ?? `${target.table}-${stamp}`;
        if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name))
          throw new BadRequestError(`backup name "${name}" may use letters, digits, _ . - (3-255)`);
        const { BackupDetails: backup } = await dynamoControl.send(
          new CreateBackupCommand({ TableName: target.table, BackupName: name }),
        );
        const { ContinuousBackupsDescription: pitr } = await dynamoControl.send(
          new DescribeContinuousBackupsCommand({ TableName: target.table }),
        );
        const recovery = pitr?.PointInTimeRecoveryDescription;
        return {
          data: { table: target.table, backup, pointInTimeRecovery: recovery ?? null },
          lines: [
            `${ctx.c.green('✓')} backup ${backup?.BackupName} of ${target.table}: ${backup?.BackupStatus}`,
            `  ARN: ${backup?.BackupArn}`,
            `  point-in-time recovery: ${recovery?.PointInTimeRecoveryStatus ?? 'unknown'}` +
              (recovery?.EarliestRestorableDateTime
                ? ` (restorable from ${recovery.EarliestRestorableDateTime.toISOString()})`
                : ''),
            `  restore: pulse table restore --backup ${backup?.BackupArn} --to-table ${target.table}-restored`,
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
        const target = await ctx.target();
        requireAws(target, 'table restore');
        if (opts.toTable === target.table) {
          throw new BadRequestError(
            `--to-table must be a new table: ${target.table} is the live table (restore beside it, then switch DYNAMODB_TABLE)`,
          );
        }
        if (!opts.backup.startsWith('arn:aws:dynamodb:'))
          throw new BadRequestError(`--backup "${opts.backup}" is not a DynamoDB backup ARN`);
        await ctx.confirm(`Restore ${opts.backup} into a new table ${opts.toTable}?`, opts.yes);
        const { dynamoControl } = await ctx.clients();
        const { TableDescription: restored } = await dynamoControl.send(
          new RestoreTableFromBackupCommand({ BackupArn: opts.backup, TargetTableName: opts.toTable }),
        );
        return {
          data: { backup: opts.backup, table: restored?.TableName, status: restored?.TableStatus },
          lines: [
            `${ctx.c.green('✓')} restoring into ${restored?.TableName}: ${restored?.TableStatus}`,
            '  when ACTIVE: check it, then switch the ETL and API to it (DYNAMODB_TABLE) with `pulse env restore` or a deploy;',
            '  re-enable point-in-time recovery and TTL on the new table (a restore does not carry them over)',
          ],
        };
      }),
    );
}
