/**
 * circuit-breaker, concurrency, rollback, provisioned and env against a mocked Lambda control
 * plane (aws-sdk-client-mock; no local server exists for it): each test asserts the exact
 * requests the CLI sends.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteFunctionConcurrencyCommand,
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionCommandInput,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandInput,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  type UpdateAliasCommandInput,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { inputsOf, sentCommands } from '../support/aws-mocks';
import { localStackDir } from '../support/endpoints-dir';
import { runPulse } from '../support/run-pulse';

const lambdaMock = mockClient(LambdaClient);
beforeEach(() => {
  lambdaMock.reset();
});
afterAll(() => {
  lambdaMock.restore();
});

const AWS = ['--stage', 'prod', '--account', '123456789012'];
const VARS = {
  S3_BUCKET: 'opendata-pulse-raw-data-123456789012',
  NSW_API_ENDPOINT: 'https://data.airquality.nsw.gov.au/api/Data',
  LOG_LEVEL: 'INFO',
  CIRCUIT_BREAKER: 'false',
};

/**
 * A function whose $LATEST and LIVE (v7) run the same code with `vars`; after an update, $LATEST
 * reports `updateStatus` in turn (the last one from then on), as Lambda applies it asynchronously.
 */
function lambdaWith(vars: Record<string, string>, options: { liveCode?: string; updateStatus?: string[] } = {}) {
  let latestVars = { ...vars };
  let statuses = ['Successful'];
  return lambdaMock
    .on(GetFunctionConfigurationCommand)
    .callsFake((input: GetFunctionConfigurationCommandInput) =>
      input.Qualifier === 'LIVE'
        ? {
            Version: '7',
            CodeSha256: options.liveCode ?? 'code-a',
            Environment: { Variables: vars },
            RevisionId: 'rev-live',
          }
        : {
            Version: '$LATEST',
            CodeSha256: 'code-a',
            Environment: { Variables: latestVars },
            RevisionId: 'rev-1',
            LastUpdateStatus: statuses.length > 1 ? statuses.shift() : statuses[0],
          },
    )
    .on(UpdateFunctionConfigurationCommand)
    .callsFake((input: UpdateFunctionConfigurationCommandInput) => {
      latestVars = input.Environment?.Variables ?? {};
      statuses = [...(options.updateStatus ?? ['Successful'])];
      return { RevisionId: 'rev-2', LastUpdateStatus: 'InProgress' };
    })
    .on(PublishVersionCommand)
    .resolves({ Version: '8' })
    .on(UpdateAliasCommand)
    .callsFake((input: UpdateAliasCommandInput) => ({ Name: 'LIVE', FunctionVersion: input.FunctionVersion }));
}

