/**
 * `pulse table backup | restore` and `--table` against DynamoDB's control plane mocked with
 * aws-sdk-client-mock (dynalite has no backups, no restores, no point-in-time recovery): the exact
 * requests, and what the operator reads.
 */
import {
  ContinuousBackupsUnavailableException,
  CreateBackupCommand,
  type CreateBackupCommandInput,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  RestoreTableFromBackupCommand,
  type RestoreTableFromBackupCommandInput,
  type TableDescription,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { inputsOf, sentCommands } from '../support/aws-mocks';
import { runPulse } from '../support/run-pulse';

const AWS = ['--stage', 'prod', '--account', '123456789012'];
const BACKUP =
  'arn:aws:dynamodb:ap-southeast-2:123456789012:table/opendata-pulse-hot-aggregates/backup/01732685999000-1a2b3c4d';
const RESTORED = 'opendata-pulse-hot-aggregates-restored';

const dynamoMock = mockClient(DynamoDBClient);
beforeEach(() => {
  dynamoMock.reset();
});
afterAll(() => {
  dynamoMock.restore();
});

const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
const backupsNotReady = () =>
  new ContinuousBackupsUnavailableException({ message: 'Backups are being enabled for the table', $metadata: {} });
/** The restored table as DescribeTable shows it while (and after) the restore runs. */
const restoring = (status: string, inProgress: boolean, source = BACKUP): { Table: TableDescription } => ({
  Table: {
    TableName: RESTORED,
    TableStatus: status as TableDescription['TableStatus'],
    RestoreSummary: { SourceBackupArn: source, RestoreDateTime: new Date(0), RestoreInProgress: inProgress },
  },
});
const pitrOn = {
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED' as const,
    PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' as const },
  },
};
const restore = (...extra: string[]) =>
  runPulse(['table', 'restore', '--backup', BACKUP, '--to-table', RESTORED, '--yes', ...extra, ...AWS]);

