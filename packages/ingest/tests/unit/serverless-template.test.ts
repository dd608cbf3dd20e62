/**
 * Packages the service as CI and a deploy would (`sls package`, offline, no AWS credentials) and
 * checks the CloudFormation it produces: contract names (docs/architecture.md, "Names"), bucket
 * hardening, the schedule on the LIVE alias, IAM without wildcards on S3, and a bundle that
 * loads. Packaging takes a few seconds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const run = promisify(execFile);
const serviceDir = join(import.meta.dirname, '../..');

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON, read by path
type Cfn = any;

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;
  Outputs: Record<string, { Value: unknown }>;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const outDirs: string[] = [];

async function packageStage(stage: string): Promise<{ template: Template; zip: Buffer }> {
  const outDir = mkdtempSync(join(tmpdir(), `ingest-package-${stage}-`));
  outDirs.push(outDir);
  const env: Record<string, string | undefined> = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: join(outDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(outDir, 'no-credentials'),
  };
  await run('npx', ['sls', 'package', '--stage', stage, '--package', outDir], {
    cwd: serviceDir,
    env: env as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
  return {
    template: JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8')),
    zip: readFileSync(join(outDir, 'ingest.zip')),
  };
}

let prod: { template: Template; zip: Buffer };
let dev: Template;

beforeAll(async () => {
  // One after the other: both builds use the service's .esbuild work folder.
  prod = await packageStage('prod');
  dev = (await packageStage('dev')).template;
}, 180_000);

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

function resourcesOfType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function resource(template: Template, logicalId: string) {
  const found = template.Resources[logicalId];
  expect(found, logicalId).toBeDefined();
  return found as Template['Resources'][string];
}

/** CloudFormation's own `${...}` placeholders, as Fn::Sub spells them. */
const cfn = (name: string) => `\${${name}}`;

function only(template: Template, type: string) {
  const found = resourcesOfType(template, type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0]?.[1].Properties as Record<string, Cfn>;
}

