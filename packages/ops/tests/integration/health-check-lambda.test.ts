/**
 * The health-check Lambda's handler against the local S3, DynamoDB and SQS, and its alerts against
 * the local stack's SNS stand-in; the Lambda control plane and AppSync (no local server) answer
 * from mocks (aws-sdk-client-mock) that record the exact requests, as does SNS where the test is
 * that nothing reaches it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppSyncClient, GetGraphqlApiCommand, ListApiKeysCommand } from '@aws-sdk/client-appsync';
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { type SnsNotification, type SnsServer, startSnsServer } from '@opendata-pulse/local/sns';
import { HOUR_MS, latestCompleteHour } from '@opendata-pulse/shared/time';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createHealthCheckHandler } from '../../src/handler';
import { HEALTH_METRICS } from '../../src/use-cases/health-check.use-case';
import { inputsOf } from '../support/aws-mocks';
import { lambdaContext } from '../support/lambda-context';
import { putRawHour, putRegionHour, putStations, ROZELLE } from '../support/seed';
import { clientsFor, createTestResources, type TestClients, type TestResources } from '../support/test-stack';

const local = inject('localAws');
const lambdaMock = mockClient(LambdaClient);
const appsyncMock = mockClient(AppSyncClient);

function lambdaControlPlane(circuitBreaker: Record<string, string>) {
  lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input: GetFunctionConfigurationCommandInput) => {
    const name = String(input.FunctionName);
    return {
      FunctionName: name,
      Version: '7',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Environment: { Variables: { LOG_LEVEL: 'INFO', CIRCUIT_BREAKER: circuitBreaker[name] ?? 'false' } },
    };
  });
}

describe('opendata-pulse-health-check handler', () => {
  let clients: TestClients;
  let resources: TestResources;
  const now = Date.parse('2026-11-20T10:05:00Z');
  const hour = latestCompleteHour(now);

  beforeAll(async () => {
    clients = clientsFor(local);
    resources = await createTestResources(local, clients);
    await putStations(clients, resources, [ROZELLE]);
    await putRawHour(clients, resources, hour);
    await putRegionHour(clients, resources, ROZELLE, hour - HOUR_MS);
  });
  beforeEach(() => {
    lambdaMock.reset();
    appsyncMock.reset();
  });
  afterAll(() => {
    clients.s3.destroy();
    clients.dynamo.destroy();
    clients.sqs.destroy();
    lambdaMock.restore();
    appsyncMock.restore();
  });

  function env(extra: Record<string, string> = {}) {
    return () => ({
      AWS_REGION: local.region,
      AWS_ENDPOINT_URL_S3: local.endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
      LOG_LEVEL: 'SILENT',
      STAGE: 'prod',
      S3_BUCKET: resources.rawBucket,
      CURATED_BUCKET: resources.curatedBucket,
      DYNAMODB_TABLE: resources.table,
      QUEUE_URL: resources.queueUrl,
      DLQ_URL: resources.dlqUrl,
      ...extra,
    });
  }

  it('checks the three service functions on their LIVE alias, publishes DataFreshnessMinutes and the API key expiry, and returns the report', async () => {
    // Prepare
    lambdaControlPlane({ 'opendata-pulse-ingest': 'true' });
    appsyncMock.on(GetGraphqlApiCommand).resolves({
      graphqlApi: { name: 'opendata-pulse-api', authenticationType: 'AMAZON_COGNITO_USER_POOLS' },
    });
    appsyncMock.on(ListApiKeysCommand).resolves({ apiKeys: [{ id: 'da2-public', expires: now / 1000 + 40 * 86_400 }] });
    const handler = createHealthCheckHandler({ env: env({ GRAPHQL_API_ID: 'abc123' }), now: () => now });
    const { Metrics } = await import('@aws-lambda-powertools/metrics');
    const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');

    // Act
    const report = await handler({}, lambdaContext('opendata-pulse-health-check'));

    // Assess
    expect(inputsOf(lambdaMock.commandCalls(GetFunctionConfigurationCommand))).toEqual([
      { FunctionName: 'opendata-pulse-ingest', Qualifier: 'LIVE' },
      { FunctionName: 'opendata-pulse-etl', Qualifier: 'LIVE' },
      { FunctionName: 'opendata-pulse-api', Qualifier: 'LIVE' },
    ]);
    expect(inputsOf(appsyncMock.commandCalls(GetGraphqlApiCommand))).toEqual([{ apiId: 'abc123' }]);
    expect(report.freshness).toMatchObject({ verdict: 'FRESH', tableAgeMinutes: 65, rawAgeMinutes: 5 });
    expect(report.circuitBreakers).toEqual({ ingest: true, etl: false, api: false });
    expect(report.checks.find((c) => c.id === 'circuit-breakers')).toMatchObject({
      status: 'warn',
      detail: 'ON for ingest',
    });
    expect(report.checks.find((c) => c.id === 'api')).toMatchObject({ status: 'ok' });
    expect(addMetric).toHaveBeenCalledWith(HEALTH_METRICS.dataFreshness, 'None', 65);
    expect(addMetric).toHaveBeenCalledWith(HEALTH_METRICS.rawFreshness, 'None', 5);
    expect(addMetric).toHaveBeenCalledWith(HEALTH_METRICS.dlqDepth, 'Count', 0);
    expect(inputsOf(appsyncMock.commandCalls(ListApiKeysCommand))).toEqual([{ apiId: 'abc123' }]);
    expect(addMetric).toHaveBeenCalledWith(HEALTH_METRICS.apiKeyDaysToExpiry, 'None', 40);
    addMetric.mockRestore();
  });

  it('turns a missing function into a failed check and keeps running every other check', async () => {
    // Prepare
    lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input: GetFunctionConfigurationCommandInput) => {
      if (input.FunctionName === 'opendata-pulse-etl-staging') {
        throw new ResourceNotFoundException({
          message: 'Function not found: opendata-pulse-etl-staging',
          $metadata: { httpStatusCode: 404 },
        });
      }
      return { State: 'Active', Environment: { Variables: {} } };
    });
    const handler = createHealthCheckHandler({ env: env({ STAGE: 'staging' }), now: () => now });

    // Act
    const report = await handler({}, lambdaContext('opendata-pulse-health-check-staging'));

    // Assess: the alias lookup failed, then $LATEST, both not found
    expect(inputsOf(lambdaMock.commandCalls(GetFunctionConfigurationCommand))).toContainEqual({
      FunctionName: 'opendata-pulse-etl-staging',
    });
    expect(report.checks.find((c) => c.id === 'function:etl')).toMatchObject({
      status: 'fail',
      detail: 'Function not found: opendata-pulse-etl-staging',
    });
    expect(report.checks.find((c) => c.id === 'table')?.status).toBe('ok');
    expect(report.checks.find((c) => c.id === 'api')).toMatchObject({ status: 'skip' });
    expect(report.healthy).toBe(false);
  });
});

describe('opendata-pulse-health-check alerts', () => {
  const CRITICAL = 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local';
  const now = Date.parse('2026-11-20T10:05:00Z');
  const later = now + 6 * HOUR_MS;
  let clients: TestClients;
  let resources: TestResources;
  let sns: SnsServer;

  beforeAll(async () => {
    clients = clientsFor(local);
    resources = await createTestResources(local, clients);
    await putStations(clients, resources, [ROZELLE]);
    await putRawHour(clients, resources, latestCompleteHour(now));
    await putRegionHour(clients, resources, ROZELLE, latestCompleteHour(now) - HOUR_MS);
    sns = await startSnsServer({ dataDir: mkdtempSync(join(tmpdir(), 'pulse-alerts-')), topicArns: [CRITICAL] });
  });
  beforeEach(() => {
    lambdaMock.reset();
    lambdaControlPlane({});
  });
  afterAll(async () => {
    clients.s3.destroy();
    clients.dynamo.destroy();
    clients.sqs.destroy();
    await sns.close();
  });

  function env(extra: Record<string, string> = {}) {
    return () => ({
      AWS_REGION: local.region,
      AWS_ENDPOINT_URL_S3: local.endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
      LOG_LEVEL: 'SILENT',
      STAGE: 'local',
      S3_BUCKET: resources.rawBucket,
      CURATED_BUCKET: resources.curatedBucket,
      DYNAMODB_TABLE: resources.table,
      QUEUE_URL: resources.queueUrl,
      DLQ_URL: resources.dlqUrl,
      ...extra,
    });
  }
  const alerting = () => ({ CRITICAL_ALERTS_TOPIC_ARN: CRITICAL, AWS_ENDPOINT_URL_SNS: sns.url });

  function published(): SnsNotification[] {
    try {
      return readFileSync(sns.fileOf(CRITICAL), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as SnsNotification);
    } catch {
      return [];
    }
  }

  it('publishes what it found to critical-alerts when the run is unhealthy and a topic is configured', async () => {
    // Prepare: six hours on, the newest hours are stale
    const before = published().length;
    const handler = createHealthCheckHandler({
      env: env(alerting()),
      now: () => later,
    });

    // Act
    const run = await handler({}, lambdaContext('opendata-pulse-health-check-local'));

    // Assess
    expect(run.healthy).toBe(false);
    const [alert] = published().slice(before);
    expect(run.alert).toEqual({ topicArn: CRITICAL, messageId: alert?.MessageId });
    expect(alert).toMatchObject({
      TopicArn: CRITICAL,
      Subject: 'UNHEALTHY: OpenData Pulse stage local - data STALE, 2 failing checks',
      MessageAttributes: {
        source: { Type: 'String', Value: 'health-check' },
        stage: { Type: 'String', Value: 'local' },
        verdict: { Type: 'String', Value: 'STALE' },
        failedChecks: { Type: 'Number', Value: '2' },
      },
    });
    expect(alert?.Message).toContain('Data freshness: STALE');
    expect(alert?.Message).toContain('  - newest table hour: 2026-11-20T08:00:00Z (ended 425 min ago)');
    expect(alert?.Message).toContain('Next: pnpm pulse health --stage local');
  });

  it('publishes nothing when the run is healthy', async () => {
    // Prepare
    const before = published().length;
    const handler = createHealthCheckHandler({
      env: env(alerting()),
      now: () => now,
    });

    // Act
    const run = await handler({}, lambdaContext('opendata-pulse-health-check-local'));

    // Assess
    expect(run.healthy).toBe(true);
    expect(run.alert).toBeUndefined();
    expect(published()).toHaveLength(before);
  });

  it('reports an alert SNS refused in its result instead of failing the run', async () => {
    // Prepare: a topic the SNS endpoint does not have
    const missing = 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-nowhere';
    const handler = createHealthCheckHandler({
      env: env({ CRITICAL_ALERTS_TOPIC_ARN: missing, AWS_ENDPOINT_URL_SNS: sns.url }),
      now: () => later,
    });

    // Act
    const run = await handler({}, lambdaContext('opendata-pulse-health-check-local'));

    // Assess
    expect(run.healthy).toBe(false);
    expect(run.alert).toEqual({ topicArn: missing, error: 'Topic does not exist' });
  });

  it('leaves the alerting to the CloudWatch alarms when no topic is configured, as deployed', async () => {
    // Prepare
    const snsMock = mockClient(SNSClient);
    const handler = createHealthCheckHandler({ env: env(), now: () => later });

    // Act
    const run = await handler({}, lambdaContext('opendata-pulse-health-check-local'));

    // Assess
    expect(run.healthy).toBe(false);
    expect(run.alert).toBeUndefined();
    expect(snsMock.commandCalls(PublishCommand)).toEqual([]);
    snsMock.restore();
  });

  it('refuses a CRITICAL_ALERTS_TOPIC_ARN that is not a topic ARN, naming the variable', async () => {
    // Prepare
    const handler = createHealthCheckHandler({
      env: env({ CRITICAL_ALERTS_TOPIC_ARN: 'critical-alerts' }),
      now: () => now,
    });

    // Act
    const run = handler({}, lambdaContext('opendata-pulse-health-check-local'));

    // Assess
    await expect(run).rejects.toThrow('CRITICAL_ALERTS_TOPIC_ARN is not an SNS topic ARN');
  });
});
