// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation, Serverless and compose variables are spelt ${...}
import { describe, expect, it } from 'vitest';
import { CONTRACT_RULES, checkContract, checkContractNames } from '../contract-check';
import { contractNames } from '../services';
import type { CfnTemplate, JsonObject } from '../template';
import { goodTemplate, props } from './fixtures';

/** The fixture holds ingest's and etl's resources; check it against both services' names at once. */
function expected(stage: string) {
  const ingest = contractNames('ingest', stage);
  const etl = contractNames('etl', stage);
  return {
    functions: [...ingest.functions, ...etl.functions],
    rules: ingest.rules,
    buckets: ingest.buckets,
    queues: etl.queues,
    tables: etl.tables,
    topics: ['critical-alerts'],
    outputs: ['RawBucketName', 'TableArn'],
  };
}

describe('contract names (docs/architecture.md)', () => {
  it('pass the fixture, whose names are the prod contract', () => {
    // Act
    const findings = checkContractNames('good.json', expected('prod'), goodTemplate());

    // Assess
    expect(findings).toEqual([]);
  });

  it('report a prod name carrying a stage suffix', () => {
    // Prepare
    const template = goodTemplate();
    props(template, 'EtlLambdaFunction').FunctionName = 'opendata-pulse-etl-prod';

    // Act
    const findings = checkContractNames('etl.json', expected('prod'), template);

    // Assess
    expect(findings).toContainEqual({
      template: 'etl.json',
      resource: 'AWS::Lambda::Function',
      rule: CONTRACT_RULES.names,
      message: expect.stringContaining('no function named "opendata-pulse-etl"'),
    });
  });

  it('expect the stage suffix on other stages', () => {
    // Act
    const findings = checkContractNames('good.json', expected('dev'), goodTemplate());

    // Assess
    expect(findings.map((f) => f.message)).toContainEqual(
      expect.stringContaining('"opendata-pulse-raw-data-${AWS::AccountId}-dev"'),
    );
    expect(findings.map((f) => f.message)).toContainEqual(
      expect.stringContaining('"opendata-pulse-processing-dlq-dev"'),
    );
  });

  it('report a function without a LIVE alias', () => {
    // Prepare
    const template = goodTemplate();
    props(template, 'EtlLiveAlias').Name = 'live';

    // Act
    const findings = checkContractNames('etl.json', expected('prod'), template);

    // Assess
    expect(findings).toEqual([
      {
        template: 'etl.json',
        resource: 'EtlLambdaFunction',
        rule: CONTRACT_RULES.alias,
        message: 'function opendata-pulse-etl has no AWS::Lambda::Alias named LIVE',
      },
    ]);
  });

  it('report a missing GSI and a missing compose output', () => {
    // Prepare
    const template = goodTemplate();
    const gsis = props(template, 'HotTable').GlobalSecondaryIndexes as JsonObject[];
    if (gsis[0]) gsis[0].IndexName = 'GeoIndex';
    delete (template.Outputs as Record<string, JsonObject>).TableArn;

    // Act
    const findings = checkContractNames('etl.json', expected('prod'), template);

    // Assess
    expect(findings.map((f) => [f.resource, f.rule])).toEqual([
      ['HotTable', CONTRACT_RULES.names],
      ['Outputs', CONTRACT_RULES.outputs],
    ]);
  });

  it('checks a service template against its own contract', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'critical-alerts' } } },
    };

    // Act
    const findings = checkContract('ops', 'prod', template);

    // Assess
    expect(findings.map((f) => f.message)).toEqual([
      'no function named "opendata-pulse-health-check" (found: none)',
      'no bucket named "opendata-pulse-ops-${AWS::AccountId}" (found: none)',
      'no SNS topic named "incident-alerts" (found: critical-alerts)',
      'no alarm on OpenDataPulse/ApiKeyDaysToExpiry',
    ]);
  });
});

