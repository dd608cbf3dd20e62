/**
 * `pulse health --stage` resolves every name from the stage (shared /infra) and the queues through
 * GetQueueUrl, as against AWS. Here the stage's table, buckets and queues live on the local
 * servers; the Lambda control plane and AppSync, which have no local server, are mocked
 * (aws-sdk-client-mock).
 */
import { randomUUID } from 'node:crypto';
import { AccessDeniedException, AppSyncClient, ListGraphqlApisCommand } from '@aws-sdk/client-appsync';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { TABLE_DEFINITION } from '@opendata-pulse/shared/infra';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stageTarget } from '../../src/deployment/deployment';
import type { HealthReport } from '../../src/use-cases/health-checks';
import { inputsOf } from '../support/aws-mocks';
import { runPulse } from '../support/run-pulse';
import { clientsFor, LOCAL_CREDENTIALS } from '../support/test-stack';

const local = inject('localAws');
const lambdaMock = mockClient(LambdaClient);
const appsyncMock = mockClient(AppSyncClient);
afterAll(() => {
  lambdaMock.restore();
  appsyncMock.restore();
});

describe('pulse health --stage (AWS names, stage resources on the local servers)', () => {
  it('finds the stage resources by name, reads function state on LIVE, and reports a missing API', async () => {
    // Prepare: the stage's resources under their AWS names
    const stage = `t${randomUUID().slice(0, 6)}`;
    const names = stageTarget({ stage, region: local.region, accountId: '123456789012' });
    const clients = clientsFor(local);
    const dynamoControl = new DynamoDBClient({
      region: local.region,
      endpoint: local.endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    });
    await dynamoControl.send(
      new CreateTableCommand({ TableName: names.table, ...TABLE_DEFINITION } as ConstructorParameters<
        typeof CreateTableCommand
      >[0]),
    );
    for (const bucket of [names.rawBucket, names.curatedBucket])
      await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const queue of [names.queueName, names.dlqName])
      await clients.sqs.send(new CreateQueueCommand({ QueueName: queue }));
    lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input: GetFunctionConfigurationCommandInput) => ({
      FunctionName: input.FunctionName,
      Version: '3',
      State: input.FunctionName === names.functions.api ? 'Failed' : 'Active',
      StateReason: 'The function could not be created',
      Environment: { Variables: { CIRCUIT_BREAKER: 'false' } },
    }));
    appsyncMock
      .on(ListGraphqlApisCommand)
      .rejects(
        new AccessDeniedException({ message: 'not authorised to list APIs', $metadata: { httpStatusCode: 403 } }),
      );

    // Act
    const run = await runPulse(['health', '--stage', stage, '--account', '123456789012', '--json'], {
      clientOverrides: { ...clients, dynamoControl },
    });

    // Assess
    const report = run.json<HealthReport>();
    expect(inputsOf(lambdaMock.commandCalls(GetFunctionConfigurationCommand))).toEqual(
      ['ingest', 'etl', 'api', 'health-check'].map((f) => ({
        FunctionName: `opendata-pulse-${f}-${stage}`,
        Qualifier: 'LIVE',
      })),
    );
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      'function:ingest': 'ok',
      'function:api': 'fail',
      'circuit-breakers': 'ok',
      table: 'ok',
      'bucket:raw': 'ok',
      'bucket:curated': 'ok',
      dlq: 'ok',
      queue: 'ok',
      api: 'fail',
    });
    expect(report.checks.find((c) => c.id === 'api')?.detail).toBe('not authorised to list APIs');
    expect(run.code).toBe(1);
    dynamoControl.destroy();
  });
});
