import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { HOUR_MS, latestCompleteHour } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HealthReport } from '../../src/use-cases/health-checks';
import { runPulse } from '../support/run-pulse';
import { LIVERPOOL, putRawHour, putRegionHour, putStations, ROZELLE } from '../support/seed';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');

describe('pulse health --local', () => {
  let stack: TestStack;
  const now = Date.parse('2026-11-20T10:20:00Z');
  const newest = latestCompleteHour(now); // 09:00, ended 20 minutes ago

  beforeAll(async () => {
    stack = await startTestStack(local);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('reports every check and exits 1 while the stack holds no data', async () => {
    // Act
    const run = await runPulse(['health', '--local', '--json'], { env: { PULSE_DATA_DIR: stack.dataDir }, now });

    // Assess
    const report = run.json<HealthReport>();
    expect(run.code).toBe(1);
    expect(report.healthy).toBe(false);
    expect(report.freshness.verdict).toBe('NO_DATA');
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(byId).toMatchObject({
      'function:ingest': 'ok',
      'function:etl': 'ok',
      table: 'ok',
      'bucket:raw': 'ok',
      'bucket:curated': 'ok',
      'freshness:raw': 'fail',
      'freshness:table': 'fail',
      dlq: 'ok',
      queue: 'ok',
    });
  });

  it('is healthy with fresh raw and table hours and an empty DLQ, and prints the runbook-style table', async () => {
    // Prepare
    await putStations(stack.clients, stack.resources, [ROZELLE, LIVERPOOL]);
    for (const hour of [newest - 2 * HOUR_MS, newest - HOUR_MS, newest])
      await putRawHour(stack.clients, stack.resources, hour);
    await putRegionHour(stack.clients, stack.resources, ROZELLE, newest - HOUR_MS);
    await putRegionHour(stack.clients, stack.resources, LIVERPOOL, newest);

    // Act
    const json = await runPulse(['health', '--local', '--json'], { env: { PULSE_DATA_DIR: stack.dataDir }, now });
    const human = await runPulse(['health', '--local'], { env: { PULSE_DATA_DIR: stack.dataDir }, now });

    // Assess
    const report = json.json<HealthReport>();
    expect(report.freshness).toMatchObject({
      verdict: 'FRESH',
      newestRawHour: '2026-11-20T09:00:00Z',
      rawAgeMinutes: 20,
      newestTableHour: '2026-11-20T09:00:00Z',
      tableAgeMinutes: 20,
    });
    expect(report.dlqDepth).toBe(0);
    expect(report.checks.find((c) => c.id === 'freshness:table')?.data).toMatchObject({ regions: 2 });
    expect(human.stdout).toMatch(/✓ table opendata-pulse-hot-aggregates-t\w+ +ACTIVE, index GeographicIndex ACTIVE/);
    expect(human.stdout).toContain('Data freshness: FRESH');
  });

  it('fails on a DLQ message and on stale data, and explains where the delay sits', async () => {
    // Prepare
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.dlqUrl, MessageBody: '{}' }));
    const later = now + 3 * HOUR_MS;

    // Act
    const run = await runPulse(['health', '--local', '--json'], {
      env: { PULSE_DATA_DIR: stack.dataDir },
      now: later,
    });

    // Assess
    const report = run.json<HealthReport>();
    expect(run.code).toBe(1);
    expect(report.dlqDepth).toBe(1);
    expect(report.checks.find((c) => c.id === 'dlq')).toMatchObject({ status: 'fail' });
    expect(report.freshness).toMatchObject({ verdict: 'STALE', tableAgeMinutes: 200 });
    expect(report.freshness.explanation).toMatch(/ingest is behind/);
  });

  it('says how to start the stack when no endpoints.json exists', async () => {
    // Act
    const run = await runPulse(['health', '--local'], { env: { PULSE_DATA_DIR: '/nonexistent-pulse-dir' } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no local stack found: .*endpoints\.json does not exist\. Start it with `pnpm start`/);
  });
});