describe('the API key expiry alarm (contract-alarm)', () => {
  const expectedAlarm = {
    ...expected('prod'),
    alarms: [
      { namespace: 'OpenDataPulse', metric: 'ApiKeyDaysToExpiry', firesAtOrBelow: 30, topic: 'critical-alerts' },
    ],
  };
  const withAlarm = (changes: Record<string, unknown> = {}): CfnTemplate => ({
    Resources: {
      ...goodTemplate().Resources,
      Critical: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'critical-alerts' } },
      KeyAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'OpenDataPulse',
          MetricName: 'ApiKeyDaysToExpiry',
          Statistic: 'Minimum',
          Period: 3600,
          EvaluationPeriods: 1,
          Threshold: 30,
          ComparisonOperator: 'LessThanOrEqualToThreshold',
          TreatMissingData: 'breaching',
          AlarmActions: [{ Ref: 'Critical' }],
          OKActions: [{ Ref: 'Critical' }],
          ...changes,
        },
      },
    },
    Outputs: goodTemplate().Outputs,
  });
  const alarmFindings = (t: CfnTemplate) =>
    checkContractNames('x.json', expectedAlarm, t)
      .filter((f) => f.rule === CONTRACT_RULES.alarm)
      .map((f) => f.message);

  it('passes an alarm that fires at 30 days left, on a missing figure too, to critical-alerts', () => {
    // Act
    const findings = alarmFindings(withAlarm());

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports an alarm that fires too late, stays quiet without data or pages elsewhere', () => {
    // Prepare
    const late = withAlarm({ Threshold: 30, ComparisonOperator: 'LessThanThreshold' });
    const quiet = withAlarm({ TreatMissingData: 'notBreaching', OKActions: [] });

    // Act
    const lateFindings = alarmFindings(late);
    const quietFindings = alarmFindings(quiet);

    // Assess
    expect(lateFindings).toEqual(['LessThanThreshold 30 does not fire at 30']);
    expect(quietFindings).toEqual([
      'TreatMissingData must be breaching: no figure is no warning',
      'OKActions do not publish to the topic critical-alerts',
    ]);
  });
});

describe('the page-token secret (contract-secret)', () => {
  const expectedSecret = {
    ...expected('prod'),
    secrets: [{ functionName: 'opendata-pulse-etl', variable: 'PAGE_TOKEN_KEY_SECRET_ARN', minLength: 48 }],
  };
  type Statement = JsonObject & { Action: string[]; Resource: unknown };

  /** The fixture's etl function reading a generated secret, as the api's template has it. */
  function withSecret(): CfnTemplate {
    const t = goodTemplate();
    t.Resources.PageTokenKeySecret = {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
    };
    ((props(t, 'EtlLambdaFunction').Environment as JsonObject).Variables as JsonObject).PAGE_TOKEN_KEY_SECRET_ARN = {
      Ref: 'PageTokenKeySecret',
    };
    readStatements(t).push({
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [{ Ref: 'PageTokenKeySecret' }],
    });
    return t;
  }

  function readStatements(t: CfnTemplate): Statement[] {
    const policies = props(t, 'EtlRole').Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>;
    return (policies[0] as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
  }

  const messages = (t: CfnTemplate) =>
    checkContractNames('api.json', expectedSecret, t)
      .filter((f) => f.rule === CONTRACT_RULES.secret)
      .map((f) => `${f.resource}: ${f.message}`);

  it('passes a generated secret the function names by reference and alone may read', () => {
    expect(messages(withSecret())).toEqual([]);
  });

  it('reports a function whose variable holds a literal ARN instead of the secret of its template', () => {
    // Prepare
    const t = withSecret();
    ((props(t, 'EtlLambdaFunction').Environment as JsonObject).Variables as JsonObject).PAGE_TOKEN_KEY_SECRET_ARN =
      'arn:aws:secretsmanager:ap-southeast-2:000000000000:secret:made-by-hand';

    // Act / Assess
    expect(messages(t)).toEqual([
      "EtlLambdaFunction: opendata-pulse-etl's PAGE_TOKEN_KEY_SECRET_ARN is not a reference to an AWS::SecretsManager::Secret of this template",
    ]);
  });

  it('reports a secret whose value is in the template, or too short', () => {
    // Prepare
    const literal = withSecret();
    props(literal, 'PageTokenKeySecret').SecretString = 'x'.repeat(64);
    const short = withSecret();
    props(short, 'PageTokenKeySecret').GenerateSecretString = { ExcludePunctuation: true };

    // Act / Assess
    expect(messages(literal)).toEqual([
      'PageTokenKeySecret: the deploy must generate the value (GenerateSecretString), never carry it (SecretString)',
    ]);
    expect(messages(short)).toEqual([
      'PageTokenKeySecret: GenerateSecretString must make a plain value of at least 48 characters (PasswordLength 32)',
    ]);
  });

  it('reports a role that cannot read the secret, and one that may read other secrets too', () => {
    // Prepare
    const none = withSecret();
    readStatements(none).pop();
    const wide = withSecret();
    (readStatements(wide).at(-1) as Statement).Resource = [
      { Ref: 'PageTokenKeySecret' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' },
    ];

    // Act / Assess
    expect(messages(none)).toEqual([
      "EtlLambdaFunction: opendata-pulse-etl's role may not read PageTokenKeySecret (secretsmanager:GetSecretValue)",
    ]);
    expect(messages(wide)).toEqual([
      "EtlLambdaFunction: opendata-pulse-etl's role may read arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*: GetSecretValue must name only PageTokenKeySecret",
    ]);
  });
});
