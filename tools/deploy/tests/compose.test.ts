// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation, Serverless and compose variables are spelt ${...}
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPOSE_RULES,
  type ComposeService,
  checkComposeWiring,
  outputReferences,
  ownParams,
  paramRows,
  paramUses,
  placeholderOutputs,
  readCompose,
  resolveParams,
  serviceConfigText,
} from '../compose';
import type { CfnTemplate } from '../template';

const ROOT = resolve(import.meta.dirname, '../../..');

const compose: ComposeService[] = [
  { id: 'ingest', path: 'packages/ingest', params: {} },
  { id: 'etl', path: 'packages/etl', params: { rawBucketName: '${ingest.RawBucketName}' } },
];
const ingestTemplate: CfnTemplate = {
  Resources: { RawBucket: { Type: 'AWS::S3::Bucket' } },
  Outputs: { RawBucketName: { Value: { Ref: 'RawBucket' } } },
};
const etlYml = "provider:\n  environment:\n    S3_BUCKET: ${param:rawBucketName, 'opendata-pulse-raw-data'}\n";

describe('serverless-compose.yml links', () => {
  it('pass when every output exists upstream and every param is read downstream', () => {
    // Act
    const findings = checkComposeWiring(compose, { ingest: ingestTemplate }, { ingest: 'service: x\n', etl: etlYml });

    // Assess
    expect(findings).toEqual([]);
  });

  it('report an output the upstream template does not declare', () => {
    // Prepare
    const upstream: CfnTemplate = { ...ingestTemplate, Outputs: { RawBucket: { Value: 'x' } } };

    // Act
    const findings = checkComposeWiring(compose, { ingest: upstream }, { etl: etlYml });

    // Assess
    expect(findings).toEqual([
      {
        template: 'serverless-compose.yml',
        resource: 'etl.params.rawBucketName',
        rule: COMPOSE_RULES.output,
        message: 'ingest declares no output "RawBucketName" (it has: RawBucket)',
      },
    ]);
  });

  it('report a param the service never reads', () => {
    // Act
    const findings = checkComposeWiring(compose, { ingest: ingestTemplate }, { etl: 'service: etl\n' });

    // Assess
    expect(findings.map((f) => [f.resource, f.rule])).toEqual([['etl.params.rawBucketName', COMPOSE_RULES.paramUsed]]);
  });

  it('report a param without default that compose does not pass', () => {
    // Prepare
    const yml = `${etlYml}    DYNAMODB_TABLE: \${param:tableName}\n`;

    // Act
    const findings = checkComposeWiring(compose, { ingest: ingestTemplate }, { etl: yml });

    // Assess
    expect(findings.map((f) => [f.resource, f.rule, f.message])).toEqual([
      [
        'etl',
        COMPOSE_RULES.paramProvided,
        'packages/etl/serverless.yml needs ${param:tableName} and compose does not pass it',
      ],
    ]);
  });

  it('report a reference to a service compose does not define', () => {
    // Prepare
    const withTypo: ComposeService[] = [
      ...compose,
      { id: 'api', path: 'packages/api', params: { t: '${etll.TableName}' } },
    ];

    // Act
    const findings = checkComposeWiring(withTypo, {}, {});

    // Assess
    expect(findings.map((f) => f.rule)).toEqual([COMPOSE_RULES.service]);
  });

  it('require every service that reads tableName to take etl’s TableName, the one place it comes from', () => {
    // Prepare
    const reads = "DYNAMODB_TABLE: ${param:tableName, 'opendata-pulse-hot-aggregates'}\n";
    const services: ComposeService[] = [
      ...compose,
      { id: 'api', path: 'packages/api', params: { tableName: '${etl.TableName}' } },
      { id: 'ops', path: 'packages/ops', params: { tableName: 'opendata-pulse-hot-aggregates-restored' } },
      { id: 'web', path: 'packages/web', params: {} },
    ];

    // Act
    const findings = checkComposeWiring(services, {}, { etl: `${etlYml}${reads}`, api: reads, ops: reads, web: reads });

    // Assess
    expect(findings.filter((f) => f.rule === COMPOSE_RULES.tableSource).map((f) => [f.resource, f.message])).toEqual([
      [
        'ops.params.tableName',
        'must be ${etl.TableName}, so ops uses the table etl uses (got opendata-pulse-hot-aggregates-restored)',
      ],
      ['web.params.tableName', 'must be ${etl.TableName}, so web uses the table etl uses (got nothing)'],
    ]);
  });

  it('finds param uses with and without defaults', () => {
    // Act
    const uses = paramUses("a: ${param:one, 'x'}\nb: ${param:two}\nc: ${param:one}\n");

    // Assess
    expect(Object.fromEntries(uses)).toEqual({ one: { hasDefault: false }, two: { hasDefault: false } });
  });

  it('resolves the repository compose file from placeholder outputs for every service', () => {
    // Prepare
    const services = readCompose(ROOT);
    const outputs = placeholderOutputs('prod', 'ap-southeast-2');

    // Act
    const params = Object.fromEntries(services.map((s) => [s.id, resolveParams(s, outputs)]));

    // Assess
    expect(services.map((s) => s.id)).toEqual(['ingest', 'etl', 'api', 'ops', 'web']);
    expect(params.etl?.rawBucketName).toBe('opendata-pulse-raw-data-000000000000');
    expect(params.api?.tableName).toBe('opendata-pulse-hot-aggregates');
    expect(params.ops?.dlqUrl).toBe(
      'https://sqs.ap-southeast-2.amazonaws.com/000000000000/opendata-pulse-processing-dlq',
    );
    expect(params.web).toEqual({
      graphqlUrl: 'https://placeholder.appsync-api.ap-southeast-2.amazonaws.com/graphql',
      realtimeUrl: 'wss://placeholder.appsync-realtime-api.ap-southeast-2.amazonaws.com/graphql',
      publicApiKey: 'da2-placeholderplaceholderplace0',
      curatedBucketName: 'opendata-pulse-curated-data-000000000000',
    });
  });

  it('names stage-suffixed placeholders for other stages', () => {
    // Act
    const outputs = placeholderOutputs('dev', 'ap-southeast-2');

    // Assess
    expect(outputs.ingest.RawBucketName).toBe('opendata-pulse-raw-data-000000000000-dev');
    expect(outputs.etl.TableName).toBe('opendata-pulse-hot-aggregates-dev');
  });

  it('lists the outputs a param value references', () => {
    // Act
    const refs = outputReferences('${etl.QueueUrl}|${ingest.RawBucketArn}');

    // Assess
    expect(refs).toEqual([
      { service: 'etl', output: 'QueueUrl' },
      { service: 'ingest', output: 'RawBucketArn' },
    ]);
  });
});

