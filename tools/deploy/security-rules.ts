/**
 * The project's security and operability rules (issue 8), asserted on every packaged template.
 * Each rule is a pure function of one template; a finding names the template, the resource and the rule.
 */

import { appsyncApiKeyRenewed } from './api-key-rules';
import { type AuthMode, fieldAuth, isOperatorField } from './appsync-auth';
import { CLOUDFRONT_RULES } from './cloudfront-rules';
import { type Rule, rule } from './rule';
import {
  asArray,
  type CfnResource,
  type CfnTemplate,
  type Finding,
  functionNameOf,
  isObject,
  type Json,
  type JsonObject,
  type NamedTemplate,
  parameterDefault,
  referencedLogicalId,
  renderString,
  resolveFunctionTarget,
  resourcesOfType,
  strings,
} from './template';
import { appsyncWaf } from './waf-rule';

export type { Rule } from './rule';

const truthy = (v: Json | undefined): boolean => v === true || v === 'true';

// ---------------------------------------------------------------- IAM

interface Statement {
  owner: string;
  where: string;
  statement: JsonObject;
}

/** Identity-policy statements: inline role policies, AWS::IAM::Policy and managed policies. */
function identityStatements(template: CfnTemplate): Statement[] {
  const out: Statement[] = [];
  const push = (owner: string, where: string, doc: Json | undefined) => {
    if (!isObject(doc)) return;
    asArray(doc.Statement as Json | Json[] | undefined).forEach((s, i) => {
      if (isObject(s)) out.push({ owner, where: `${where}.Statement[${i}]`, statement: s });
    });
  };
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role') {
      asArray(p.Policies as Json[] | undefined).forEach((policy, i) => {
        if (isObject(policy)) push(id, `Policies[${i}](${String(policy.PolicyName)})`, policy.PolicyDocument);
      });
    } else if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      push(id, 'PolicyDocument', p.PolicyDocument);
    }
  }
  return out;
}

const isAllow = (s: JsonObject) => s.Effect === 'Allow';

export const iamNoWildcardAction = rule(
  'iam-no-wildcard-action',
  'No IAM Allow statement grants every action ("*"), every action of a service ("s3:*") or uses NotAction',
  (template, emit) => {
    for (const { owner, where, statement } of identityStatements(template)) {
      if (!isAllow(statement)) continue;
      if (statement.NotAction !== undefined) emit(owner, `${where}: Allow with NotAction grants everything else`);
      for (const action of strings(statement.Action)) {
        if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action))
          emit(owner, `${where}: Action "${action}" is a wildcard`);
      }
    }
  },
);

/**
 * Actions that AWS does not scope to a resource: for these `Resource: "*"` is the only form IAM
 * accepts, so they are the one place it is allowed.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL = new Set([
  'cloudwatch:putmetricdata',
  'cloudwatch:getmetricdata',
  'cloudwatch:getmetricstatistics',
  'cloudwatch:listmetrics',
  'xray:puttracesegments',
  'xray:puttelemetryrecords',
  'xray:getsamplingrules',
  'xray:getsamplingtargets',
  'xray:getsamplingstatisticsummaries',
  's3:listallmybuckets',
  'sqs:listqueues',
  'sns:listtopics',
  'lambda:listfunctions',
  'dynamodb:listtables',
  'appsync:listgraphqlapis',
  'cognito-idp:listuserpools',
  'cloudformation:liststacks',
  'ssm:describeparameters',
  'ec2:createnetworkinterface',
  'ec2:describenetworkinterfaces',
  'ec2:deletenetworkinterface',
  'ec2:assignprivateipaddresses',
  'ec2:unassignprivateipaddresses',
]);

/** `*`, or an ARN whose resource part names no resource (`arn:aws:s3:::*`, `...:table/*`, `...:log-group:*`). */
export function isWildcardResource(resource: string): boolean {
  if (resource === '*') return true;
  const flat = resource.replace(/\$\{[^}]*\}/g, 'X');
  const arn = flat.match(/^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/);
  if (!arn) return false;
  const [, service, part = ''] = arn;
  // S3 ARNs are `bucket` or `bucket/key`: only a wildcard bucket names nothing.
  if (service === 's3') return part.startsWith('*');
  return part === '*' || /^[A-Za-z0-9-]+[:/]\*$/.test(part);
}

