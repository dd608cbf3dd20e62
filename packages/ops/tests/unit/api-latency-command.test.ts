/**
 * `pulse api latency` against mocked AppSync and CloudWatch clients (aws-sdk-client-mock; no
 * local server exists for either): the exact metric requests, and what the operator reads.
 */
import { AppSyncClient, ListGraphqlApisCommand } from '@aws-sdk/client-appsync';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiLatencyReport } from '../../src/use-cases/api-latency.use-case';
import { inputsOf, sentCommands } from '../support/aws-mocks';
import { localStackDir } from '../support/endpoints-dir';
import { runPulse } from '../support/run-pulse';

const AWS = ['--stage', 'prod', '--account', '123456789012'];
const NOW = Date.parse('2026-11-27T05:40:30Z');
const START = new Date('2026-11-27T05:25:00Z');
const END = new Date('2026-11-27T05:40:00Z');

const appsyncMock = mockClient(AppSyncClient);
const cloudwatchMock = mockClient(CloudWatchClient);
beforeEach(() => {
  appsyncMock.reset();
  cloudwatchMock.reset();
  appsyncMock.on(ListGraphqlApisCommand).resolves({
    graphqlApis: [
      { name: 'opendata-pulse-api-dev', apiId: 'dev1' },
      { name: 'opendata-pulse-api', apiId: 'x4k2d7hqmzb5' },
    ],
  });
});
afterAll(() => {
  appsyncMock.restore();
  cloudwatchMock.restore();
});

const API = [{ Name: 'GraphQLAPIId', Value: 'x4k2d7hqmzb5' }];
const resolver = (name: string) => [...API, { Name: 'Resolver', Value: name }];

/** CloudWatch answering each query id from `values`; ids it does not know get no datapoint. */
function metrics(values: Record<string, number[]>, resolvers: string[] = []) {
  cloudwatchMock
    .on(GetMetricDataCommand)
    .callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        Values: values[q.Id ?? ''] ?? [],
        StatusCode: 'Complete',
      })),
    }))
    .on(ListMetricsCommand)
    .resolves({
      Metrics: resolvers.map((r) => ({ Namespace: 'AWS/AppSync', MetricName: 'Latency', Dimensions: resolver(r) })),
    });
}

const stat = (id: string, metric: string, dimensions: object[], s: string) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: 'AWS/AppSync', MetricName: metric, Dimensions: dimensions },
    Period: 900,
    Stat: s,
  },
  ReturnData: true,
});

