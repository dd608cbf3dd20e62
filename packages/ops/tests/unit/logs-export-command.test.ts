/**
 * `pulse logs export`: in AWS a CloudWatch Logs export task to the ops bucket, followed to its end
 * (CloudWatch Logs mocked with aws-sdk-client-mock, asserting the exact requests); with --local the
 * stack log's lines of the function and window (a real stack log, captured from `pnpm start`),
 * copied into the data dir.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  type ExportTaskStatusCode,
  LimitExceededException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { inputsOf, sentCommands } from '../support/aws-mocks';
import { localStackDir } from '../support/endpoints-dir';
import { runPulse } from '../support/run-pulse';

const AWS = ['--stage', 'prod', '--account', '123456789012'];
const NOW = Date.parse('2026-11-27T06:00:00Z');
const WINDOW = ['--from', '2026-11-27T03:00:00Z', '--to', '2026-11-27T05:00:00Z'];

const logsMock = mockClient(CloudWatchLogsClient);
beforeEach(() => {
  logsMock.reset();
});
afterAll(() => {
  logsMock.restore();
});

/** DescribeExportTasks answers these statuses in turn (the last one from then on). */
function exportTask(...codes: ExportTaskStatusCode[]) {
  const answers = [...codes];
  logsMock
    .on(CreateExportTaskCommand)
    .resolves({ taskId: 'c0ffee00-1111-2222-3333-444455556666' })
    .on(DescribeExportTasksCommand)
    .callsFake(() => {
      const code = answers.length > 1 ? answers.shift() : answers[0];
      return {
        exportTasks: [
          {
            taskId: 'c0ffee00-1111-2222-3333-444455556666',
            status: { code, ...(code === 'FAILED' ? { message: 'Access denied to the bucket' } : {}) },
          },
        ],
      };
    });
}