export const iamNoWildcardResource = rule(
  'iam-no-wildcard-resource',
  'No IAM Allow statement with Resource "*" (or an ARN naming no resource) for actions that can be scoped to a resource',
  (template, emit) => {
    for (const { owner, where, statement } of identityStatements(template)) {
      if (!isAllow(statement)) continue;
      if (statement.NotResource !== undefined)
        emit(owner, `${where}: Allow with NotResource grants every other resource`);
      const scopable = strings(statement.Action).filter((a) => !ACTIONS_WITHOUT_RESOURCE_LEVEL.has(a.toLowerCase()));
      if (scopable.length === 0) continue;
      for (const r of asArray(statement.Resource as Json | Json[] | undefined)) {
        const rendered = renderString(r);
        if (rendered !== undefined && isWildcardResource(rendered)) {
          emit(owner, `${where}: Resource "${rendered}" for ${scopable.join(', ')} — name the resource`);
        }
      }
    }
  },
);

export const iamOneRolePerFunction = rule(
  'iam-one-role-per-function',
  'Every Lambda function has its own execution role, shared with no other function',
  (template, emit) => {
    const byRole = new Map<string, string[]>();
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const role = fn.Properties?.Role;
      const key = referencedLogicalId(role) ?? renderString(role as Json);
      if (key === undefined) {
        emit(id, 'the function has no Role');
        continue;
      }
      byRole.set(key, [...(byRole.get(key) ?? []), id]);
    }
    for (const [role, fns] of byRole) {
      if (fns.length < 2) continue;
      for (const fn of fns) emit(fn, `shares role "${role}" with ${fns.filter((f) => f !== fn).join(', ')}`);
    }
  },
);

// ---------------------------------------------------------------- S3

export const s3PublicAccessBlocked = rule(
  's3-public-access-blocked',
  'Every bucket blocks public access (all four PublicAccessBlockConfiguration flags true)',
  (template, emit) => {
    const flags = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
    for (const [id, b] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const pab = b.Properties?.PublicAccessBlockConfiguration;
      const missing = flags.filter((f) => !isObject(pab) || !truthy(pab[f]));
      if (missing.length > 0) emit(id, `public access not blocked: ${missing.join(', ')} not true`);
    }
  },
);

export const s3Encryption = rule(
  's3-encryption',
  'Every bucket has default server-side encryption',
  (template, emit) => {
    for (const [id, b] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const enc = b.Properties?.BucketEncryption;
      const rules = isObject(enc) ? asArray(enc.ServerSideEncryptionConfiguration as Json[] | undefined) : [];
      const ok = rules.some(
        (r) =>
          isObject(r) &&
          isObject(r.ServerSideEncryptionByDefault) &&
          r.ServerSideEncryptionByDefault.SSEAlgorithm !== undefined,
      );
      if (!ok) emit(id, 'no BucketEncryption with an SSEAlgorithm');
    }
  },
);

export const s3Versioning = rule('s3-versioning', 'Every bucket has versioning enabled', (template, emit) => {
  for (const [id, b] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const v = b.Properties?.VersioningConfiguration;
    if (!isObject(v) || v.Status !== 'Enabled') emit(id, 'VersioningConfiguration.Status is not "Enabled"');
  }
});

/** True when `value` points at the bucket `bucketId` (Ref, or its literal name). */
function refersToBucket(value: Json | undefined, bucketId: string, bucket: CfnResource): boolean {
  if (referencedLogicalId(value) === bucketId) return true;
  const name = renderString(bucket.Properties?.BucketName as Json);
  return name !== undefined && renderString(value) === name;
}

function deniesInsecureTransport(s: JsonObject): boolean {
  if (s.Effect !== 'Deny') return false;
  const principal = s.Principal;
  const everyone = principal === '*' || (isObject(principal) && strings(principal.AWS).includes('*'));
  const actions = strings(s.Action);
  const allActions = actions.includes('*') || actions.includes('s3:*');
  const cond = isObject(s.Condition) ? s.Condition.Bool : undefined;
  const secure = isObject(cond) ? cond['aws:SecureTransport'] : undefined;
  return everyone && allActions && (secure === false || secure === 'false');
}

