/**
 * `sls package` of the ops service, offline and without AWS credentials, as CI and a deploy run
 * it: the template holds the health-check function on a LIVE alias, the two topics, the alarms
 * and the dashboard, with the contract names per stage and no wildcard in its role.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HEALTH_CHECK_RATE_MINUTES } from '@opendata-pulse/local/glue';
import { beforeAll, describe, expect, it } from 'vitest';

type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
type Template = { Resources: Record<string, Resource> };

const OPS_DIR = resolve(import.meta.dirname, '../..');

function packageStage(stage: string): Template {
  const out = mkdtempSync(join(tmpdir(), `pulse-ops-${stage}-`));
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
  execFileSync('npx', ['sls', 'package', '--stage', stage, '--package', out], { cwd: OPS_DIR, env, stdio: 'pipe' });
  return JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

function ofType(t: Template, type: string): [string, Resource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

describe('sls package (opendata-pulse-ops)', () => {
  let prod: Template;
  let dev: Template;

  beforeAll(() => {
    prod = packageStage('prod');
    dev = packageStage('dev');
  }, 120_000);

  it('packages the health-check function with its own role, a LIVE alias and a 5-minute schedule on the alias', () => {
    // Assess
    const fn = prod.Resources.HealthCheckLambdaFunction as Resource;
    expect(fn.Properties).toMatchObject({
      FunctionName: 'opendata-pulse-health-check',
      Runtime: 'nodejs24.x',
      Handler: 'src/handler.handler',
      Role: { 'Fn::GetAtt': ['HealthCheckRole', 'Arn'] },
    });
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      STAGE: 'prod',
      DYNAMODB_TABLE: 'opendata-pulse-hot-aggregates',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
      S3_BUCKET: { 'Fn::Sub': 'opendata-pulse-raw-data-${AWS::AccountId}' },
      DLQ_URL: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
        'Fn::Sub': 'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/opendata-pulse-processing-dlq',
      },
    });
    expect(prod.Resources.HealthCheckLiveAlias?.Properties).toMatchObject({ Name: 'LIVE' });
    expect(prod.Resources.HealthCheckSchedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [expect.objectContaining({ Arn: { Ref: 'HealthCheckLiveAlias' } })],
    });
    expect(ofType(prod, 'AWS::Logs::LogGroup')[0]?.[1].Properties).toMatchObject({ RetentionInDays: 30 });
  });

  it('schedules the health check at the rate the local stack runs it', () => {
    // Assess
    expect(prod.Resources.HealthCheckSchedule?.Properties.ScheduleExpression).toBe(
      `rate(${HEALTH_CHECK_RATE_MINUTES} minutes)`,
    );
  });

  it('leaves alerting to the alarms in AWS: no alert topic for the function, Publish only to critical-alerts', () => {
    // Assess
    const fn = prod.Resources.HealthCheckLambdaFunction as Resource;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).not.toHaveProperty('CRITICAL_ALERTS_TOPIC_ARN');
    const role = prod.Resources.HealthCheckRole as Resource;
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0]
      ?.PolicyDocument.Statement;
    expect(statements?.filter((s) => String(s.Action).includes('sns:'))).toEqual([
      {
        Sid: 'FailedRunsToCriticalAlerts',
        Effect: 'Allow',
        Action: ['sns:Publish'],
        Resource: [{ Ref: 'CriticalAlertsTopic' }],
      },
    ]);
  });

  it('names the topics per stage', () => {
    // Assess
    const names = (t: Template) => ofType(t, 'AWS::SNS::Topic').map(([, r]) => r.Properties.TopicName);
    expect(names(prod)).toEqual(['critical-alerts', 'incident-alerts']);
    expect(names(dev)).toEqual(['critical-alerts-dev', 'incident-alerts-dev']);
    expect(dev.Resources.HealthCheckLambdaFunction?.Properties.FunctionName).toBe('opendata-pulse-health-check-dev');
  });

  it('has the alarms the runbook relies on, all paging critical-alerts', () => {
    // Assess
    const alarms: Record<string, Record<string, unknown>> = Object.fromEntries(
      ofType(prod, 'AWS::CloudWatch::Alarm').map(([, r]) => [String(r.Properties.AlarmName), r.Properties]),
    );
    expect(Object.keys(alarms).sort()).toEqual([
      'opendata-pulse-api-error-rate',
      'opendata-pulse-appsync-error-rate',
      'opendata-pulse-data-freshness',
      'opendata-pulse-dlq-messages',
      'opendata-pulse-etl-errors',
      'opendata-pulse-etl-queue-age',
      'opendata-pulse-health-check-failures',
      'opendata-pulse-index-throttles',
      'opendata-pulse-ingest-errors',
      'opendata-pulse-table-throttles',
    ]);
    expect(alarms['opendata-pulse-data-freshness']).toMatchObject({
      Namespace: 'OpenDataPulse',
      MetricName: 'DataFreshnessMinutes',
      Dimensions: [{ Name: 'service', Value: 'opendata-pulse-health-check' }],
      Threshold: 120,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(alarms['opendata-pulse-dlq-messages']).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'opendata-pulse-processing-dlq' }],
      Threshold: 0,
    });
    expect(alarms['opendata-pulse-api-error-rate']).toMatchObject({ Threshold: 5 });
    expect(alarms['opendata-pulse-index-throttles']?.Metrics).toContainEqual(
      expect.objectContaining({
        MetricStat: expect.objectContaining({
          Metric: expect.objectContaining({
            Dimensions: [
              { Name: 'TableName', Value: 'opendata-pulse-hot-aggregates' },
              { Name: 'GlobalSecondaryIndexName', Value: 'GeographicIndex' },
            ],
          }),
        }),
      }),
    );
    for (const alarm of Object.values(alarms)) expect(alarm.AlarmActions).toEqual([{ Ref: 'CriticalAlertsTopic' }]);
    // AppSync's alarm needs the API id, which compose passes; offline it is left out
    expect(prod.Resources.AppSyncErrorRateAlarm?.Condition).toBe('HasGraphQlApi');
    expect(ofType(prod, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties.DashboardName).toBe('opendata-pulse');
  });

  it("gives the function's role no wildcard action or resource", () => {
    // Assess
    const role = prod.Resources.HealthCheckRole as Resource;
    const statements =
      (role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[])[0]?.PolicyDocument.Statement ?? [];
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/"Action":"\*"|"Action":\["\*"\]|"Resource":"\*"|"\*"\]/);
    expect(text).toContain('lambda:GetFunctionConfiguration');
    expect(text).toContain('function:opendata-pulse-ingest:*');
    expect(ofType(prod, 'AWS::IAM::Role')).toHaveLength(1);
  });
});