describe('circuit-breaker', () => {
  it('on: sets CIRCUIT_BREAKER keeping every other variable, waits for the update, publishes and moves LIVE', async () => {
    // Prepare
    lambdaWith(VARS, { updateStatus: ['InProgress', 'Successful'] });

    // Act
    const run = await runPulse(['circuit-breaker', 'on', '--function', 'ingest', ...AWS, '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(sentCommands(lambdaMock)).toEqual([
      { command: 'GetFunctionConfigurationCommand', input: { FunctionName: 'opendata-pulse-ingest' } },
      {
        command: 'GetFunctionConfigurationCommand',
        input: { FunctionName: 'opendata-pulse-ingest', Qualifier: 'LIVE' },
      },
      {
        command: 'UpdateFunctionConfigurationCommand',
        input: {
          FunctionName: 'opendata-pulse-ingest',
          Environment: { Variables: { ...VARS, CIRCUIT_BREAKER: 'true' } },
          RevisionId: 'rev-1',
        },
      },
      { command: 'GetFunctionConfigurationCommand', input: { FunctionName: 'opendata-pulse-ingest' } },
      { command: 'GetFunctionConfigurationCommand', input: { FunctionName: 'opendata-pulse-ingest' } },
      {
        command: 'PublishVersionCommand',
        input: {
          FunctionName: 'opendata-pulse-ingest',
          Description: 'pulse circuit-breaker on',
          CodeSha256: 'code-a',
          RevisionId: 'rev-1',
        },
      },
      {
        command: 'UpdateAliasCommand',
        input: { FunctionName: 'opendata-pulse-ingest', Name: 'LIVE', FunctionVersion: '8' },
      },
    ]);
    expect(run.json()).toMatchObject({
      circuitBreaker: true,
      diff: { added: [], removed: [], changed: [{ name: 'CIRCUIT_BREAKER', from: 'false', to: 'true' }] },
      live: { from: '7', to: '8' },
    });
  });

  it('off prints what changed and what was kept', async () => {
    // Prepare
    lambdaWith({ ...VARS, CIRCUIT_BREAKER: 'true' });

    // Act
    const run = await runPulse(
      ['circuit-breaker', 'off', '--function', 'etl', '--stage', 'staging', '--account', '123456789012'],
      {},
    );

    // Assess
    expect(run.code).toBe(0);
    expect(inputsOf(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand))).toEqual([
      {
        FunctionName: 'opendata-pulse-etl-staging',
        Environment: { Variables: { ...VARS, CIRCUIT_BREAKER: 'false' } },
        RevisionId: 'rev-1',
      },
    ]);
    expect(run.stdout).toContain('circuit breaker OFF for opendata-pulse-etl-staging');
    expect(run.stdout).toContain('CIRCUIT_BREAKER: true → false');
    expect(run.stdout).toContain('kept unchanged: LOG_LEVEL, NSW_API_ENDPOINT, S3_BUCKET');
    expect(run.stdout).toContain('published version 8; LIVE 7 → 8');
  });

  it('refuses to publish over a LIVE alias that runs other code (a rollback in place), changing nothing', async () => {
    // Prepare
    lambdaWith(VARS, { liveCode: 'code-older' });

    // Act
    const run = await runPulse(['circuit-breaker', 'on', '--function', 'ingest', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LIVE runs version 7, whose code differs from $LATEST');
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
  });

  it('status reads LIVE and $LATEST without changing anything', async () => {
    // Prepare
    lambdaWith({ ...VARS, CIRCUIT_BREAKER: 'true' });

    // Act
    const run = await runPulse(['circuit-breaker', 'status', '--function', 'api', ...AWS, '--json']);

    // Assess
    expect(run.json()).toMatchObject({
      function: 'opendata-pulse-api',
      circuitBreaker: true,
      live: true,
      latest: true,
    });
    expect(lambdaMock).toHaveReceivedCommandTimes(GetFunctionConfigurationCommand, 2);
    expect(lambdaMock.calls()).toHaveLength(2);
  });

  it('is refused with --local, naming what to do instead', async () => {
    // Prepare
    const dir = localStackDir(false);

    // Act
    const run = await runPulse(['circuit-breaker', 'on', '--function', 'ingest', '--local'], {
      env: { PULSE_DATA_DIR: dir },
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('circuit-breaker is not available with --local');
  });
});

describe('concurrency, provisioned, rollback', () => {
  it('concurrency puts the reserved concurrency and prints before and after', async () => {
    // Prepare: no queue mapping to keep up with (concurrency-command.test.ts has those)
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 10 })
      .on(ListEventSourceMappingsCommand)
      .resolves({ EventSourceMappings: [] })
      .on(PutFunctionConcurrencyCommand)
      .callsFake((input: PutFunctionConcurrencyCommandInput) => ({
        ReservedConcurrentExecutions: input.ReservedConcurrentExecutions,
      }));

    // Act
    const run = await runPulse(['concurrency', '--function', 'etl', '--reserved', '2', ...AWS]);

    // Assess
    expect(sentCommands(lambdaMock)).toEqual([
      { command: 'GetFunctionConcurrencyCommand', input: { FunctionName: 'opendata-pulse-etl' } },
      {
        command: 'ListEventSourceMappingsCommand',
        input: { FunctionName: 'arn:aws:lambda:ap-southeast-2:123456789012:function:opendata-pulse-etl:LIVE' },
      },
      {
        command: 'PutFunctionConcurrencyCommand',
        input: { FunctionName: 'opendata-pulse-etl', ReservedConcurrentExecutions: 2 },
      },
    ]);
    expect(run.stdout).toContain('opendata-pulse-etl reserved concurrency: 10 → 2');
  });

  it('concurrency none removes the reservation', async () => {
    // Prepare
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0 })
      .on(DeleteFunctionConcurrencyCommand)
      .resolves({});

    // Act
    const run = await runPulse(['concurrency', '--function', 'ingest', '--reserved', 'none', ...AWS, '--json']);

    // Assess
    expect(inputsOf(lambdaMock.commandCalls(DeleteFunctionConcurrencyCommand))).toEqual([
      { FunctionName: 'opendata-pulse-ingest' },
    ]);
    expect(run.json()).toEqual({ function: 'opendata-pulse-ingest', before: 0, after: null });
  });

  it('provisioned sets provisioned concurrency on LIVE', async () => {
    // Prepare
    lambdaMock
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(
        new ProvisionedConcurrencyConfigNotFoundException({
          message: 'No Provisioned Concurrency Config found',
          $metadata: { httpStatusCode: 404 },
        }),
      )
      .on(PutProvisionedConcurrencyConfigCommand)
      .resolves({ Status: 'IN_PROGRESS', RequestedProvisionedConcurrentExecutions: 5 });

    // Act
    const run = await runPulse(['provisioned', '--function', 'api', '--count', '5', ...AWS]);

    // Assess
    expect(inputsOf(lambdaMock.commandCalls(PutProvisionedConcurrencyConfigCommand))).toEqual([
      { FunctionName: 'opendata-pulse-api', Qualifier: 'LIVE', ProvisionedConcurrentExecutions: 5 },
    ]);
    expect(run.stdout).toContain('opendata-pulse-api:LIVE provisioned concurrency 0 → 5 (IN_PROGRESS)');
  });

  function versionsLambda() {
    lambdaMock
      .on(GetAliasCommand)
      .resolves({ Name: 'LIVE', FunctionVersion: '7', RevisionId: 'alias-rev' })
      .on(ListVersionsByFunctionCommand)
      .callsFake((input: ListVersionsByFunctionCommandInput) =>
        input.Marker === undefined
          ? {
              Versions: [
                { Version: '$LATEST' },
                { Version: '5', LastModified: '2026-11-01T00:00:00Z', CodeSha256: 'c5' },
              ],
              NextMarker: 'page-2',
            }
          : {
              Versions: [
                { Version: '6', LastModified: '2026-11-10T00:00:00Z', CodeSha256: 'c6', Description: 'good' },
                { Version: '7', LastModified: '2026-11-20T00:00:00Z', CodeSha256: 'c7' },
              ],
            },
      )
      .on(UpdateAliasCommand)
      .callsFake((input: UpdateAliasCommandInput) => ({ Name: 'LIVE', FunctionVersion: input.FunctionVersion }));
  }

  it('rollback points LIVE at the previous published version (all pages read) with the alias revision', async () => {
    // Prepare
    versionsLambda();

    // Act
    const run = await runPulse(['rollback', '--function', 'ingest', '--yes', ...AWS, '--json']);

    // Assess
    expect(sentCommands(lambdaMock)).toEqual([
      { command: 'GetAliasCommand', input: { FunctionName: 'opendata-pulse-ingest', Name: 'LIVE' } },
      { command: 'ListVersionsByFunctionCommand', input: { FunctionName: 'opendata-pulse-ingest' } },
      { command: 'ListVersionsByFunctionCommand', input: { FunctionName: 'opendata-pulse-ingest', Marker: 'page-2' } },
      {
        command: 'UpdateAliasCommand',
        input: { FunctionName: 'opendata-pulse-ingest', Name: 'LIVE', FunctionVersion: '6', RevisionId: 'alias-rev' },
      },
    ]);
    expect(run.json()).toMatchObject({
      before: { version: '7', codeSha256: 'c7' },
      after: { version: '6', codeSha256: 'c6' },
    });
  });

  it('rollback asks first, and a "no" changes nothing', async () => {
    // Prepare
    versionsLambda();

    // Act
    const run = await runPulse(['rollback', '--function', 'ingest', ...AWS], {
      answers: ['no'],
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Point opendata-pulse-ingest:LIVE from v7 to v6?');
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
  });

  it('rollback --to-version rejects a version that was never published', async () => {
    // Act
    versionsLambda();
    const run = await runPulse(['rollback', '--function', 'ingest', '--to-version', '9', '--yes', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no published version 9 (published: 5, 6, 7)');
  });
});

describe('env show | snapshot | restore', () => {
  it('snapshot saves what LIVE runs; restore puts it back keeping variables added since, then moves LIVE', async () => {
    // Prepare: snapshot taken, then LOG_LEVEL changed and a variable added
    const dir = mkdtempSync(join(tmpdir(), 'pulse-env-'));
    const file = join(dir, 'ingest.json');
    lambdaWith(VARS);
    const snap = await runPulse(['env', 'snapshot', '--function', 'ingest', '--file', file, ...AWS], {
      now: Date.parse('2026-11-20T10:00:00Z'),
    });
    lambdaMock.reset();
    lambdaWith({ ...VARS, LOG_LEVEL: 'DEBUG', NSW_TIMEOUT_MS: '20000' });

    // Act
    const run = await runPulse(['env', 'restore', '--function', 'ingest', '--file', file, '--yes', ...AWS, '--json']);

    // Assess
    expect(snap.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      function: 'opendata-pulse-ingest',
      capturedAt: '2026-11-20T10:00:00.000Z',
      version: '7',
      variables: VARS,
    });
    expect(run.code).toBe(0);
    expect(inputsOf(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand))).toEqual([
      {
        FunctionName: 'opendata-pulse-ingest',
        Environment: { Variables: { ...VARS, NSW_TIMEOUT_MS: '20000' } },
        RevisionId: 'rev-1',
      },
    ]);
    expect(inputsOf(lambdaMock.commandCalls(UpdateAliasCommand))).toEqual([
      { FunctionName: 'opendata-pulse-ingest', Name: 'LIVE', FunctionVersion: '8' },
    ]);
    expect(run.json()).toMatchObject({
      diff: { changed: [{ name: 'LOG_LEVEL', from: 'DEBUG', to: 'INFO' }], removed: [] },
    });
  });

  it('restore --exact removes variables the snapshot does not have', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'pulse-env-'));
    const file = join(dir, 'etl.json');
    writeFileSync(
      file,
      JSON.stringify({ function: 'opendata-pulse-etl', capturedAt: '2026-11-20T10:00:00.000Z', variables: VARS }),
    );
    lambdaWith({ ...VARS, EXTRA: '1' });

    // Act
    const run = await runPulse(['env', 'restore', '--function', 'etl', '--file', file, '--exact', '--yes', ...AWS]);

    // Assess
    expect(lambdaMock).toHaveReceivedNthCommandWith(UpdateFunctionConfigurationCommand, 1, {
      Environment: { Variables: VARS },
    });
    expect(run.stdout).toContain('EXTRA: 1 → (removed)');
  });

  it("restore refuses another function's snapshot", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'pulse-env-'));
    const file = join(dir, 'etl.json');
    writeFileSync(file, JSON.stringify({ function: 'opendata-pulse-etl', capturedAt: 'x', variables: {} }));
    lambdaWith(VARS);

    // Act
    const run = await runPulse(['env', 'restore', '--function', 'ingest', '--file', file, '--yes', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a snapshot of opendata-pulse-etl, not opendata-pulse-ingest');
    expect(lambdaMock).not.toHaveReceivedAnyCommand();
  });

  it('show masks values that look like secrets and marks where $LATEST differs from LIVE', async () => {
    // Prepare
    lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input: GetFunctionConfigurationCommandInput) => ({
      Version: input.Qualifier ? '7' : '$LATEST',
      Environment: {
        Variables: { LOG_LEVEL: input.Qualifier ? 'INFO' : 'DEBUG', PAGE_TOKEN_SECRET: 's3cr3t' },
      },
    }));

    // Act
    const run = await runPulse(['env', 'show', '--function', 'api', ...AWS]);

    // Assess
    expect(run.stdout).toMatch(/LOG_LEVEL +INFO +\$LATEST: DEBUG/);
    expect(run.stdout).toMatch(/PAGE_TOKEN_SECRET +\*{8}/);
    expect(run.stdout).not.toContain('s3cr3t');
  });
});
