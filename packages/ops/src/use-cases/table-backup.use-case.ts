/**
 * On-demand backups of the hot-aggregates table (the runbook's step before a rollback or a risky
 * change), and restoring one, always into a new table beside the live one, made ready to switch to.
 */
import type { BackupDetails, DynamoDBClient, PointInTimeRecoveryDescription } from '@aws-sdk/client-dynamodb';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import {
  createBackup,
  describeTableIfExists,
  enablePointInTimeRecovery,
  isBackupsNotReady,
  pointInTimeRecovery,
  restoreFromBackup,
} from '../adapters/table-backups';
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
  table: string;
  /** the table existed already as a restore of this backup: this run finished it */
  resumed: boolean;
  /** TableStatus when the run ended */
  status: string | undefined;
  /** PointInTimeRecoveryStatus once turned on; undefined while the restore is still running */
  pointInTimeRecovery: string | undefined;
  /** restored, ACTIVE and point-in-time recovery on: ready to switch to */
  ready: boolean;
}

export interface RestoreOptions {
  /** how long to wait for the restore to finish before answering "still restoring" */
  waitMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** seconds waited so far and the table's status, while waiting */
  onWait?: (seconds: number, status: string) => void;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const BACKUP_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]+\/backup\/[a-zA-Z0-9-]+$/;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Restore a backup into a new table, wait for it, and turn point-in-time recovery on (a restored
 * table does not inherit it), so it is fit to be switched in (docs/DEPLOY.md, "Switch in a
 * restored table"). Running it again for the same backup and table resumes: nothing is restored
 * twice, the wait and PITR are finished.
 */
export async function restoreTable(
  deps: TableBackupDeps,
  input: { liveTables: readonly string[]; backupArn: string; toTable: string },
  confirm: Confirm<{ backupArn: string; toTable: string }>,
  options: RestoreOptions,
): Promise<TableRestore> {
  const { liveTables, backupArn, toTable } = input;
  if (!TABLE_NAME.test(toTable))
    throw new BadRequestError(`--to-table "${toTable}" may use letters, digits, _ . - (3-255)`);
  if (liveTables.includes(toTable)) {
    throw new BadRequestError(
      `--to-table must be a new table: ${toTable} is the live table (restore beside it, then switch to it with --param tableName)`,
    );
  }
  if (!BACKUP_ARN.test(backupArn))
    throw new BadRequestError(
      `--backup "${backupArn}" is not a DynamoDB backup ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/backup/<id>)`,
    );
  const existing = await describeTableIfExists(deps.dynamoControl, toTable);
  if (existing && existing.RestoreSummary?.SourceBackupArn !== backupArn) {
    throw new BadRequestError(
      `table ${toTable} already exists and is not a restore of this backup: choose another --to-table`,
    );
  }
  if (!existing) {
    await confirm({ backupArn, toTable });
    await restoreFromBackup(deps.dynamoControl, backupArn, toTable);
  }
  const result = { backup: backupArn, table: toTable, resumed: existing !== undefined };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = now();
  const waited = () => Math.round((now() - started) / 1000);
  const pause = () => sleep(options.pollMs ?? 10_000);
  let status: string | undefined;
  for (;;) {
    const table = await describeTableIfExists(deps.dynamoControl, toTable);
    status = table?.TableStatus;
    if (status === 'ACTIVE' && !table?.RestoreSummary?.RestoreInProgress) break;
    if (now() - started >= options.waitMs) return { ...result, status, pointInTimeRecovery: undefined, ready: false };
    options.onWait?.(waited(), status ?? 'NOT YET LISTED');
    await pause();
  }
  for (;;) {
    try {
      const recovery = await enablePointInTimeRecovery(deps.dynamoControl, toTable);
      const pitr = recovery?.PointInTimeRecoveryStatus;
      return { ...result, status, pointInTimeRecovery: pitr, ready: pitr === 'ENABLED' };
    } catch (error) {
      if (!isBackupsNotReady(error)) throw error;
      if (now() - started >= options.waitMs) return { ...result, status, pointInTimeRecovery: undefined, ready: false };
      options.onWait?.(waited(), 'backups being set up');
      await pause();
    }
  }
}