describe('pulse logs export (AWS)', () => {
  it('exports the function log group over [from, to) to the stage ops bucket and follows the task to the end', async () => {
    // Prepare
    exportTask('PENDING', 'RUNNING', 'RUNNING', 'COMPLETED');

    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...WINDOW, ...AWS], { now: NOW });

    // Assess
    expect(sentCommands(logsMock)).toEqual([
      {
        command: 'CreateExportTaskCommand',
        input: {
          taskName: 'pulse-opendata-pulse-etl-20261127T030000Z-20261127T050000Z',
          logGroupName: '/aws/lambda/opendata-pulse-etl',
          from: Date.parse('2026-11-27T03:00:00Z'),
          to: Date.parse('2026-11-27T05:00:00Z') - 1,
          destination: 'opendata-pulse-ops-123456789012',
          destinationPrefix: 'log-exports/opendata-pulse-etl-20261127T030000Z-20261127T050000Z',
        },
      },
      ...Array.from({ length: 4 }, () => ({
        command: 'DescribeExportTasksCommand',
        input: { taskId: 'c0ffee00-1111-2222-3333-444455556666' },
      })),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('  export pending (0 s)\n  export running (0 s)\n  export completed (0 s)\n');
    expect(run.stdout).toBe(
      [
        '✓ /aws/lambda/opendata-pulse-etl exported (task c0ffee00-1111-2222-3333-444455556666, COMPLETED)',
        '  files: s3://opendata-pulse-ops-123456789012/log-exports/opendata-pulse-etl-20261127T030000Z-20261127T050000Z/c0ffee00-1111-2222-3333-444455556666/',
        '  fetch: aws s3 cp --recursive s3://opendata-pulse-ops-123456789012/log-exports/opendata-pulse-etl-20261127T030000Z-20261127T050000Z/c0ffee00-1111-2222-3333-444455556666/ ./opendata-pulse-etl-20261127T030000Z-20261127T050000Z/',
        '',
      ].join('\n'),
    );
  });

  it('names the stage bucket and function, and says where the files are in --json without progress lines', async () => {
    // Prepare
    exportTask('COMPLETED');

    // Act
    const run = await runPulse(
      ['logs', 'export', '--function', 'api', ...WINDOW, '--stage', 'dev', '--account', '123456789012', '--json'],
      { now: NOW },
    );

    // Assess
    expect(inputsOf(logsMock.commandCalls(CreateExportTaskCommand))[0]).toMatchObject({
      logGroupName: '/aws/lambda/opendata-pulse-api-dev',
      destination: 'opendata-pulse-ops-123456789012-dev',
    });
    expect(run.stderr).toBe('');
    expect(run.json()).toMatchObject({
      function: 'opendata-pulse-api-dev',
      from: '2026-11-27T03:00:00.000Z',
      to: '2026-11-27T05:00:00.000Z',
      source: 'cloudwatch',
      taskId: 'c0ffee00-1111-2222-3333-444455556666',
      location:
        's3://opendata-pulse-ops-123456789012-dev/log-exports/opendata-pulse-api-dev-20261127T030000Z-20261127T050000Z/c0ffee00-1111-2222-3333-444455556666/',
    });
  });

  it('fails with the reason CloudWatch Logs gives when the task fails', async () => {
    // Prepare
    exportTask('RUNNING', 'FAILED');

    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...WINDOW, ...AWS], { now: NOW });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'logs export: export task c0ffee00-1111-2222-3333-444455556666 FAILED: Access denied to the bucket',
    );
  });

  it('says to wait when another export task is already running in the account', async () => {
    // Prepare
    logsMock
      .on(CreateExportTaskCommand)
      .rejects(new LimitExceededException({ message: 'Resource limit exceeded.', $metadata: { httpStatusCode: 400 } }));

    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...WINDOW, ...AWS], { now: NOW });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CloudWatch Logs runs one export task at a time per account');
    expect(logsMock).not.toHaveReceivedCommand(DescribeExportTasksCommand);
  });

  it('takes --function before or after `export`, requires it, and refuses the options of plain `pulse logs`', async () => {
    // Prepare
    exportTask('COMPLETED');

    // Act
    const before = await runPulse(['logs', '--function', 'etl', 'export', ...WINDOW, ...AWS], { now: NOW });
    const since = await runPulse(['logs', 'export', '--function', 'etl', '--since', '2h', ...WINDOW, ...AWS], {
      now: NOW,
    });
    const none = await runPulse(['logs', 'export', ...WINDOW, ...AWS], { now: NOW });
    const plain = await runPulse(['logs', ...AWS], { now: NOW });

    // Assess
    expect(before.code).toBe(0);
    expect(inputsOf(logsMock.commandCalls(CreateExportTaskCommand))).toHaveLength(1);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since: not for `logs export`, which takes --from and --to');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--function <name> is required: ingest | etl | api | health-check');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('logs: --function <name> is required');
  });

  it.each([
    [
      ['--from', '2026-11-27T05:00:00Z', '--to', '2026-11-27T03:00:00Z'],
      '--to (2026-11-27T03:00:00Z) must be after --from',
    ],
    [['--from', 'yesterday', '--to', '2026-11-27T03:00:00Z'], '--from "yesterday" is not an ISO 8601 date'],
    [['--from', '2026-11-28T00:00:00Z', '--to', '2026-11-29T00:00:00Z'], 'is in the future: there is no log yet'],
  ])('rejects a bad window %j before calling AWS', async (window, message) => {
    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...window, ...AWS], { now: NOW });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(logsMock.calls()).toHaveLength(0);
  });
});

describe('pulse logs export --local', () => {
  const now = Date.parse('2026-11-27T05:40:00Z');
  const window = ['--from', '2026-11-27T05:33:00Z', '--to', '2026-11-27T05:34:03.740Z'];

  it("copies the function's stack-log lines of the window, as written, into <data dir>/log-exports/", async () => {
    // Prepare
    const dir = localStackDir(true);

    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...window, '--local'], {
      env: { PULSE_DATA_DIR: dir },
      now,
    });

    // Assess
    const path = join(dir, 'log-exports', 'opendata-pulse-etl-local-20261127T053300Z-20261127T053403Z.log');
    const stackLog = readFileSync(join(dir, 'stack.log'), 'utf8').split('\n');
    const expected = [
      ...stackLog.filter((l) => /^2026-11-27T05:33:\S+ etl /.test(l)),
      ...stackLog.filter((l) => l.includes('"timestamp":"2026-11-27T05:34:03.738Z"')),
    ];
    expect(expected).toHaveLength(7);
    expect(readFileSync(path, 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `✓ 7 line(s) of opendata-pulse-etl-local (etl) from ${join(dir, 'stack.log')}\n  written to ${path}\n`,
    );
  });

  it('says logs are not available when the stack names no log file', async () => {
    // Act
    const run = await runPulse(['logs', 'export', '--function', 'etl', ...window, '--local'], {
      env: { PULSE_DATA_DIR: localStackDir(false) },
      now,
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('logs export is not available with --local');
  });
});
