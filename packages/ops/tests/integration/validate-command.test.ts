/**
 * Post-incident validation against the local stack: data ingested and processed by the real
 * handlers, the real API handler behind the API's own local GraphQL server.
 */
import { startGraphqlServer } from '@opendata-pulse/local/appsync';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { HOUR_MS, latestCompleteHour } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ValidationReport } from '../../src/use-cases/validate.use-case';
import type { WatchSummary } from '../../src/use-cases/validate-watch.use-case';
import { runPulse } from '../support/run-pulse';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');
const API_KEY = 'validate-test-key';

describe('pulse validate --local', () => {
  let nsw: FakeNsw;
  let stack: TestStack;
  let graphql: { url: string; close(): Promise<void> };
  let env: Record<string, string>;

  beforeAll(async () => {
    nsw = await startFakeNsw();
    // the GraphQL server needs the stack's invoke; endpoints.json needs the server's URL: start, then rewrite
    stack = await startTestStack(local, { nswEndpoint: nsw.endpoint, functions: ['ingest', 'etl', 'api'] });
    graphql = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      invoke: (event) => stack.functions.invoke('api', event),
    });
    await stack.setGraphql({ url: graphql.url, apiKey: API_KEY });
    env = { PULSE_DATA_DIR: stack.dataDir };
  });
  afterAll(async () => {
    await graphql.close();
    await stack.stop();
    await nsw.close();
  });

  it('fails while nothing has been ingested', async () => {
    // Act
    const run = await runPulse(['validate', '--local', '--json'], { env });

    // Assess
    const report = run.json<ValidationReport>();
    expect(run.code).toBe(1);
    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.id === 'freshness')?.status).toBe('fail');
  });

  it('--watch fails every round while nothing has been ingested, and says which', async () => {
    // Act
    const run = await runPulse(['validate', '--watch', '--minutes', '2', '--local', '--json'], { env });

    // Assess
    const summary = run.json<WatchSummary>();
    expect(run.code).toBe(1);
    expect(summary).toMatchObject({ planned: 2, interrupted: false, passed: false, failedRounds: [1, 2] });
    expect(summary.rounds[0]?.checks.find((c) => c.id === 'freshness')?.status).toBe('fail');
  });

  it('passes once the latest hour is ingested and processed, with a sample query answering readings', async () => {
    // Prepare: the runbook's recovery: backfill the latest hour, reprocess it
    const hour = latestCompleteHour(Date.now());
    const [from, to] = [new Date(hour).toISOString(), new Date(hour + HOUR_MS).toISOString()];
    const backfilled = await runPulse(['backfill', '--local', '--from', from, '--to', to, '--json'], { env });
    const [day] = backfilled.json<{ days: Array<{ key?: string }> }>().days;
    await runPulse(['reprocess', '--local', '--key', String(day?.key)], { env });

    // Act
    const run = await runPulse(['validate', '--local', '--json'], { env });
    const human = await runPulse(['validate', '--local'], { env });

    // Assess
    const report = run.json<ValidationReport>();
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({ freshness: 'ok', dlq: 'ok', queue: 'ok', errors: 'skip', graphql: 'ok' });
    expect(report.passed).toBe(true);
    expect(run.code).toBe(0);
    expect(human.stdout).toMatch(/✓ sample GraphQL query answers +getAirQualityData\("[^"]+"\) → \d+ readings/);
    expect(human.stdout).toContain('PASSED');
  });

  it('--watch prints a line per round and passes when every round passes', async () => {
    // Act
    const run = await runPulse(['validate', '--watch', '--minutes', '3', '--local'], { env });

    // Assess
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'Post-incident validation every minute for 3 min — local stack (stage local) (Ctrl-C stops with the verdict so far)',
    );
    const rounds = lines.filter((l) => / {2}round \d\/3 {2}/.test(l));
    expect(rounds).toHaveLength(3);
    for (const [i, line] of rounds.entries()) {
      expect(line).toMatch(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT\\S+Z {2}round ${i + 1}/3 {2}passed {2}✓ freshness {2}✓ dlq {2}✓ queue {2}- errors {2}✓ graphql$`,
        ),
      );
    }
    expect(lines.slice(-3)).toEqual([
      '3 rounds over 3 min: 3 passed, 0 failed',
      'PASSED: every round passed, for 3 min',
      '',
    ]);
    expect(run.code).toBe(0);
  });

  it('--watch stopped with Ctrl-C prints the verdict over the rounds done and exits with its code', async () => {
    // Act: a minute between rounds, Ctrl-C as soon as the first round is printed
    const run = await runPulse(['validate', '--watch', '--local'], {
      env,
      watchIntervalMs: 60_000,
      interruptWhen: (out) => out.includes('round  1/30'),
    });

    // Assess
    expect(run.stdout).toContain('round  1/30  passed');
    expect(run.stdout).not.toContain('round  2/30');
    expect(run.stdout).toContain('Stopped after 1 of 30 rounds (interrupted): 1 passed, 0 failed');
    expect(run.stdout).toContain('PASSED: every round passed so far');
    expect(run.code).toBe(0);
  });

  it('fails when the sample query finds no readings for the suburb asked about', async () => {
    // Act
    const run = await runPulse(['validate', '--local', '--suburb', 'Nowhere At All'], { env });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ sample GraphQL query answers +getAirQualityData\(Nowhere At All\) returned no readings/,
    );
    expect(run.stdout).toContain('NOT PASSED');
  });
});
