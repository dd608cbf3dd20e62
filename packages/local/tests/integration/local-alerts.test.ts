/**
 * Alerts on the local stack: the real health-check handler on its schedule (here every half
 * second instead of every 5 minutes) finds a stack with no data and publishes to critical-alerts
 * through the SNS stand-in, which appends the message to the topic's file in the data dir.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@opendata-pulse/shared/async';
import { afterEach, describe, expect, it } from 'vitest';
import type { SnsNotification } from '../../src/sns/sns-server';
import { readEndpointsFile } from '../../src/stack/endpoints-file';
import { type LocalStack, startLocalStack } from '../../src/stack/local-stack';
import { memoryLog } from '../../src/stack/stack-log';

const running: LocalStack[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** The first line the health check's runs logged (the handler has returned, so its alert is written). */
async function firstHealthRun(log: ReturnType<typeof memoryLog>, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = log.lines.find((l) => l.tag === 'health' && l.level !== 'info');
    if (run) return `${run.level} ${run.message}`;
    await sleep(100);
  }
  return undefined;
}

function lines(file: string): SnsNotification[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as SnsNotification);
}

describe('pulse local: alerts', () => {
  it('runs the health check on its schedule and, on a stack with no data, publishes to sns/critical-alerts-local.jsonl', async () => {
    // Prepare: nothing ingested, no NSW source needed
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-alerts-'));
    const log = memoryLog();

    // Act
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      apiKey: 'test-key',
      source: 'http://127.0.0.1:9/api/Data',
      ingestOnStart: 0,
      schedule: false,
      healthCheckEveryMs: 500,
      handlerLogLevel: 'SILENT',
      graphql: false,
      log,
    });
    running.push(stack);
    const run = await firstHealthRun(log, 45_000);
    const [alert] = lines(join(dataDir, 'sns', 'critical-alerts-local.jsonl'));

    // Assess
    expect(alert).toMatchObject({
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local',
      Subject: 'UNHEALTHY: OpenData Pulse local stack - data NO_DATA, 2 failing checks',
      MessageAttributes: {
        source: { Type: 'String', Value: 'health-check' },
        verdict: { Type: 'String', Value: 'NO_DATA' },
      },
    });
    expect(alert?.Message).toContain('  - newest raw hour: none: the raw zone is empty');
    expect(alert?.Message).toContain('Next: pnpm pulse health --local');
    expect(run).toMatch(
      /^warn UNHEALTHY \(NO_DATA; failing: newest raw hour, newest table hour\) -> alert on critical-alerts-local/,
    );
    expect(readEndpointsFile(dataDir)).toMatchObject({
      endpoints: { sns: stack.endpoints.endpoints.sns },
      env: { AWS_ENDPOINT_URL_SNS: stack.endpoints.endpoints.sns },
      resources: {
        functions: { healthCheck: 'opendata-pulse-health-check-local' },
        topics: {
          criticalAlerts: 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local',
          incidentAlerts: 'arn:aws:sns:ap-southeast-2:000000000000:incident-alerts-local',
        },
      },
    });
  });
});
