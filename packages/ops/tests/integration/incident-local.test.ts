/**
 * `pulse incident ... --publish --local`: the real SNS client, pointed at the local stack's SNS
 * stand-in through endpoints.json, publishes the notice; the stand-in appends it to the
 * incident-alerts topic's file in the data dir.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SnsNotification } from '@opendata-pulse/local/sns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPulse } from '../support/run-pulse';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');

function notifications(file: string): SnsNotification[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as SnsNotification);
}

describe('pulse incident --publish --local', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack(local, { functions: [] });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('publishes the notice to the local incident-alerts topic, which appends it to sns/incident-alerts-local.jsonl', async () => {
    // Prepare
    const args = [
      'incident',
      'new',
      '--severity',
      '2',
      '--description',
      'Data stale since 09:00',
      '--impact',
      'Old readings',
      '--commander',
      'Sam Lee',
    ];

    // Act
    const run = await runPulse([...args, '--id', 'INC-20261120-1000', '--publish', '--local', '--json'], {
      env: { PULSE_DATA_DIR: stack.dataDir },
      now: Date.parse('2026-11-20T10:00:00Z'),
    });

    // Assess
    expect(run.code).toBe(0);
    const result = run.json<{ published: boolean; topicArn: string; messageId: string }>();
    expect(result).toMatchObject({ published: true, topicArn: stack.topics.incidentAlerts });
    const written = notifications(join(stack.dataDir, 'sns', 'incident-alerts-local.jsonl'));
    expect(written).toEqual([
      {
        Type: 'Notification',
        MessageId: result.messageId,
        TopicArn: 'arn:aws:sns:ap-southeast-2:000000000000:incident-alerts-local',
        Subject: '[SEV2] OpenData Pulse incident INC-20261120-1000: Data stale since 09:00',
        Message: expect.stringContaining('INCIDENT ALERT - OpenData Pulse System'),
        Timestamp: expect.any(String),
        MessageAttributes: {
          severity: { Type: 'Number', Value: '2' },
          incidentId: { Type: 'String', Value: 'INC-20261120-1000' },
          phase: { Type: 'String', Value: 'new' },
        },
      },
    ]);
  });

  it('tells the operator to restart a stack whose endpoints.json names no SNS endpoint', async () => {
    // Prepare: the file a stack from before the SNS stand-in wrote
    const path = join(stack.dataDir, 'endpoints.json');
    const current = readFileSync(path, 'utf8');
    const file = JSON.parse(current) as { endpoints: Record<string, string> };
    delete file.endpoints.sns;
    writeFileSync(path, JSON.stringify(file));

    // Act
    const run = await runPulse(
      [
        'incident',
        'update',
        '--id',
        'INC-1',
        '--severity',
        '3',
        '--status',
        'investigating',
        '--summary',
        'x',
        '--action',
        'y',
        '--publish',
        '--local',
      ],
      { env: { PULSE_DATA_DIR: stack.dataDir } },
    );
    writeFileSync(path, current);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('names no SNS endpoint in endpoints.json');
    expect(run.stderr).toContain('restart it with `pnpm start`');
  });
});
