/** DynamoDB's backup API for the hot-aggregates table: on-demand backups, PITR, restores. */
import {
  type BackupDetails,
  CreateBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type PointInTimeRecoveryDescription,
  RestoreTableFromBackupCommand,
  type TableDescription,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';

export async function createBackup(
  dynamoControl: DynamoDBClient,
  table: string,
  name: string,
): Promise<BackupDetails | undefined> {
  return (await dynamoControl.send(new CreateBackupCommand({ TableName: table, BackupName: name }))).BackupDetails;
}

export async function pointInTimeRecovery(
  dynamoControl: DynamoDBClient,
  table: string,
): Promise<PointInTimeRecoveryDescription | undefined> {
  const { ContinuousBackupsDescription } = await dynamoControl.send(
    new DescribeContinuousBackupsCommand({ TableName: table }),
  );
  return ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
}

/** Restore into a new table (a restore never writes over an existing one). */
export async function restoreFromBackup(
  dynamoControl: DynamoDBClient,
  backupArn: string,
  table: string,
): Promise<TableDescription | undefined> {
  return (await dynamoControl.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: table })))
    .TableDescription;
}

/** The table's description; undefined when no table has that name. */
export async function describeTableIfExists(
  dynamoControl: DynamoDBClient,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    return (await dynamoControl.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Turn point-in-time recovery on. A table made by a restore starts without it; until DynamoDB has
 * set up backups for a new table this fails with ContinuousBackupsUnavailableException
 * (see isBackupsNotReady).
 */
export async function enablePointInTimeRecovery(
  dynamoControl: DynamoDBClient,
  table: string,
): Promise<PointInTimeRecoveryDescription | undefined> {
  const { ContinuousBackupsDescription } = await dynamoControl.send(
    new UpdateContinuousBackupsCommand({
      TableName: table,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
  return ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
}

export function isBackupsNotReady(error: unknown): boolean {
  return (error as Error)?.name === 'ContinuousBackupsUnavailableException';
}
