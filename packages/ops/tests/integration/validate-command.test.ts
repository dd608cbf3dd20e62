/**
 * Post-incident validation against the local stack: data ingested and processed by the real
 * handlers, the real API handler behind the API's own local GraphQL server.
 */
import { startGraphqlServer } from '@opendata-pulse/local/appsync';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { HOUR_MS, latestCompleteHour } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ValidationReport } from '../../src/use-cases/validate.use-case';
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

  it('passes once the latest hour is ingested and processed, with a sample query answering readings', async () => {
    // Prepare: the runbook's recovery: backfill the latest hour, reprocess it
    const hour = latestCompleteHour(Date.now());
    const [from, to] = [new Date(hour).toISOString(), new Date(hour + HOUR_MS).toISOString()];
    await runPulse(['backfill', '--local', '--from', from, '--to', to], { env });
    await runPulse(['reprocess', '--local', '--key', rawObjectKey(hour)], { env });

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
