// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are spelt ${...}
/**
 * `sls package` of the ops service, offline and without AWS credentials, as CI and a deploy run
 * it: the template holds the health-check function on a LIVE alias, the two topics, the alarms,
 * the dashboard and the ops bucket, with the contract names per stage and no wildcard in its role.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HEALTH_CHECK_RATE_MINUTES } from '@opendata-pulse/local/glue';
import { beforeAll, describe, expect, it } from 'vitest';

type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string; DeletionPolicy?: string };
type Template = { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };

const OPS_DIR = resolve(import.meta.dirname, '../..');

function packageStage(stage: string, params: string[] = []): Template {
  const out = mkdtempSync(join(tmpdir(), `pulse-ops-${stage}-`));
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
  const args = ['sls', 'package', '--stage', stage, '--package', out, ...params.flatMap((p) => ['--param', p])];
  execFileSync('npx', args, { cwd: OPS_DIR, env, stdio: 'pipe' });
  return JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

function ofType(t: Template, type: string): [string, Resource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The dashboard's body as CloudFormation renders it: `Fn::Sub` with its variables (which may be
 * `Fn::If` on the template's one condition, HasGraphQlApi), in account 123456789012.
 */
function dashboardBody(t: Template, hasApi: boolean): { widgets: { properties: Record<string, unknown> }[] } {
  const pseudo: Record<string, string> = { 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012' };
  const render = (node: Json): string => {
    if (typeof node === 'string' || typeof node === 'number') return String(node);
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      if ('Fn::If' in node) {
        const [, yes, no] = node['Fn::If'] as Json[];
        return render((hasApi ? yes : no) as Json);
      }
      if ('Fn::Sub' in node) {
        const [text, vars] = node['Fn::Sub'] as [string, Record<string, Json>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => pseudo[name] ?? render(vars[name] as Json));
      }
    }
    throw new Error(`cannot render ${JSON.stringify(node)}`);
  };
  const dashboard = ofType(t, 'AWS::CloudWatch::Dashboard')[0]?.[1] as Resource;
  return JSON.parse(render(dashboard.Properties.DashboardBody as Json));
}

describe('sls package (opendata-pulse-ops)', () => {
  let prod: Template;
  let dev: Template;
  let withApi: Template;

  beforeAll(() => {
    prod = packageStage('prod');
    dev = packageStage('dev');
    // as compose deploys it: with the API id the api service outputs
    withApi = packageStage('prod', ['graphQlApiId=x4k2d7hqmzb5']);
  }, 180_000);

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
      S3_BUCKET: { 'Fn::Sub': 'opendata-pulse-raw-data-${AWS::AccountId}' },
      DLQ_URL: {
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
      'opendata-pulse-api-key-expiry',
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
    // the dashboard's public API key: 30 days before it expires, or when the figure stops coming
    expect(alarms['opendata-pulse-api-key-expiry']).toMatchObject({
      Namespace: 'OpenDataPulse',
      MetricName: 'ApiKeyDaysToExpiry',
      Threshold: 30,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
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

  it('keeps an ops bucket per stage: private, encrypted, versioned, TLS only, expiring after 90 days, retained', () => {
    // Assess
    const bucket = prod.Resources.OpsBucket as Resource;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketName: { 'Fn::Sub': 'opendata-pulse-ops-${AWS::AccountId}' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect((bucket.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual({
      Id: 'expire-after-90-days',
      Status: 'Enabled',
      ExpirationInDays: 90,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    });
    expect(dev.Resources.OpsBucket?.Properties.BucketName).toEqual({
      'Fn::Sub': 'opendata-pulse-ops-${AWS::AccountId}-dev',
    });
    expect(prod.Outputs.OpsBucketName).toEqual({ Value: { Ref: 'OpsBucket' } });
  });

  it('lets only TLS requests in, and CloudWatch Logs of this account write exports under log-exports/', () => {
    // Assess
    const policy = prod.Resources.OpsBucketPolicy as Resource;
    expect(policy.Properties.Bucket).toEqual({ Ref: 'OpsBucket' });
    const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    const sub = (text: string) => ({ 'Fn::Sub': text });
    const logs = { Service: sub('logs.${AWS::Region}.amazonaws.com') };
    const logGroups = sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*');
    const account = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };
    expect(statements).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['OpsBucket', 'Arn'] }, sub('${OpsBucket.Arn}/*')],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'LogExportsCheckBucketAcl',
        Effect: 'Allow',
        Principal: logs,
        Action: 's3:GetBucketAcl',
        Resource: { 'Fn::GetAtt': ['OpsBucket', 'Arn'] },
        Condition: { StringEquals: account, ArnLike: { 'aws:SourceArn': logGroups } },
      },
      {
        Sid: 'LogExportsWrite',
        Effect: 'Allow',
        Principal: logs,
        Action: 's3:PutObject',
        Resource: sub('${OpsBucket.Arn}/log-exports/*'),
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...account },
          ArnLike: { 'aws:SourceArn': logGroups },
        },
      },
    ]);
  });

  it('shows the API latency percentiles, 4XX/5XX and resolver p99 on the dashboard once it knows the API id', () => {
    // Act
    const body = dashboardBody(withApi, true);
    const offline = dashboardBody(prod, false);

    // Assess
    const api = body.widgets.slice(-3).map((w) => w.properties);
    expect(api.map((w) => w.title)).toEqual([
      'GraphQL latency (ms)',
      'GraphQL requests, 4XX and 5XX',
      'Resolver latency p99 (ms)',
    ]);
    const [latency, errors, resolvers] = api;
    expect(latency?.metrics).toEqual(
      ['p50', 'p90', 'p99'].map((p) => [
        'AWS/AppSync',
        'Latency',
        'GraphQLAPIId',
        'x4k2d7hqmzb5',
        { stat: p, label: p },
      ]),
    );
    expect(latency?.annotations).toEqual({ horizontal: [{ label: 'slow (runbook: 2 s)', value: 2000 }] });
    expect(errors?.metrics).toContainEqual([
      'AWS/AppSync',
      '5XXError',
      'GraphQLAPIId',
      'x4k2d7hqmzb5',
      { label: '5XX' },
    ]);
    expect(resolvers?.metrics).toEqual([
      [
        {
          expression: `SEARCH('{AWS/AppSync,GraphQLAPIId,Resolver} MetricName="Latency" GraphQLAPIId="x4k2d7hqmzb5"', 'p99', 300)`,
          id: 'resolvers',
          label: '',
        },
      ],
    ]);
    expect(offline.widgets.map((w) => w.properties.title)).not.toContain('GraphQL latency (ms)');
    expect(offline.widgets).toHaveLength(body.widgets.length - 3);
  });
});