export const s3DenyNonTls = rule(
  's3-deny-non-tls',
  'Every bucket has a bucket policy denying all S3 actions without TLS (aws:SecureTransport false), on the bucket and its objects',
  (template, emit) => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    for (const [id, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const statements = policies
        .filter(([, p]) => refersToBucket(p.Properties?.Bucket, id, bucket))
        .flatMap(([, p]) => {
          const doc = p.Properties?.PolicyDocument;
          return isObject(doc) ? asArray(doc.Statement as Json | Json[] | undefined) : [];
        })
        .filter(isObject)
        .filter(deniesInsecureTransport);
      if (statements.length === 0) {
        emit(id, 'no bucket policy denies requests without TLS (Deny, Principal *, s3:*, aws:SecureTransport false)');
        continue;
      }
      const resources = statements.flatMap((s) => asArray(s.Resource as Json | Json[] | undefined)).map(renderString);
      const coversObjects = resources.some((r) => r?.endsWith('/*'));
      const coversBucket = resources.some((r) => r !== undefined && !r.endsWith('/*'));
      if (!coversObjects || !coversBucket) {
        emit(id, `the TLS-only statement must cover the bucket and its objects (covers: ${resources.join(', ')})`);
      }
    }
  },
);

// ---------------------------------------------------------------- DynamoDB, SQS

export const dynamodbPitr = rule(
  'dynamodb-pitr',
  'Every DynamoDB table has point-in-time recovery enabled',
  (template, emit) => {
    for (const [id, t] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
      const pitr = t.Properties?.PointInTimeRecoverySpecification;
      if (!isObject(pitr) || !truthy(pitr.PointInTimeRecoveryEnabled))
        emit(id, 'point-in-time recovery is not enabled');
    }
  },
);

export const dynamodbEncryption = rule(
  'dynamodb-encryption',
  'Every DynamoDB table declares server-side encryption (SSESpecification.SSEEnabled true)',
  (template, emit) => {
    for (const [id, t] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
      const sse = t.Properties?.SSESpecification;
      if (!isObject(sse) || !truthy(sse.SSEEnabled)) emit(id, 'SSESpecification.SSEEnabled is not true');
    }
  },
);

export const sqsEncryption = rule(
  'sqs-encryption',
  'Every SQS queue is encrypted (SqsManagedSseEnabled true or a KmsMasterKeyId)',
  (template, emit) => {
    for (const [id, q] of resourcesOfType(template, 'AWS::SQS::Queue')) {
      const p = q.Properties ?? {};
      if (p.SqsManagedSseEnabled === false || p.SqsManagedSseEnabled === 'false') {
        emit(id, 'SqsManagedSseEnabled is false');
      } else if (!truthy(p.SqsManagedSseEnabled) && p.KmsMasterKeyId === undefined) {
        emit(id, 'no SqsManagedSseEnabled: true or KmsMasterKeyId');
      }
    }
  },
);

export const sqsVisibilityTimeout = rule(
  'sqs-visibility-timeout',
  "An SQS queue feeding a Lambda has a visibility timeout ≥ 6 × the function's timeout + its batching window",
  (template, emit) => {
    const resources = template.Resources ?? {};
    for (const [id, esm] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
      const queueId = referencedLogicalId(esm.Properties?.EventSourceArn);
      const queue = queueId ? resources[queueId] : undefined;
      if (!queueId || queue?.Type !== 'AWS::SQS::Queue') continue;
      const target = resolveFunctionTarget(template, esm.Properties?.FunctionName);
      const fn = target ? resources[target.functionId] : undefined;
      if (!target || !fn) {
        emit(id, 'the event source mapping names no function in this template');
        continue;
      }
      const timeout = Number(fn.Properties?.Timeout ?? 3);
      const window = Number(esm.Properties?.MaximumBatchingWindowInSeconds ?? 0);
      const visibility = Number(queue.Properties?.VisibilityTimeout ?? 30);
      const needed = 6 * timeout + window;
      if (!(visibility >= needed)) {
        emit(
          queueId,
          `VisibilityTimeout ${visibility}s < 6 × ${target.functionId} Timeout ${timeout}s + batching window ${window}s = ${needed}s`,
        );
      }
    }
  },
);

// ---------------------------------------------------------------- Lambda