describe('pulse api latency', () => {
  it('asks CloudWatch for the API percentiles and errors, then per-resolver latency, over the last whole 15 minutes', async () => {
    // Prepare
    metrics(
      {
        api_p50: [84],
        api_p90: [212],
        api_p99: [640],
        api_count: [1204],
        api_4xx: [3],
        api_5xx: [0],
        r0_p50: [40],
        r0_p90: [70],
        r0_p99: [95],
        r0_count: [300],
        r1_p50: [90],
        r1_p90: [250],
        r1_p99: [610],
        r1_count: [900],
      },
      ['Query/listStations', 'Query/getAirQualityData'],
    );

    // Act
    const run = await runPulse(['api', 'latency', ...AWS], { now: NOW });

    // Assess
    expect(sentCommands(cloudwatchMock)).toEqual([
      {
        command: 'GetMetricDataCommand',
        input: {
          MetricDataQueries: [
            stat('api_p50', 'Latency', API, 'p50'),
            stat('api_p90', 'Latency', API, 'p90'),
            stat('api_p99', 'Latency', API, 'p99'),
            stat('api_count', 'Latency', API, 'SampleCount'),
            stat('api_4xx', '4XXError', API, 'Sum'),
            stat('api_5xx', '5XXError', API, 'Sum'),
          ],
          StartTime: START,
          EndTime: END,
        },
      },
      {
        command: 'ListMetricsCommand',
        input: {
          Namespace: 'AWS/AppSync',
          MetricName: 'Latency',
          Dimensions: [{ Name: 'GraphQLAPIId', Value: 'x4k2d7hqmzb5' }, { Name: 'Resolver' }],
          RecentlyActive: 'PT3H',
        },
      },
      {
        command: 'GetMetricDataCommand',
        input: {
          MetricDataQueries: [
            stat('r0_p50', 'Latency', resolver('Query/listStations'), 'p50'),
            stat('r0_p90', 'Latency', resolver('Query/listStations'), 'p90'),
            stat('r0_p99', 'Latency', resolver('Query/listStations'), 'p99'),
            stat('r0_count', 'Latency', resolver('Query/listStations'), 'SampleCount'),
            stat('r1_p50', 'Latency', resolver('Query/getAirQualityData'), 'p50'),
            stat('r1_p90', 'Latency', resolver('Query/getAirQualityData'), 'p90'),
            stat('r1_p99', 'Latency', resolver('Query/getAirQualityData'), 'p99'),
            stat('r1_count', 'Latency', resolver('Query/getAirQualityData'), 'SampleCount'),
          ],
          StartTime: START,
          EndTime: END,
        },
      },
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'AppSync API opendata-pulse-api (x4k2d7hqmzb5), last 15 min (2026-11-27T05:25:00.000Z → 2026-11-27T05:40:00.000Z)',
      '',
      '     requests  4XX  5XX  p50    p90     p99',
      'API  1204      3    0    84 ms  212 ms  640 ms',
      '',
      'resolver                 requests  p50    p90     p99',
      'Query/getAirQualityData  900       90 ms  250 ms  610 ms',
      'Query/listStations       300       40 ms  70 ms   95 ms',
      '',
      '✓ p99 640 ms is within 2.0 s',
      '',
    ]);
  });

  it('exits 1 when the p99 is over 2 seconds, and says so in --json', async () => {
    // Prepare
    metrics({ api_p50: [300], api_p90: [1100], api_p99: [2450], api_count: [80], api_4xx: [0], api_5xx: [2] });

    // Act
    const run = await runPulse(['api', 'latency', '--minutes', '60', ...AWS, '--json'], { now: NOW });
    const human = await runPulse(['api', 'latency', '--minutes', '60', ...AWS], { now: NOW });

    // Assess
    expect(inputsOf(cloudwatchMock.commandCalls(GetMetricDataCommand))[0]).toMatchObject({
      StartTime: new Date('2026-11-27T04:40:00Z'),
      EndTime: END,
    });
    expect(run.code).toBe(1);
    expect(run.json<ApiLatencyReport>()).toEqual({
      apiId: 'x4k2d7hqmzb5',
      apiName: 'opendata-pulse-api',
      window: { minutes: 60, from: '2026-11-27T04:40:00.000Z', to: '2026-11-27T05:40:00.000Z' },
      requests: 80,
      errors4xx: 0,
      errors5xx: 2,
      latencyMs: { p50: 300, p90: 1100, p99: 2450 },
      thresholdMs: 2000,
      slow: true,
      resolvers: [],
    });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('✗ SLOW: p99 2.5 s is over 2.0 s (runbook: api-latency-and-errors)');
  });

  it('keeps the worst percentile when the window spans two periods, and sums the counts', async () => {
    // Prepare
    metrics({ api_p99: [1500, 2100], api_count: [10, 5], api_4xx: [1, 1], api_5xx: [] });

    // Act
    const run = await runPulse(['api', 'latency', ...AWS, '--json'], { now: NOW });

    // Assess
    expect(run.json<ApiLatencyReport>()).toMatchObject({
      requests: 15,
      errors4xx: 2,
      errors5xx: 0,
      latencyMs: { p99: 2100 },
      slow: true,
    });
    expect(run.code).toBe(1);
  });

  it('looks up resolvers without RecentlyActive when the window is longer than CloudWatch keeps it', async () => {
    // Prepare
    metrics({ api_count: [0] });

    // Act
    const run = await runPulse(['api', 'latency', '--minutes', '240', ...AWS], { now: NOW });

    // Assess
    expect(inputsOf(cloudwatchMock.commandCalls(ListMetricsCommand))).toEqual([
      {
        Namespace: 'AWS/AppSync',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'GraphQLAPIId', Value: 'x4k2d7hqmzb5' }, { Name: 'Resolver' }],
      },
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('! no request in the window: nothing to judge');
  });

  it('uses --api-id when given', async () => {
    // Prepare
    metrics({});

    // Act
    await runPulse(['api', 'latency', '--api-id', 'dev1', ...AWS]);

    // Assess
    const [first] = inputsOf(cloudwatchMock.commandCalls(GetMetricDataCommand));
    expect(first?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'GraphQLAPIId', Value: 'dev1' },
    ]);
  });

  it('rejects a --minutes that is not a whole number of minutes up to a day', async () => {
    // Act
    const run = await runPulse(['api', 'latency', '--minutes', '0.5', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--minutes must be a whole number from 1 to 1440; got "0.5"');
    expect(cloudwatchMock.calls()).toHaveLength(0);
  });

  it('refuses --local: the local GraphQL server publishes no CloudWatch metrics', async () => {
    // Act
    const run = await runPulse(['api', 'latency', '--local'], { env: { PULSE_DATA_DIR: localStackDir(false) } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'api latency is not available with --local: the local stack does not emulate it (the local GraphQL server publishes no CloudWatch metrics)',
    );
    expect(cloudwatchMock.calls()).toHaveLength(0);
  });
});
