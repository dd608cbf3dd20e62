/**
 * `pulse health --after-deploy`: what a deploy can break, and not data freshness. In AWS mode the
 * stage's table and queues (AWS names) live on the local servers and the API is the real handler
 * behind the local GraphQL server; the Lambda control plane and AppSync, which have no local
 * server, are mocked (aws-sdk-client-mock). The local mode runs against the test stack.
 */
import { randomUUID } from 'node:crypto';
import { AppSyncClient, ListApiKeysCommand, ListGraphqlApisCommand } from '@aws-sdk/client-appsync';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetAliasCommand,
  type GetAliasCommandInput,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  LambdaClient,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionCommandInput,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { startGraphqlServer } from '@opendata-pulse/local/appsync';
import { TABLE_DEFINITION } from '@opendata-pulse/shared/infra';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type OpsTarget, stageTarget } from '../../src/deployment/deployment';
import type { AfterDeployReport } from '../../src/use-cases/after-deploy.use-case';
import { inputsOf } from '../support/aws-mocks';
import { runPulse } from '../support/run-pulse';
import { clientsFor, LOCAL_CREDENTIALS, startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');
const API_KEY = 'after-deploy-test-key';
const ACCOUNT = '123456789012';
const lambdaMock = mockClient(LambdaClient);
const appsyncMock = mockClient(AppSyncClient);

interface FunctionState {
  live?: string;
  versions?: string[];
  state?: string;
  reason?: string;
}

/** The Lambda control plane of a stage whose functions are in `states` (by full name). */
function lambdaFunctions(states: Record<string, FunctionState>) {
  const of = (name: string | undefined) => states[name ?? ''] ?? {};
  lambdaMock
    .on(GetAliasCommand)
    .callsFake((input: GetAliasCommandInput) => {
      const { live } = of(input.FunctionName);
      if (live === undefined) {
        throw new ResourceNotFoundException({ message: `Alias not found: ${input.FunctionName}:LIVE`, $metadata: {} });
      }
      return { Name: 'LIVE', FunctionVersion: live };
    })
    .on(GetFunctionConfigurationCommand)
    .callsFake((input: GetFunctionConfigurationCommandInput) => {
      const fn = of(input.FunctionName);
      return {
        FunctionName: input.FunctionName,
        Version: fn.live,
        State: fn.state ?? 'Active',
        ...(fn.reason ? { StateReason: fn.reason } : {}),
        LastUpdateStatus: 'Successful',
        Environment: { Variables: {} },
      };
    })
    .on(ListVersionsByFunctionCommand)
    .callsFake((input: ListVersionsByFunctionCommandInput) => ({
      Versions: ['$LATEST', ...(of(input.FunctionName).versions ?? [])].map((Version) => ({ Version })),
    }));
}

describe('pulse health --after-deploy --stage', () => {
  let stack: TestStack;
  let graphql: { url: string; close(): Promise<void> };
  let names: OpsTarget;
  let stage: string;
  let aws: string[];
  let overrides: Parameters<typeof runPulse>[1];
  let dynamoControl: DynamoDBClient;

  beforeAll(async () => {
    // the API as clients reach it: the real handler behind the local GraphQL server
    stack = await startTestStack(local, { functions: ['api'] });
    graphql = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      invoke: (event) => stack.functions.invoke('api', event),
    });
    // the stage's table and queues under their AWS names, on the local servers; no data at all
    stage = `t${randomUUID().slice(0, 6)}`;
    names = stageTarget({ stage, region: local.region, accountId: ACCOUNT });
    const clients = clientsFor(local);
    dynamoControl = new DynamoDBClient({
      region: local.region,
      endpoint: local.endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    });
    await dynamoControl.send(
      new CreateTableCommand({ TableName: names.table, ...TABLE_DEFINITION } as ConstructorParameters<
        typeof CreateTableCommand
      >[0]),
    );
    for (const queue of [names.queueName, names.dlqName])
      await clients.sqs.send(new CreateQueueCommand({ QueueName: queue }));
    overrides = { clientOverrides: { ...clients, dynamoControl } };
    aws = ['--stage', stage, '--account', ACCOUNT];
  });
  beforeEach(() => {
    lambdaMock.reset();
    appsyncMock.reset();
    appsyncMock
      .on(ListGraphqlApisCommand)
      .resolves({
        graphqlApis: [{ name: `opendata-pulse-api-${stage}`, apiId: 'api1', uris: { GRAPHQL: graphql.url } }],
      })
      .on(ListApiKeysCommand)
      .resolves({ apiKeys: [{ id: API_KEY, expires: 4_102_444_800 }] });
  });
  afterAll(async () => {
    lambdaMock.restore();
    appsyncMock.restore();
    dynamoControl.destroy();
    await graphql.close();
    await stack.stop();
  });

  it('passes a good deploy on a stage with no data, reading LIVE, its state and the version before it', async () => {
    // Prepare
    const fns = Object.values(names.functions);
    lambdaFunctions(Object.fromEntries(fns.map((f) => [f, { live: '13', versions: ['11', '12', '13'] }])));

    // Act
    const run = await runPulse(['health', '--after-deploy', ...aws, '--json'], overrides);
    const human = await runPulse(['health', '--after-deploy', ...aws], overrides);

    // Assess
    expect(inputsOf(lambdaMock.commandCalls(GetAliasCommand)).slice(0, 4)).toEqual(
      fns.map((f) => ({ FunctionName: f, Name: 'LIVE' })),
    );
    expect(inputsOf(lambdaMock.commandCalls(GetFunctionConfigurationCommand)).slice(0, 4)).toEqual(
      fns.map((f) => ({ FunctionName: f, Qualifier: 'LIVE' })),
    );
    expect(inputsOf(lambdaMock.commandCalls(ListVersionsByFunctionCommand)).slice(0, 4)).toEqual(
      fns.map((f) => ({ FunctionName: f })),
    );
    const report = run.json<AfterDeployReport>();
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toEqual({
      'function:ingest': 'ok',
      'function:etl': 'ok',
      'function:api': 'ok',
      'function:health-check': 'ok',
      table: 'ok',
      queue: 'ok',
      dlq: 'ok',
      api: 'ok',
    });
    expect(report.functions).toEqual(
      ['ingest', 'etl', 'api', 'health-check'].map((role) => ({
        role,
        function: `opendata-pulse-${role}-${stage}`,
        liveVersion: '13',
        previousVersion: '12',
      })),
    );
    expect(report.ok).toBe(true);
    expect(run.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`✓ λ opendata-pulse-etl-${stage} +LIVE v13 Active; previous v12`));
    expect(human.stdout).toMatch(/✓ API +answers \(0 stations, \d+ ms\)/);
    expect(human.stdout).toContain('Data freshness is not checked');
    expect(human.stdout).toContain('DEPLOY OK');
    expect(human.code).toBe(0);
  });

  it('fails a broken deploy and names the rollback of each function that has a version to go back to', async () => {
    // Prepare: etl failed to start; api's LIVE still on $LATEST; ingest's first deploy
    lambdaFunctions({
      [names.functions.ingest]: { live: '1', versions: ['1'] },
      [names.functions.etl]: {
        live: '8',
        versions: ['6', '7', '8'],
        state: 'Failed',
        reason: 'Runtime.ImportModuleError',
      },
      [names.functions.api]: { live: '$LATEST', versions: ['4'] },
      [names.functions.healthCheck]: { live: '3', versions: ['2', '3'] },
    });

    // Act
    const run = await runPulse(['health', '--after-deploy', ...aws], overrides);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`✓ λ opendata-pulse-ingest-${stage} +LIVE v1 Active; no earlier version \\(first deploy\\)`),
    );
    expect(run.stdout).toMatch(
      new RegExp(`✗ λ opendata-pulse-etl-${stage} +LIVE v8 Failed \\(Runtime.ImportModuleError\\); previous v7`),
    );
    expect(run.stdout).toMatch(
      new RegExp(`✗ λ opendata-pulse-api-${stage} +LIVE points at \\$LATEST, not a published version`),
    );
    expect(run.stdout).toContain('DEPLOY BROKEN');
    expect(run.stdout).toContain('pulse rollback --function etl --to-version 7 --yes   (now v8)');
    expect(run.stdout).toContain('pulse rollback --function health-check --to-version 2 --yes   (now v3)');
    expect(run.stdout).not.toContain('--function ingest --to-version');
  });

  it('fails a function without a LIVE alias: every event source invokes LIVE', async () => {
    // Prepare
    lambdaFunctions({ [names.functions.ingest]: { live: '2', versions: ['1', '2'] } });

    // Act
    const run = await runPulse(['health', '--after-deploy', ...aws, '--json'], overrides);

    // Assess
    const report = run.json<AfterDeployReport>();
    expect(report.checks.find((c) => c.id === 'function:etl')).toMatchObject({
      status: 'fail',
      detail: 'no LIVE alias (or no such function): every event source invokes LIVE',
    });
    expect(run.code).toBe(1);
  });
});