export const lambdaLogRetention = rule(
  'lambda-log-retention',
  "Every Lambda function's log group is in the template with RetentionInDays",
  (template, emit) => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const logging = fn.Properties?.LoggingConfig;
      const custom = isObject(logging) ? logging.LogGroup : undefined;
      const name = functionNameOf(fn);
      const wanted = new Set<string>();
      if (custom !== undefined) {
        const rendered = renderString(custom);
        if (rendered) wanted.add(rendered);
      } else {
        if (name) wanted.add(`/aws/lambda/${name}`);
        wanted.add(`/aws/lambda/\${${id}}`);
      }
      const customId = referencedLogicalId(custom);
      const group = groups.find(
        ([gid, g]) => gid === customId || wanted.has(renderString(g.Properties?.LogGroupName as Json) ?? ''),
      );
      if (!group) emit(id, `no AWS::Logs::LogGroup for ${[...wanted].join(' or ')} in the template`);
      else if (group[1].Properties?.RetentionInDays === undefined)
        emit(id, `log group ${group[0]} has no RetentionInDays`);
    }
  },
);

const ASYNC_PRINCIPALS = new Set([
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  's3.amazonaws.com',
  'sns.amazonaws.com',
  'logs.amazonaws.com',
  'iot.amazonaws.com',
  'ses.amazonaws.com',
  'cloudformation.amazonaws.com',
]);

interface AsyncTrigger {
  functionId: string;
  qualifier?: string;
  via: string;
}

/** Everything in the template that invokes a function asynchronously (events, schedules, S3, SNS). */
export function asyncTriggers(template: CfnTemplate): AsyncTrigger[] {
  const out: AsyncTrigger[] = [];
  const add = (value: Json | undefined, via: string) => {
    const t = resolveFunctionTarget(template, value);
    if (t) out.push({ ...t, via });
  };
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::Events::Rule':
        for (const target of asArray(p.Targets as Json[] | undefined)) if (isObject(target)) add(target.Arn, id);
        break;
      case 'AWS::Scheduler::Schedule':
        if (isObject(p.Target)) add(p.Target.Arn, id);
        break;
      case 'AWS::SNS::Subscription':
        if (p.Protocol === 'lambda') add(p.Endpoint, id);
        break;
      case 'AWS::S3::Bucket': {
        const n = p.NotificationConfiguration;
        if (isObject(n))
          for (const c of asArray(n.LambdaConfigurations as Json[] | undefined)) if (isObject(c)) add(c.Function, id);
        break;
      }
      case 'AWS::Lambda::Permission': {
        const principal = renderString(p.Principal as Json);
        if (principal && ASYNC_PRINCIPALS.has(principal)) add(p.FunctionName, id);
        break;
      }
    }
  }
  return out;
}