function statements(template: Template): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, role]) =>
    ((role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]) ?? []).flatMap(
      (p) => p.PolicyDocument.Statement,
    ),
  );
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('packaged prod template', () => {
  it('names the function, rule and bucket exactly as the contract does (docs/architecture.md, "Names")', () => {
    const fn = only(prod.template, 'AWS::Lambda::Function');
    expect(fn.FunctionName).toBe('opendata-pulse-ingest');
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Handler).toBe('src/handler.handler');
    expect(only(prod.template, 'AWS::Events::Rule').Name).toBe('opendata-pulse-hourly-ingestion');
    expect(resource(prod.template, 'RawBucket').Properties.BucketName).toEqual({
      'Fn::Sub': `opendata-pulse-raw-data-${cfn('AWS::AccountId')}`,
    });
  });

  it('appends the stage to every name on other stages', () => {
    expect(only(dev, 'AWS::Lambda::Function').FunctionName).toBe('opendata-pulse-ingest-dev');
    expect(only(dev, 'AWS::Events::Rule').Name).toBe('opendata-pulse-hourly-ingestion-dev');
    expect(resource(dev, 'RawBucket').Properties.BucketName).toEqual({
      'Fn::Sub': `opendata-pulse-raw-data-${cfn('AWS::AccountId')}-dev`,
    });
  });

  it('gives the function a LIVE alias that the hourly schedule invokes, with retries and a DLQ', () => {
    const [aliasId, alias] = resourcesOfType(prod.template, 'AWS::Lambda::Alias')[0] ?? [];
    expect(alias?.Properties.Name).toBe('LIVE');
    const rule = only(prod.template, 'AWS::Events::Rule');
    expect(rule.ScheduleExpression).toBe('rate(1 hour)');
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0].Arn).toEqual({ Ref: aliasId });
    expect(rule.Targets[0].RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(rule.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['IngestFailureQueue', 'Arn'] });
    const permission = only(prod.template, 'AWS::Lambda::Permission');
    expect(permission).toMatchObject({ FunctionName: { Ref: aliasId }, Principal: 'events.amazonaws.com' });
    expect(only(prod.template, 'AWS::Lambda::EventInvokeConfig')).toMatchObject({ Qualifier: 'LIVE' });
  });

  it('hardens the raw bucket', () => {
    const bucket = resource(prod.template, 'RawBucket');
    const p = bucket.Properties as Record<string, Cfn>;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
    );
    expect(p.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
    );
    expect(p.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    const policy = resource(prod.template, 'RawBucketPolicy').Properties as Record<string, Cfn>;
    expect(policy.Bucket).toEqual({ Ref: 'RawBucket' });
    expect(policy.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('has no lifecycle rule that deletes raw objects, current or noncurrent (nothing NSW sent is destroyed)', () => {
    // Assess
    const rules = (resource(prod.template, 'RawBucket').Properties as Cfn).LifecycleConfiguration.Rules as Cfn[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule, rule.Id).not.toHaveProperty('ExpirationInDays');
      expect(rule, rule.Id).not.toHaveProperty('ExpirationDate');
      expect(rule, rule.Id).not.toHaveProperty('ExpiredObjectDeleteMarker');
      expect(rule, rule.Id).not.toHaveProperty('NoncurrentVersionExpiration');
      expect(rule, rule.Id).not.toHaveProperty('NoncurrentVersionExpirationInDays');
    }
  });

  it('lets the function list only the raw and reference prefixes', () => {
    // Assess
    const list = statements(prod.template).filter((s) => actions(s).includes('s3:ListBucket'));
    expect(list).toHaveLength(1);
    expect(resources(list[0] as Statement)).toEqual([{ 'Fn::GetAtt': ['RawBucket', 'Arn'] }]);
    expect((list[0] as Statement & { Condition?: unknown }).Condition).toEqual({
      StringLike: { 's3:prefix': ['nsw-air-quality/raw/*', 'nsw-air-quality/reference/*'] },
    });
  });

  it('grants S3 access only on the raw bucket, never on Resource "*", and no wildcard actions', () => {
    const all = statements(prod.template);
    const s3Statements = all.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const s of s3Statements) {
      expect(resources(s)).not.toContain('*');
      expect(JSON.stringify(resources(s))).toContain('RawBucket');
    }
    expect(all.flatMap(actions).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    const objectGrants = s3Statements.find((s) => actions(s).includes('s3:PutObject'));
    expect(resources(objectGrants as Statement)).toEqual([
      { 'Fn::Sub': `${cfn('RawBucket.Arn')}/nsw-air-quality/raw/*` },
      { 'Fn::Sub': `${cfn('RawBucket.Arn')}/nsw-air-quality/reference/*` },
    ]);
  });

  it('keeps logs for a bounded time', () => {
    expect(only(prod.template, 'AWS::Logs::LogGroup')).toEqual({
      LogGroupName: '/aws/lambda/opendata-pulse-ingest',
      RetentionInDays: 30,
    });
  });

  it('exports what compose and ops read', () => {
    expect(Object.keys(prod.template.Outputs)).toEqual(
      expect.arrayContaining(['RawBucketName', 'RawBucketArn', 'IngestFunctionName', 'IngestFunctionArn']),
    );
    expect(prod.template.Outputs.RawBucketName?.Value).toEqual({ Ref: 'RawBucket' });
  });

  it('ships one bundled ES module handler and its source map', () => {
    expect([...unzip(prod.zip).keys()].sort()).toEqual(['src/handler.mjs', 'src/handler.mjs.map']);
  });

  it('ships a bundle that loads and keeps error names through minification', async () => {
    // Prepare: the bundled handler as Lambda would load it
    const dir = mkdtempSync(join(tmpdir(), 'ingest-bundle-'));
    outDirs.push(dir);
    const files = unzip(prod.zip);
    const file = join(dir, 'handler.mjs');
    // Without its map: the map names sources that are not beside it here.
    writeFileSync(
      file,
      (files.get('src/handler.mjs')?.toString('utf8') ?? '').replace(/\/\/# sourceMappingURL=.*$/m, ''),
    );
    vi.stubEnv('S3_BUCKET', 'opendata-pulse-raw-data-000000000000');
    vi.stubEnv('CIRCUIT_BREAKER', 'true');
    const { handler } = (await import(pathToFileURL(file).href)) as {
      handler: (event: unknown, context: object) => Promise<unknown>;
    };
    // Act
    const malformed = await handler({ hour: 13 }, {}).catch((error: Error) => error);
    const skipped = await handler({ test: true }, {});
    // Assess
    expect(malformed).toMatchObject({ name: 'ValidationError', errorType: 'Validation' });
    expect(skipped).toEqual({ skipped: 'circuit-breaker' });
    vi.unstubAllEnvs();
  });
});

/** The entries of a zip archive (stored or deflated), read through its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + skip;
  }
  return entries;
}