describe("a service's own params", () => {
  it('count as provided for the stage being packaged', () => {
    // Prepare
    const yml = [
      'params:',
      '  prod:',
      '    suffix: ""',
      '  default:',
      '    suffix: -${sls:stage}',
      '    logLevel: INFO',
      'provider:',
      '  environment:',
      '    LOG_LEVEL: ${param:logLevel}',
      '    BUCKET: !Sub "raw-${AWS::AccountId}${param:suffix}"',
      "    S3_BUCKET: ${param:rawBucketName, 'x'}",
      '    ONLY_DEV: ${param:devOnly}',
    ].join('\n');

    // Act
    const findings = checkComposeWiring(compose, { ingest: ingestTemplate }, { etl: yml }, 'prod');

    // Assess
    expect(findings.map((f) => f.message)).toEqual([
      'packages/etl/serverless.yml needs ${param:devOnly} and compose does not pass it',
    ]);
  });
});

describe('paramRows', () => {
  it('say where each param a service reads gets its value', () => {
    // Prepare
    const yml = [
      'params:',
      '  prod:',
      '    suffix: ""',
      '  default:',
      '    suffix: -${sls:stage}',
      '    logLevel: INFO',
      'x: ${param:logLevel} ${param:suffix} ${param:rawBucketName, "opendata-pulse-raw-data"} ${param:cache, SMALL}',
    ].join('\n');

    // Act
    const rows = paramRows(compose, { etl: yml });

    // Assess
    expect(rows).toEqual([
      { service: 'etl', param: 'cache', prod: 'SMALL', otherStages: 'SMALL' },
      { service: 'etl', param: 'logLevel', prod: 'INFO', otherStages: 'INFO' },
      {
        service: 'etl',
        param: 'rawBucketName',
        fromCompose: '${ingest.RawBucketName}',
        prod: 'opendata-pulse-raw-data',
        otherStages: 'opendata-pulse-raw-data',
      },
      { service: 'etl', param: 'suffix', prod: '', otherStages: '-${sls:stage}' },
    ]);
  });

  it('show a chain of fallbacks in the order they are tried', () => {
    // Prepare
    const yml = "x: ${param:alertEmail, env:PULSE_ALERT_EMAIL, ''} ${param:table, self:custom.names.table}\n";

    // Act
    const rows = paramRows([{ id: 'ops', path: 'packages/ops', params: {} }], { ops: yml });

    // Assess
    expect(rows).toEqual([
      {
        service: 'ops',
        param: 'alertEmail',
        prod: '${env:PULSE_ALERT_EMAIL}, else ""',
        otherStages: '${env:PULSE_ALERT_EMAIL}, else ""',
      },
      {
        service: 'ops',
        param: 'table',
        prod: '${self:custom.names.table}',
        otherStages: '${self:custom.names.table}',
      },
    ]);
  });
});

describe('serviceConfigText', () => {
  it('adds the params read in included YAML files without breaking the serverless.yml document', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'pulse-svc-'));
    writeFileSync(join(dir, 'serverless.yml'), 'params:\n  default:\n    a: 1\nappSync: ${file(./appsync.yml)}\n');
    writeFileSync(join(dir, 'appsync.yml'), "caching:\n  type: ${param:apiCacheType, 'SMALL'}\n");

    // Act
    const text = serviceConfigText(join(dir, 'serverless.yml'));

    // Assess
    expect([...paramUses(text).keys()]).toEqual(['apiCacheType']);
    expect([...ownParams(text, 'prod')]).toEqual(['a']);
  });

  it('writes a Serverless variable used as a default as a variable', () => {
    // Act
    const rows = paramRows(compose, { etl: 'x: ${param:rawBucketName, self:custom.names.raw}\n' });

    // Assess
    expect(rows[0]?.prod).toBe('${self:custom.names.raw}');
  });
});