export const lambdaAsyncFailureDestination = rule(
  'lambda-async-failure-destination',
  'Every asynchronously invoked function (EventBridge, schedule, S3, SNS) has a DLQ or an on-failure destination for the qualifier invoked',
  (template, emit) => {
    const resources = template.Resources ?? {};
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig');
    const seen = new Set<string>();
    for (const trigger of asyncTriggers(template)) {
      const key = `${trigger.functionId}:${trigger.qualifier ?? '$LATEST'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fn = resources[trigger.functionId];
      const dlq = fn?.Properties?.DeadLetterConfig;
      if (isObject(dlq) && dlq.TargetArn !== undefined) continue;
      const qualifier = trigger.qualifier ?? '$LATEST';
      const onFailure = configs.some(([, c]) => {
        const target = resolveFunctionTarget(template, c.Properties?.FunctionName);
        const dest = c.Properties?.DestinationConfig;
        return (
          target?.functionId === trigger.functionId &&
          (target.qualifier ?? c.Properties?.Qualifier) === qualifier &&
          isObject(dest) &&
          isObject(dest.OnFailure) &&
          dest.OnFailure.Destination !== undefined
        );
      });
      if (!onFailure) {
        emit(
          trigger.functionId,
          `invoked asynchronously by ${trigger.via} (qualifier ${qualifier}) with no DeadLetterConfig and no EventInvokeConfig OnFailure destination for that qualifier — a failed event is dropped after Lambda's retries (a DLQ on the rule's target only catches delivery failures)`,
        );
      }
    }
  },
);

/** Lambda runtimes AWS supports and has not scheduled for deprecation before 2027 (Node 20 is past it). */
export const SUPPORTED_RUNTIMES = new Set([
  'nodejs22.x',
  'nodejs24.x',
  'python3.12',
  'python3.13',
  'python3.14',
  'java21',
  'java25',
  'dotnet8',
  'dotnet10',
  'ruby3.4',
  'provided.al2023',
]);

export const lambdaSupportedRuntime = rule(
  'lambda-supported-runtime',
  `Every zip-packaged function uses a supported runtime (${[...SUPPORTED_RUNTIMES].join(', ')})`,
  (template, emit) => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      if (fn.Properties?.PackageType === 'Image') continue;
      const runtime = fn.Properties?.Runtime;
      if (typeof runtime !== 'string' || !SUPPORTED_RUNTIMES.has(runtime)) {
        emit(id, `runtime ${JSON.stringify(runtime ?? null)} is not a supported runtime`);
      }
    }
  },
);

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|TOKEN|CREDENTIAL)/i;
/** Names that hold a pointer to a secret (its ARN, name, id or parameter path) rather than the secret itself. */
const POINTER_NAME = /(_ARN|_NAME|_ID|_PARAM|_PARAMETER|_PATH|_URL|_TTL|_HEADER)$/i;
const SECRET_VALUE = [
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  {
    pattern: /\{\{resolve:(secretsmanager|ssm-secure):/,
    what: 'a dynamic reference that resolves a secret into plain text',
  },
  { pattern: /^da2-[a-z0-9]{26}$/, what: 'an AppSync API key' },
];

export const lambdaNoSecretsInEnvironment = rule(
  'lambda-no-secrets-in-environment',
  'No Lambda environment variable holds a secret (by name or by value); pass an ARN or parameter name and read it at run time',
  (template, emit) => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const env = fn.Properties?.Environment;
      const vars = isObject(env) && isObject(env.Variables) ? env.Variables : {};
      for (const [name, value] of Object.entries(vars)) {
        const rendered = renderString(value) ?? '';
        const byValue = SECRET_VALUE.find((s) => s.pattern.test(rendered));
        if (byValue) emit(id, `environment variable ${name} holds ${byValue.what}`);
        else if (SECRET_NAME.test(name) && !POINTER_NAME.test(name) && !isBooleanish(value)) {
          emit(
            id,
            `environment variable ${name} looks like a secret; store it in Secrets Manager/SSM and pass ${name}_ARN`,
          );
        }
      }
    }
  },
);

function isBooleanish(value: Json): boolean {
  return value === true || value === false || value === 'true' || value === 'false' || value === '';
}

// ---------------------------------------------------------------- AppSync

export const appsyncLogging = rule(
  'appsync-logging',
  'Every AppSync API logs to CloudWatch (LogConfig with a role and a FieldLogLevel other than NONE)',
  (template, emit) => {
    for (const [id, api] of resourcesOfType(template, 'AWS::AppSync::GraphQLApi')) {
      const log = api.Properties?.LogConfig;
      if (!isObject(log) || log.CloudWatchLogsRoleArn === undefined)
        emit(id, 'no LogConfig with CloudWatchLogsRoleArn');
      else if (log.FieldLogLevel === undefined || log.FieldLogLevel === 'NONE')
        emit(id, 'FieldLogLevel is NONE or unset');
    }
  },
);

export const appsyncDepthLimit = rule(
  'appsync-depth-limit',
  'Every AppSync API sets a query depth limit (QueryDepthLimit 1–75)',
  (template, emit) => {
    for (const [id, api] of resourcesOfType(template, 'AWS::AppSync::GraphQLApi')) {
      const depth = Number(api.Properties?.QueryDepthLimit ?? 0);
      if (!(depth >= 1 && depth <= 75))
        emit(id, `QueryDepthLimit ${api.Properties?.QueryDepthLimit ?? 'unset'} (0 = unlimited)`);
    }
  },
);

export const appsyncCacheEncryption = rule(
  'appsync-cache-encryption',
  'Every AppSync API cache encrypts at rest and in transit',
  (template, emit) => {
    for (const [id, cache] of resourcesOfType(template, 'AWS::AppSync::ApiCache')) {
      const p = cache.Properties ?? {};
      if (!truthy(p.AtRestEncryptionEnabled) || !truthy(p.TransitEncryptionEnabled)) {
        emit(id, 'AtRestEncryptionEnabled and TransitEncryptionEnabled must both be true');
      }
    }
  },
);

export const appsyncOperatorFieldsAuth = rule(
  'appsync-operator-fields-auth',
  'No operator field (any mutation, a field limited to Cognito groups, Query.systemHealth) is reachable with an API key, and no API is API_KEY-only',
  (template, emit) => {
    const schemas = resourcesOfType(template, 'AWS::AppSync::GraphQLSchema');
    for (const [id, api] of resourcesOfType(template, 'AWS::AppSync::GraphQLApi')) {
      const defaultMode = api.Properties?.AuthenticationType as AuthMode | undefined;
      const extra = asArray(api.Properties?.AdditionalAuthenticationProviders as Json[] | undefined)
        .filter(isObject)
        .map((p) => p.AuthenticationType);
      if (defaultMode === 'API_KEY' && extra.length === 0) {
        emit(id, 'the API accepts only API keys: operator fields need Cognito (or IAM)');
      }
      const schema = schemas.find(([, s]) => referencedLogicalId(s.Properties?.ApiId) === id);
      const sdl = schema?.[1].Properties?.Definition;
      if (typeof sdl !== 'string') {
        emit(id, 'no inline schema Definition for this API, so its field auth cannot be checked');
        continue;
      }
      let fields: ReturnType<typeof fieldAuth>;
      try {
        fields = fieldAuth(sdl, defaultMode ?? 'API_KEY');
      } catch (error) {
        emit(schema?.[0] ?? id, `schema does not parse: ${(error as Error).message}`);
        continue;
      }
      for (const field of fields.filter(isOperatorField)) {
        if (field.modes.includes('API_KEY'))
          emit(schema?.[0] ?? id, `operator field ${field.coordinate} is reachable with an API key`);
      }
    }
  },
);

// ---------------------------------------------------------------- resource policies

export const noPublicResourcePolicy = rule(
  'no-public-resource-policy',
  'No bucket, queue or topic policy allows Principal "*" without a condition',
  (template, emit) => {
    const kinds = ['AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'];
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (!kinds.includes(r.Type)) continue;
      const doc = r.Properties?.PolicyDocument;
      const statements = isObject(doc) ? asArray(doc.Statement as Json | Json[] | undefined).filter(isObject) : [];
      for (const s of statements) {
        const p = s.Principal;
        const everyone = p === '*' || (isObject(p) && strings(p.AWS).includes('*'));
        if (isAllow(s) && everyone && s.Condition === undefined)
          emit(id, `allows ${JSON.stringify(s.Action)} to everyone`);
      }
    }
  },
);

// ---------------------------------------------------------------- SNS

/**
 * Alerts leave AWS only over TLS: no `http` subscription, and an `https` one whose endpoint the
 * template spells (or a parameter's default gives) is an https:// URL.
 */
export const snsSubscriptionTls = rule(
  'sns-subscription-tls',
  'Every SNS subscription delivers over TLS: no http protocol, and an https endpoint is an https:// URL',
  (template, emit) => {
    for (const [id, r] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
      const p = r.Properties ?? {};
      const protocol = typeof p.Protocol === 'string' ? p.Protocol.toLowerCase() : undefined;
      if (protocol === 'http') emit(id, 'Protocol http delivers in clear text: use https');
      const endpoint = typeof p.Endpoint === 'string' ? p.Endpoint : parameterDefault(template, p.Endpoint);
      if (protocol === 'https' && endpoint && !endpoint.startsWith('https://')) {
        emit(id, `Endpoint "${endpoint}" is not an https:// URL`);
      }
    }
  },
);

export const SECURITY_RULES: Rule[] = [
  iamNoWildcardAction,
  iamNoWildcardResource,
  iamOneRolePerFunction,
  s3PublicAccessBlocked,
  s3Encryption,
  s3Versioning,
  s3DenyNonTls,
  dynamodbPitr,
  dynamodbEncryption,
  sqsEncryption,
  sqsVisibilityTimeout,
  lambdaLogRetention,
  lambdaAsyncFailureDestination,
  lambdaSupportedRuntime,
  lambdaNoSecretsInEnvironment,
  appsyncLogging,
  appsyncDepthLimit,
  appsyncOperatorFieldsAuth,
  appsyncCacheEncryption,
  appsyncWaf,
  appsyncApiKeyRenewed(),
  noPublicResourcePolicy,
  snsSubscriptionTls,
  ...CLOUDFRONT_RULES,
];

export function checkSecurity(t: NamedTemplate): Finding[] {
  return SECURITY_RULES.flatMap((r) => r.check(t));
}