describe('pulse health --after-deploy --local', () => {
  let stack: TestStack;
  let graphql: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    stack = await startTestStack(local, { functions: ['ingest', 'etl', 'api'] });
    graphql = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      invoke: (event) => stack.functions.invoke('api', event),
    });
    await stack.setGraphql({ url: graphql.url, apiKey: API_KEY });
  });
  afterAll(async () => {
    await graphql.close();
    await stack.stop();
  });

  it('passes a fresh stack with no data, where the full health check fails on freshness', async () => {
    // Act
    const afterDeploy = await runPulse(['health', '--after-deploy', '--local', '--json'], {
      env: { PULSE_DATA_DIR: stack.dataDir },
    });
    const health = await runPulse(['health', '--local'], { env: { PULSE_DATA_DIR: stack.dataDir } });

    // Assess
    const report = afterDeploy.json<AfterDeployReport>();
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['function:ingest', 'ok'],
      ['function:etl', 'ok'],
      ['function:api', 'ok'],
      ['table', 'ok'],
      ['queue', 'ok'],
      ['dlq', 'ok'],
      ['api', 'ok'],
    ]);
    expect(afterDeploy.code).toBe(0);
    expect(health.code).toBe(1);
    expect(health.stdout).toContain('NO_DATA');
  });
});
