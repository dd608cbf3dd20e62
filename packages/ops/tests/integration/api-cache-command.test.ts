/**
 * `pulse api-cache status|flush --local`: the local GraphQL server caching as appsync.yml says,
 * over the real API handler in the stack's function host, counted at its invocations.
 */
import { startGraphqlServer } from '@opendata-pulse/local/appsync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalApiCacheStatus } from '../../src/use-cases/api-cache.use-case';
import { runPulse } from '../support/run-pulse';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');
const API_KEY = 'api-cache-test-key';
const OPERATOR_TOKEN = 'api-cache-test-operator';
const QUERY = 'query($s: String!) { getAirQualityData(suburb: $s) { items { siteId } } }';

describe('pulse api-cache --local', () => {
  let stack: TestStack;
  let graphql: { url: string; cacheUrl?: string; close(): Promise<void> };
  let env: Record<string, string>;
  let invocations = 0;

  async function ask(suburb: string) {
    const response = await fetch(graphql.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: QUERY, variables: { s: suburb } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
  }

  beforeAll(async () => {
    stack = await startTestStack(local, { functions: ['api'] });
    graphql = await startGraphqlServer({
      port: 0,
      apiKey: API_KEY,
      operatorTokens: [OPERATOR_TOKEN],
      caching: true,
      invoke: (event) => {
        invocations++;
        return stack.functions.invoke('api', event);
      },
    });
    await stack.setGraphql({
      url: graphql.url,
      apiKey: API_KEY,
      operatorToken: OPERATOR_TOKEN,
      cacheUrl: graphql.cacheUrl as string,
    });
    env = { PULSE_DATA_DIR: stack.dataDir };
  });
  afterAll(async () => {
    await graphql.close();
    await stack.stop();
  });

  it('shows what is cached, and after a flush the next query invokes the function again', async () => {
    // Prepare
    await ask('Rozelle');
    await ask('Rozelle');
    await ask('Randwick');
    const beforeFlush = invocations;

    // Act
    const status = await runPulse(['api-cache', 'status', '--local', '--json'], { env });
    const human = await runPulse(['api-cache', 'status', '--local'], { env });
    const flush = await runPulse(['api-cache', 'flush', '--local'], { env });
    await ask('Rozelle');

    // Assess
    expect(beforeFlush).toBe(2);
    expect(status.code).toBe(0);
    expect(status.json<LocalApiCacheStatus>()).toMatchObject({
      behavior: 'PER_RESOLVER_CACHING',
      ttlSeconds: 300,
      entries: 2,
    });
    expect(human.stdout).toMatch(
      /Query\.getAirQualityData +2 cached +TTL 300s +keys arguments\.suburb, arguments\.from/,
    );
    expect(flush.code).toBe(0);
    expect(flush.stdout).toContain('cache of the local GraphQL server flushed (2 cached answer(s) dropped)');
    expect(invocations).toBe(3);
  });

  it('refuses enable with --local: the local cache follows appsync.yml', async () => {
    // Act
    const run = await runPulse(['api-cache', 'enable', '--local'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('api-cache enable is not available with --local');
    expect(run.stderr).toContain('the local stack caches as appsync.yml says while it runs');
  });

  it('says the stack has no cache endpoint when endpoints.json names none', async () => {
    // Prepare
    await stack.setGraphql({ url: graphql.url, apiKey: API_KEY });

    // Act
    const run = await runPulse(['api-cache', 'flush', '--local'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the running local stack names no API cache in its endpoints.json');
    await stack.setGraphql({
      url: graphql.url,
      apiKey: API_KEY,
      operatorToken: OPERATOR_TOKEN,
      cacheUrl: graphql.cacheUrl as string,
    });
  });
});
