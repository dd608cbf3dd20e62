/** DynamoDB's backup API for the hot-aggregates table: on-demand backups, PITR status, restores. */
import {
  type BackupDetails,
  CreateBackupCommand,
  DescribeContinuousBackupsCommand,
  type DynamoDBClient,
  type PointInTimeRecoveryDescription,
  RestoreTableFromBackupCommand,
  type TableDescription,
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
