// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation, Serverless and compose variables are spelt ${...}
import { describe, expect, it } from 'vitest';
import { appsyncApiKeyRenewed } from '../api-key-rules';
import {
  cloudfrontHttpsOnly,
  cloudfrontOriginAccessControl,
  cloudfrontSecurityHeaders,
  s3CloudFrontReadOnly,
} from '../cloudfront-rules';
import {
  appsyncCacheEncryption,
  appsyncDepthLimit,
  appsyncLogging,
  appsyncOperatorFieldsAuth,
  checkSecurity,
  dynamodbEncryption,
  dynamodbPitr,
  iamNoWildcardAction,
  iamNoWildcardResource,
  iamOneRolePerFunction,
  isWildcardResource,
  lambdaAsyncFailureDestination,
  lambdaLogRetention,
  lambdaNoSecretsInEnvironment,
  lambdaSupportedRuntime,
  noPublicResourcePolicy,
  type Rule,
  SECURITY_RULES,
  s3DenyNonTls,
  s3Encryption,
  s3PublicAccessBlocked,
  s3Versioning,
  snsSubscriptionTls,
  sqsEncryption,
  sqsVisibilityTimeout,
} from '../security-rules';
import type { CfnTemplate, JsonObject } from '../template';
import { appsyncWaf } from '../waf-rule';
import { goodTemplate, props } from './fixtures';

type Statement = JsonObject & { Action?: unknown; Resource?: unknown };

function statements(t: CfnTemplate, roleId: string): Statement[] {
  const policies = props(t, roleId).Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>;
  const first = policies[0];
  if (!first) throw new Error(`${roleId} has no policy`);
  return first.PolicyDocument.Statement;
}

function wafRules(t: CfnTemplate): JsonObject[] {
  return props(t, 'GraphQlWaf').Rules as JsonObject[];
}

/** An https subscription of the fixture's topic to `endpoint`. */
function subscribe(t: CfnTemplate, endpoint: JsonObject | string): void {
  t.Resources.AlertsHttpsSubscription = {
    Type: 'AWS::SNS::Subscription',
    Properties: { TopicArn: { Ref: 'AlertsTopic' }, Protocol: 'https', Endpoint: endpoint },
  };
}

/** The fixture site's default cache behaviour, origin, response headers and CloudFront policy statement. */
const site = {
  config: (t: CfnTemplate) => props(t, 'SiteDistribution').DistributionConfig as JsonObject,
  behaviour: (t: CfnTemplate) => site.config(t).DefaultCacheBehavior as JsonObject,
  origin: (t: CfnTemplate) => (site.config(t).Origins as JsonObject[])[0] as JsonObject,
  headers: (t: CfnTemplate) =>
    (props(t, 'SiteHeadersPolicy').ResponseHeadersPolicyConfig as JsonObject).SecurityHeadersConfig as JsonObject,
  readStatement: (t: CfnTemplate) =>
    ((props(t, 'SiteBucketPolicy').PolicyDocument as JsonObject).Statement as JsonObject[])[1] as JsonObject,
};
const DAY_S = 86_400;

function graphQlSchema(t: CfnTemplate, sdl: string): void {
  props(t, 'GraphQlSchema').Definition = sdl;
}

interface Case {
  rule: Rule;
  what: string;
  resource: string;
  message: RegExp;
  breakIt(t: CfnTemplate): void;
}