describe('table backup', () => {
  function dynamo() {
    dynamoMock
      .on(CreateBackupCommand)
      .callsFake((input: CreateBackupCommandInput) => ({
        BackupDetails: {
          BackupName: input.BackupName,
          BackupStatus: 'CREATING',
          BackupArn: 'arn:aws:dynamodb:ap-southeast-2:123456789012:table/opendata-pulse-hot-aggregates/backup/01',
        },
      }))
      .on(DescribeContinuousBackupsCommand)
      .resolves({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
        },
      });
  }

  it('backup names the backup after the table and the time, and reports PITR', async () => {
    // Prepare
    dynamo();

    // Act
    const run = await runPulse(['table', 'backup', ...AWS], {
      now: Date.parse('2026-11-20T10:42:00Z'),
    });

    // Assess
    expect(inputsOf(dynamoMock.commandCalls(CreateBackupCommand))).toEqual([
      { TableName: 'opendata-pulse-hot-aggregates', BackupName: 'opendata-pulse-hot-aggregates-20261120-1042' },
    ]);
    expect(run.stdout).toContain('point-in-time recovery: ENABLED');
    expect(run.stdout).toContain('pulse table restore --backup arn:aws:dynamodb:');
  });

  it('--table backs up the table switched in instead of the stage’s own', async () => {
    // Prepare
    dynamo();

    // Act
    const run = await runPulse(['table', 'backup', '--table', RESTORED, ...AWS], {
      now: Date.parse('2026-11-20T10:42:00Z'),
    });

    // Assess
    expect(run.code).toBe(0);
    expect(sentCommands(dynamoMock)).toEqual([
      {
        command: 'CreateBackupCommand',
        input: { TableName: RESTORED, BackupName: `${RESTORED}-20261120-1042` },
      },
      { command: 'DescribeContinuousBackupsCommand', input: { TableName: RESTORED } },
    ]);
  });

  it('--table refuses a name DynamoDB would not take, sending nothing', async () => {
    // Act
    const run = await runPulse(['table', 'backup', '--table', 'no spaces/here', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--table "no spaces/here" is not a DynamoDB table name');
    expect(sentCommands(dynamoMock)).toEqual([]);
  });
});

describe('table restore', () => {
  it('restores into a new table, waits until it is ACTIVE, turns point-in-time recovery on and says how to switch', async () => {
    // Prepare
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce(restoring('CREATING', true))
      .resolves(restoring('ACTIVE', false))
      .on(RestoreTableFromBackupCommand)
      .callsFake((input: RestoreTableFromBackupCommandInput) => ({
        TableDescription: { TableName: input.TargetTableName, TableStatus: 'CREATING' },
      }))
      .on(UpdateContinuousBackupsCommand)
      .resolves(pitrOn);

    // Act
    const run = await restore();

    // Assess
    expect(sentCommands(dynamoMock)).toEqual([
      { command: 'DescribeTableCommand', input: { TableName: RESTORED } },
      { command: 'RestoreTableFromBackupCommand', input: { BackupArn: BACKUP, TargetTableName: RESTORED } },
      { command: 'DescribeTableCommand', input: { TableName: RESTORED } },
      { command: 'DescribeTableCommand', input: { TableName: RESTORED } },
      {
        command: 'UpdateContinuousBackupsCommand',
        input: { TableName: RESTORED, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      },
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `✓ ${RESTORED} restored from the backup: ACTIVE, point-in-time recovery ENABLED`,
        '  next: switch etl, api and ops to it (docs/DEPLOY.md, "Switch in a restored table"), then check:',
        `  for svc in etl api ops; do (cd packages/$svc && npx sls deploy --stage prod --param tableName=${RESTORED}); done`,
        `  pulse health --stage prod --table ${RESTORED}`,
        '',
      ].join('\n'),
    );
  });

  it('asks for point-in-time recovery again while DynamoDB is still setting up backups for the new table', async () => {
    // Prepare
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolves(restoring('ACTIVE', false))
      .on(RestoreTableFromBackupCommand)
      .resolves({ TableDescription: { TableName: RESTORED, TableStatus: 'CREATING' } })
      .on(UpdateContinuousBackupsCommand)
      .rejectsOnce(backupsNotReady())
      .resolves(pitrOn);

    // Act
    const run = await restore('--json');

    // Assess
    expect(inputsOf(dynamoMock.commandCalls(UpdateContinuousBackupsCommand))).toEqual([
      { TableName: RESTORED, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      { TableName: RESTORED, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    ]);
    expect(run.json()).toEqual({
      backup: BACKUP,
      table: RESTORED,
      resumed: false,
      status: 'ACTIVE',
      pointInTimeRecovery: 'ENABLED',
      ready: true,
    });
  });

  it('answers "still restoring" (exit 1) past --wait-minutes, and a second run resumes without restoring twice', async () => {
    // Prepare
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce(restoring('CREATING', true))
      .resolvesOnce(restoring('CREATING', true))
      .resolves(restoring('ACTIVE', false))
      .on(RestoreTableFromBackupCommand)
      .resolves({ TableDescription: { TableName: RESTORED, TableStatus: 'CREATING' } })
      .on(UpdateContinuousBackupsCommand)
      .resolves(pitrOn);

    // Act
    const first = await restore('--wait-minutes', '0');
    const second = await restore();

    // Assess
    expect(first.code).toBe(1);
    expect(first.stdout).toBe(
      [
        `! ${RESTORED} is still restoring (CREATING); point-in-time recovery is not on yet`,
        `  run the same command again to wait and finish: pulse table restore --backup ${BACKUP} --to-table ${RESTORED} --stage prod`,
        '',
      ].join('\n'),
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      `✓ ${RESTORED} restored from the backup (resumed): ACTIVE, point-in-time recovery ENABLED`,
    );
    expect(sentCommands(dynamoMock).map((c) => c.command)).toEqual([
      'DescribeTableCommand',
      'RestoreTableFromBackupCommand',
      'DescribeTableCommand',
      'DescribeTableCommand',
      'DescribeTableCommand',
      'UpdateContinuousBackupsCommand',
    ]);
  });

  it('refuses the live table, the stage’s own table and a table restored from something else, changing nothing', async () => {
    // Prepare
    dynamoMock.on(DescribeTableCommand).resolves(restoring('ACTIVE', false, `${BACKUP}-other`));

    // Act
    const own = await runPulse([
      'table',
      'restore',
      '--backup',
      BACKUP,
      '--to-table',
      'opendata-pulse-hot-aggregates',
      '--yes',
      '--table',
      RESTORED,
      ...AWS,
    ]);
    const live = await runPulse([
      'table',
      'restore',
      '--backup',
      BACKUP,
      '--to-table',
      RESTORED,
      '--yes',
      '--table',
      RESTORED,
      ...AWS,
    ]);
    const taken = await restore();

    // Assess
    expect([own.code, live.code, taken.code]).toEqual([2, 2, 2]);
    expect(own.stderr).toContain('opendata-pulse-hot-aggregates is the live table');
    expect(live.stderr).toContain(`${RESTORED} is the live table`);
    expect(taken.stderr).toContain(`table ${RESTORED} already exists and is not a restore of this backup`);
    expect(sentCommands(dynamoMock)).toEqual([{ command: 'DescribeTableCommand', input: { TableName: RESTORED } }]);
  });

  it('names a malformed backup ARN, table name or wait before sending anything', async () => {
    // Act
    const arn = await runPulse(['table', 'restore', '--backup', 'backup-01', '--to-table', RESTORED, '--yes', ...AWS]);
    const name = await runPulse(['table', 'restore', '--backup', BACKUP, '--to-table', 'a/b', '--yes', ...AWS]);
    const wait = await restore('--wait-minutes', 'soon');

    // Assess
    expect([arn.code, name.code, wait.code]).toEqual([2, 2, 2]);
    expect(arn.stderr).toContain('--backup "backup-01" is not a DynamoDB backup ARN');
    expect(name.stderr).toContain('--to-table "a/b" may use letters, digits, _ . - (3-255)');
    expect(wait.stderr).toContain('--wait-minutes must be a number of minutes ≥ 0; got "soon"');
    expect(sentCommands(dynamoMock)).toEqual([]);
  });
});
