/**
 * On-demand backups of the hot-aggregates table (the runbook's step before a rollback or a risky
 * change), and restoring one, always into a new table beside the live one.
 */
import type { BackupDetails, DynamoDBClient, PointInTimeRecoveryDescription } from '@aws-sdk/client-dynamodb';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { createBackup, pointInTimeRecovery, restoreFromBackup } from '../adapters/table-backups';
import type { Confirm } from './ports';

export interface TableBackupDeps {
  dynamoControl: DynamoDBClient;
}

export interface TableBackup {
  table: string;
  backup: BackupDetails | undefined;
  pointInTimeRecovery: PointInTimeRecoveryDescription | undefined;
}

/** `<table>-YYYYMMDD-HHMM` (UTC). */
export function defaultBackupName(table: string, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${table}-${stamp}`;
}

export async function backUpTable(
  deps: TableBackupDeps,
  input: { table: string; name?: string; now: number },
): Promise<TableBackup> {
  const name = input.name ?? defaultBackupName(input.table, input.now);
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name))
    throw new BadRequestError(`backup name "${name}" may use letters, digits, _ . - (3-255)`);
  const backup = await createBackup(deps.dynamoControl, input.table, name);
  const recovery = await pointInTimeRecovery(deps.dynamoControl, input.table);
  return { table: input.table, backup, pointInTimeRecovery: recovery };
}

export interface TableRestore {
  backup: string;
  table: string | undefined;
  status: string | undefined;
}

export async function restoreTable(
  deps: TableBackupDeps,
  input: { liveTable: string; backupArn: string; toTable: string },
  confirm: Confirm<{ backupArn: string; toTable: string }>,
): Promise<TableRestore> {
  const { liveTable, backupArn, toTable } = input;
  if (toTable === liveTable) {
    throw new BadRequestError(
      `--to-table must be a new table: ${liveTable} is the live table (restore beside it, then switch DYNAMODB_TABLE)`,
    );
  }
  if (!backupArn.startsWith('arn:aws:dynamodb:'))
    throw new BadRequestError(`--backup "${backupArn}" is not a DynamoDB backup ARN`);
  await confirm({ backupArn, toTable });
  const restored = await restoreFromBackup(deps.dynamoControl, backupArn, toTable);
  return { backup: backupArn, table: restored?.TableName, status: restored?.TableStatus };
}