const cases: Case[] = [
  {
    rule: iamNoWildcardAction,
    what: 'Action "*"',
    resource: 'EtlRole',
    message: /Action "\*" is a wildcard/,
    breakIt: (t) => {
      const s = statements(t, 'EtlRole')[1];
      if (s) s.Action = '*';
    },
  },
  {
    rule: iamNoWildcardAction,
    what: 'a whole service ("dynamodb:*")',
    resource: 'EtlRole',
    message: /Action "dynamodb:\*" is a wildcard/,
    breakIt: (t) => {
      const s = statements(t, 'EtlRole')[2];
      if (s) s.Action = ['dynamodb:*'];
    },
  },
  {
    rule: iamNoWildcardResource,
    what: 'Resource "*" for S3 actions',
    resource: 'IngestRole',
    message: /Resource "\*" for s3:PutObject, s3:GetObject/,
    breakIt: (t) => {
      const s = statements(t, 'IngestRole')[0];
      if (s) s.Resource = '*';
    },
  },
  {
    rule: iamNoWildcardResource,
    what: 'an ARN naming every table',
    resource: 'EtlRole',
    message: /table\/\*" for dynamodb:BatchWriteItem/,
    breakIt: (t) => {
      const s = statements(t, 'EtlRole')[2];
      if (s) s.Resource = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*' };
    },
  },
  {
    rule: iamOneRolePerFunction,
    what: 'two functions sharing one role',
    resource: 'IngestLambdaFunction',
    message: /shares role "EtlRole" with EtlLambdaFunction/,
    breakIt: (t) => {
      props(t, 'IngestLambdaFunction').Role = { 'Fn::GetAtt': ['EtlRole', 'Arn'] };
    },
  },
  {
    rule: s3PublicAccessBlocked,
    what: 'a bucket with one public-access flag off',
    resource: 'RawBucket',
    message: /RestrictPublicBuckets not true/,
    breakIt: (t) => {
      (props(t, 'RawBucket').PublicAccessBlockConfiguration as JsonObject).RestrictPublicBuckets = false;
    },
  },
  {
    rule: s3Encryption,
    what: 'a bucket without default encryption',
    resource: 'RawBucket',
    message: /no BucketEncryption/,
    breakIt: (t) => {
      delete props(t, 'RawBucket').BucketEncryption;
    },
  },
  {
    rule: s3Versioning,
    what: 'a bucket with versioning suspended',
    resource: 'RawBucket',
    message: /not "Enabled"/,
    breakIt: (t) => {
      props(t, 'RawBucket').VersioningConfiguration = { Status: 'Suspended' };
    },
  },
  {
    rule: s3DenyNonTls,
    what: 'a bucket without a TLS-only policy',
    resource: 'RawBucket',
    message: /no bucket policy denies requests without TLS/,
    breakIt: (t) => {
      delete t.Resources.RawBucketPolicy;
    },
  },
  {
    rule: s3DenyNonTls,
    what: 'a TLS-only policy that misses the objects',
    resource: 'RawBucket',
    message: /must cover the bucket and its objects/,
    breakIt: (t) => {
      const doc = props(t, 'RawBucketPolicy').PolicyDocument as { Statement: Statement[] };
      const s = doc.Statement[0];
      if (s) s.Resource = { 'Fn::GetAtt': ['RawBucket', 'Arn'] };
    },
  },
  {
    rule: dynamodbPitr,
    what: 'a table without point-in-time recovery',
    resource: 'HotTable',
    message: /point-in-time recovery is not enabled/,
    breakIt: (t) => {
      delete props(t, 'HotTable').PointInTimeRecoverySpecification;
    },
  },
  {
    rule: dynamodbEncryption,
    what: 'a table without SSESpecification',
    resource: 'HotTable',
    message: /SSEEnabled is not true/,
    breakIt: (t) => {
      delete props(t, 'HotTable').SSESpecification;
    },
  },
  {
    rule: sqsEncryption,
    what: 'a queue with SSE turned off',
    resource: 'ProcessingDlq',
    message: /SqsManagedSseEnabled is false/,
    breakIt: (t) => {
      props(t, 'ProcessingDlq').SqsManagedSseEnabled = false;
    },
  },
  {
    rule: sqsEncryption,
    what: 'a queue that does not say it is encrypted',
    resource: 'ProcessingQueue',
    message: /no SqsManagedSseEnabled: true or KmsMasterKeyId/,
    breakIt: (t) => {
      delete props(t, 'ProcessingQueue').SqsManagedSseEnabled;
    },
  },
  {
    rule: sqsVisibilityTimeout,
    what: "a queue whose visibility timeout is under 6 × the consumer's timeout",
    resource: 'ProcessingQueue',
    message: /VisibilityTimeout 300s < 6 × EtlLambdaFunction Timeout 60s \+ batching window 0s = 360s/,
    breakIt: (t) => {
      props(t, 'ProcessingQueue').VisibilityTimeout = 300;
    },
  },
  {
    rule: sqsVisibilityTimeout,
    what: 'a batching window that pushes the need past the visibility timeout',
    resource: 'ProcessingQueue',
    message: /batching window 5s = 365s/,
    breakIt: (t) => {
      props(t, 'EtlEventSourceMapping').MaximumBatchingWindowInSeconds = 5;
    },
  },
  {
    rule: lambdaLogRetention,
    what: 'a function without a log group',
    resource: 'EtlLambdaFunction',
    message: /no AWS::Logs::LogGroup for \/aws\/lambda\/opendata-pulse-etl/,
    breakIt: (t) => {
      delete t.Resources.EtlLogGroup;
      (t.Resources.EtlLambdaFunction as { DependsOn?: string[] }).DependsOn = undefined;
    },
  },
  {
    rule: lambdaLogRetention,
    what: 'a log group kept forever',
    resource: 'IngestLambdaFunction',
    message: /log group IngestLogGroup has no RetentionInDays/,
    breakIt: (t) => {
      delete props(t, 'IngestLogGroup').RetentionInDays;
    },
  },
  {
    rule: lambdaAsyncFailureDestination,
    what: 'a scheduled function with no DLQ or on-failure destination',
    resource: 'IngestLambdaFunction',
    message: /invoked asynchronously by HourlyRule \(qualifier LIVE\)/,
    breakIt: (t) => {
      delete t.Resources.IngestEventInvokeConfig;
    },
  },
  {
    rule: lambdaAsyncFailureDestination,
    what: 'an on-failure destination on $LATEST while the rule invokes LIVE',
    resource: 'IngestLambdaFunction',
    message: /qualifier LIVE/,
    breakIt: (t) => {
      props(t, 'IngestEventInvokeConfig').Qualifier = '$LATEST';
    },
  },
  {
    rule: lambdaSupportedRuntime,
    what: 'a deprecated runtime',
    resource: 'EtlLambdaFunction',
    message: /runtime "nodejs20.x" is not a supported runtime/,
    breakIt: (t) => {
      props(t, 'EtlLambdaFunction').Runtime = 'nodejs20.x';
    },
  },
  {
    rule: lambdaNoSecretsInEnvironment,
    what: 'a secret-named variable with a literal value',
    resource: 'EtlLambdaFunction',
    message: /NSW_API_TOKEN looks like a secret/,
    breakIt: (t) => {
      const env = props(t, 'EtlLambdaFunction').Environment as { Variables: JsonObject };
      env.Variables.NSW_API_TOKEN = 'b3f1c0ffee';
    },
  },
  {
    rule: lambdaNoSecretsInEnvironment,
    what: 'an access key id under an innocent name',
    resource: 'IngestLambdaFunction',
    message: /UPSTREAM holds an AWS access key id/,
    breakIt: (t) => {
      const env = props(t, 'IngestLambdaFunction').Environment as { Variables: JsonObject };
      env.Variables.UPSTREAM = 'AKIAABCDEFGHIJKLMNOP';
    },
  },
  {
    rule: lambdaNoSecretsInEnvironment,
    what: 'a Secrets Manager dynamic reference resolved into the environment',
    resource: 'IngestLambdaFunction',
    message: /DB_SETTINGS holds a dynamic reference/,
    breakIt: (t) => {
      const env = props(t, 'IngestLambdaFunction').Environment as { Variables: JsonObject };
      env.Variables.DB_SETTINGS = '{{resolve:secretsmanager:pulse:SecretString:password}}';
    },
  },
  {
    rule: appsyncLogging,
    what: 'an API without logging',
    resource: 'GraphQlApi',
    message: /no LogConfig/,
    breakIt: (t) => {
      delete props(t, 'GraphQlApi').LogConfig;
    },
  },
  {
    rule: appsyncLogging,
    what: 'an API logging nothing',
    resource: 'GraphQlApi',
    message: /FieldLogLevel is NONE/,
    breakIt: (t) => {
      (props(t, 'GraphQlApi').LogConfig as JsonObject).FieldLogLevel = 'NONE';
    },
  },
  {
    rule: appsyncDepthLimit,
    what: 'an API without a depth limit',
    resource: 'GraphQlApi',
    message: /QueryDepthLimit unset/,
    breakIt: (t) => {
      delete props(t, 'GraphQlApi').QueryDepthLimit;
    },
  },
  {
    rule: appsyncOperatorFieldsAuth,
    what: 'an API that accepts only API keys',
    resource: 'GraphQlApi',
    message: /accepts only API keys/,
    breakIt: (t) => {
      const p = props(t, 'GraphQlApi');
      p.AuthenticationType = 'API_KEY';
      delete p.AdditionalAuthenticationProviders;
      delete p.UserPoolConfig;
    },
  },
  {
    rule: appsyncOperatorFieldsAuth,
    what: 'an operator field that also allows the API key',
    resource: 'GraphQlSchema',
    message: /operator field Query.systemHealth is reachable with an API key/,
    breakIt: (t) =>
      graphQlSchema(
        t,
        'type SystemHealth { dlqDepth: Int }\ntype Query { systemHealth: SystemHealth @aws_api_key @aws_cognito_user_pools }',
      ),
  },
  {
    rule: appsyncOperatorFieldsAuth,
    what: 'a mutation that inherits API-key access from its type',
    resource: 'GraphQlSchema',
    message: /operator field Mutation.flushCache is reachable with an API key/,
    breakIt: (t) =>
      graphQlSchema(
        t,
        'type Query { ping: Int }\ntype Mutation @aws_api_key @aws_cognito_user_pools { flushCache: Boolean }',
      ),
  },
  {
    rule: appsyncCacheEncryption,
    what: 'an API cache without encryption in transit',
    resource: 'GraphQlCaching',
    message: /TransitEncryptionEnabled must both be true/,
    breakIt: (t) => {
      props(t, 'GraphQlCaching').TransitEncryptionEnabled = false;
    },
  },
  {
    rule: appsyncWaf,
    what: 'an API with no web ACL in front of it',
    resource: 'GraphQlApi',
    message: /no AWS::WAFv2::WebACLAssociation puts a web ACL in front of this API/,
    breakIt: (t) => {
      delete t.Resources.GraphQlWafAssoc;
    },
  },
  {
    rule: appsyncWaf,
    what: 'a web ACL without a per-IP rate limit',
    resource: 'GraphQlWaf',
    message: /no rule blocks a client IP past a request rate/,
    breakIt: (t) => {
      props(t, 'GraphQlWaf').Rules = wafRules(t).filter((r) => r.Name !== 'RateLimitPerIp');
    },
  },
  {
    rule: appsyncWaf,
    what: 'a rate rule that only counts',
    resource: 'GraphQlWaf',
    message: /no rule blocks a client IP past a request rate/,
    breakIt: (t) => {
      const rate = wafRules(t)[0] as JsonObject;
      rate.Action = { Count: {} };
    },
  },
  {
    rule: appsyncWaf,
    what: "a web ACL without AWS's common rule set",
    resource: 'GraphQlWaf',
    message: /no rule applies AWS's managed rule group AWSManagedRulesCommonRuleSet/,
    breakIt: (t) => {
      props(t, 'GraphQlWaf').Rules = wafRules(t).filter((r) => r.Name !== 'AWSManagedRulesCommonRuleSet');
    },
  },
  {
    rule: appsyncWaf,
    what: 'the common rule set overridden to count',
    resource: 'GraphQlWaf',
    message: /AWSManagedRulesCommonRuleSet must keep its own actions/,
    breakIt: (t) => {
      const common = wafRules(t)[1] as JsonObject;
      common.OverrideAction = { Count: {} };
    },
  },
  {
    rule: appsyncWaf,
    what: 'a CloudFront-scoped web ACL',
    resource: 'GraphQlWaf',
    message: /Scope is "CLOUDFRONT"; an AppSync API takes a REGIONAL web ACL/,
    breakIt: (t) => {
      props(t, 'GraphQlWaf').Scope = 'CLOUDFRONT';
    },
  },
  {
    rule: appsyncWaf,
    what: 'a web ACL from outside the template',
    resource: 'GraphQlWafAssoc',
    message: /not an AWS::WAFv2::WebACL of this template/,
    breakIt: (t) => {
      props(t, 'GraphQlWafAssoc').WebACLArn = 'arn:aws:wafv2:ap-southeast-2:000000000000:regional/webacl/x/1';
    },
  },
  {
    rule: noPublicResourcePolicy,
    what: 'a bucket policy allowing everyone',
    resource: 'RawBucketPolicy',
    message: /allows "s3:GetObject" to everyone/,
    breakIt: (t) => {
      const doc = props(t, 'RawBucketPolicy').PolicyDocument as { Statement: Statement[] };
      doc.Statement.push({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    },
  },
  {
    rule: snsSubscriptionTls,
    what: 'an http subscription',
    resource: 'AlertsHttpsSubscription',
    message: /Protocol http delivers in clear text/,
    breakIt: (t) => {
      subscribe(t, 'https://hooks.example.org/pulse');
      props(t, 'AlertsHttpsSubscription').Protocol = 'http';
    },
  },
  {
    rule: snsSubscriptionTls,
    what: 'an https subscription whose parameter default is a plain http URL',
    resource: 'AlertsHttpsSubscription',
    message: /Endpoint "http:\/\/hooks.example.org" is not an https:\/\/ URL/,
    breakIt: (t) => {
      t.Parameters = { ...t.Parameters, AlertHttpsEndpoint: { Type: 'String', Default: 'http://hooks.example.org' } };
      subscribe(t, { Ref: 'AlertHttpsEndpoint' });
    },
  },
  {
    rule: cloudfrontHttpsOnly,
    what: 'a site served over plain HTTP too',
    resource: 'SiteDistribution',
    message: /DefaultCacheBehavior: ViewerProtocolPolicy "allow-all" serves plain HTTP/,
    breakIt: (t) => {
      site.behaviour(t).ViewerProtocolPolicy = 'allow-all';
    },
  },
  {
    rule: cloudfrontOriginAccessControl,
    what: 'a bucket origin read through a legacy origin access identity',
    resource: 'SiteDistribution',
    message: /uses an origin access identity \(OAI\); use OAC/,
    breakIt: (t) => {
      site.origin(t).S3OriginConfig = { OriginAccessIdentity: 'origin-access-identity/cloudfront/E123' };
    },
  },
  {
    rule: cloudfrontOriginAccessControl,
    what: 'a bucket origin without origin access control',
    resource: 'SiteDistribution',
    message: /no OriginAccessControlId naming an AWS::CloudFront::OriginAccessControl/,
    breakIt: (t) => {
      delete site.origin(t).OriginAccessControlId;
    },
  },
  {
    rule: cloudfrontSecurityHeaders,
    what: 'a CSP allowing inline scripts and any frame ancestor',
    resource: 'SiteHeadersPolicy',
    message: /the CSP's script-src allows 'unsafe-inline'|frame-ancestors 'none'/,
    breakIt: (t) => {
      (site.headers(t).ContentSecurityPolicy as JsonObject).ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'";
    },
  },
  {
    rule: cloudfrontSecurityHeaders,
    what: 'no HSTS and framing allowed',
    resource: 'SiteHeadersPolicy',
    message: /no Strict-Transport-Security of at least 31536000 s/,
    breakIt: (t) => {
      delete site.headers(t).StrictTransportSecurity;
      (site.headers(t).FrameOptions as JsonObject).FrameOption = 'SAMEORIGIN';
    },
  },
  {
    rule: cloudfrontSecurityHeaders,
    what: 'a behaviour without a response headers policy',
    resource: 'SiteDistribution',
    message: /DefaultCacheBehavior: no ResponseHeadersPolicyId/,
    breakIt: (t) => {
      delete site.behaviour(t).ResponseHeadersPolicyId;
    },
  },
  {
    rule: s3CloudFrontReadOnly,
    what: 'CloudFront allowed in for any distribution',
    resource: 'SiteBucketPolicy',
    message: /no StringEquals AWS:SourceArn naming a distribution of this template/,
    breakIt: (t) => {
      delete site.readStatement(t).Condition;
    },
  },
  {
    rule: s3CloudFrontReadOnly,
    what: 'CloudFront allowed to list and write',
    resource: 'SiteBucketPolicy',
    message: /grants CloudFront s3:GetObject, s3:PutObject; only s3:GetObject/,
    breakIt: (t) => {
      site.readStatement(t).Action = ['s3:GetObject', 's3:PutObject'];
    },
  },
  {
    rule: appsyncApiKeyRenewed(),
    what: 'an API key with a fixed expiry 100 days away',
    resource: 'GraphQlApiKeyDefault',
    message: /less than 360 days after packaging: use expiresAfter: 365d/,
    breakIt: (t) => {
      props(t, 'GraphQlApiKeyDefault').Expires = Math.floor(Date.now() / 1000) + 100 * DAY_S;
    },
  },
  {
    rule: appsyncApiKeyRenewed(),
    what: 'an API key with no Expires',
    resource: 'GraphQlApiKeyDefault',
    message: /has no Expires computed at packaging/,
    breakIt: (t) => {
      delete props(t, 'GraphQlApiKeyDefault').Expires;
    },
  },
];

describe('security rules', () => {
  it('pass the compliant fixture template', () => {
    // Prepare
    const template = goodTemplate();

    // Act
    const findings = checkSecurity({ name: 'good.json', template });

    // Assess
    expect(findings).toEqual([]);
  });

  it('every rule has at least one broken fixture below', () => {
    // Prepare
    const covered = new Set(cases.map((c) => c.rule.id));

    // Act
    const uncovered = SECURITY_RULES.map((r) => r.id).filter((id) => !covered.has(id));

    // Assess
    expect(uncovered).toEqual([]);
  });

  it.each(cases)('$rule.id catches $what', ({ rule, resource, message, breakIt }) => {
    // Prepare
    const template = goodTemplate();
    breakIt(template);

    // Act
    const findings = rule.check({ name: 'broken.json', template });

    // Assess
    expect(findings).toContainEqual({
      template: 'broken.json',
      resource,
      rule: rule.id,
      message: expect.stringMatching(message),
    });
  });

  it('passes https and email subscriptions, spelt or from a parameter default', () => {
    // Prepare
    const template = goodTemplate();
    template.Parameters = { ...template.Parameters, AlertHttpsEndpoint: { Type: 'String', Default: '' } };
    subscribe(template, { Ref: 'AlertHttpsEndpoint' });
    template.Resources.AlertsEmailSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AlertsTopic' }, Protocol: 'email', Endpoint: 'ops@example.org' },
    };

    // Act
    const findings = snsSubscriptionTls.check({ name: 't.json', template });

    // Assess
    expect(findings).toEqual([]);
  });

  it('allows Resource "*" only for actions that cannot be scoped', () => {
    // Prepare
    const template = goodTemplate();
    const s = statements(template, 'EtlRole')[3];
    if (s) s.Action = ['cloudwatch:PutMetricData', 'sqs:SendMessage'];

    // Act
    const findings = iamNoWildcardResource.check({ name: 't.json', template });

    // Assess
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/Resource "\*" for sqs:SendMessage —/)]);
  });

  it.each([
    ['*', true],
    ['arn:aws:s3:::*', true],
    ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*', true],
    ['arn:aws:logs:ap-southeast-2:1:log-group:*', true],
    ['arn:aws:s3:::opendata-pulse-raw-data-1/*', false],
    ['arn:aws:logs:ap-southeast-2:1:log-group:/aws/lambda/opendata-pulse-etl:*', false],
    ['${HotTable.Arn}/index/*', false],
  ])('isWildcardResource(%s) is %s', (resource, expected) => {
    // Act
    const result = isWildcardResource(resource);

    // Assess
    expect(result).toBe(expected);
  });
});
