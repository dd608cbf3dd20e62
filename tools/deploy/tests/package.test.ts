// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless and CloudFormation variables are spelt ${...}
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackaged, type Manifest } from '../check';
import { literalOutputs, offlineEnv, parseParamFlags, serviceParams } from '../package';
import { goodTemplate } from './fixtures';

describe('offlineEnv', () => {
  it('drops every AWS credential and profile and turns telemetry off', () => {
    // Prepare
    const base = {
      PATH: '/usr/bin',
      AWS_ACCESS_KEY_ID: 'AKIAABCDEFGHIJKLMNOP',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_PROFILE: 'prod-admin',
      AWS_REGION: 'ap-southeast-2',
    };

    // Act
    const env = offlineEnv(base);

    // Assess
    expect(env).toEqual({
      PATH: '/usr/bin',
      AWS_REGION: 'ap-southeast-2',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DISABLE_AUTO_UPDATE: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});

describe('checkPackaged', () => {
  function build(services: Manifest['services']): string {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-check-'));
    const manifest: Manifest = { stage: 'prod', region: 'ap-southeast-2', mode: 'params', params: {}, services };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    for (const s of services) writeFileSync(join(dir, s.file), JSON.stringify(goodTemplate()));
    return dir;
  }

  it('names the template, resource and rule of each finding, and the services never packaged', () => {
    // Prepare
    const dir = build([{ id: 'ops', file: 'ops.json', seconds: 1 }]);

    // Act
    const { findings } = checkPackaged(dir);

    // Assess
    expect(findings).toContainEqual({
      template: 'ops.json',
      resource: 'AWS::Lambda::Function',
      rule: 'contract-names',
      message: 'no function named "opendata-pulse-health-check" (found: opendata-pulse-etl, opendata-pulse-ingest)',
    });
    expect(findings.filter((f) => f.rule === 'package-all-services').map((f) => f.template)).toEqual([
      'ingest.json',
      'etl.json',
      'api.json',
      'web.json',
    ]);
  });

  it('checks only what was packaged when not every service is required', () => {
    // Prepare
    const dir = build([{ id: 'ops', file: 'ops.json', seconds: 1 }]);

    // Act
    const { findings } = checkPackaged(dir, { requireAll: false });

    // Assess
    expect(findings.some((f) => f.rule === 'package-all-services')).toBe(false);
  });
});

describe('--param for a packaging', () => {
  it('reads name=value pairs and names a malformed one', () => {
    // Act
    const params = parseParamFlags(['tableName=pulse-hot-restored', 'logLevel=DEBUG']);

    // Assess
    expect(params).toEqual({ tableName: 'pulse-hot-restored', logLevel: 'DEBUG' });
    expect(() => parseParamFlags(['tableName'])).toThrow('--param "tableName" must be name=value');
    expect(() => parseParamFlags(['tableName='])).toThrow('--param "tableName=" must be name=value');
  });

  it('goes to a service that reads it, unless compose hands that service the param', () => {
    // Prepare
    const reads = 'DYNAMODB_TABLE: ${param:tableName, self:custom.names.table}\nLOG_LEVEL: ${param:logLevel}\n';
    const extra = { tableName: 'from-the-flag', unread: 'x' };

    // Act
    const alone = serviceParams({}, reads, extra);
    const composed = serviceParams({ tableName: 'from-etl-output' }, reads, extra);

    // Assess
    expect(alone).toEqual({ tableName: 'from-the-flag' });
    expect(composed).toEqual({ tableName: 'from-etl-output' });
  });

  it('takes the outputs a deployed stack would report from plain strings in the packaged template', () => {
    // Prepare
    const template = {
      Resources: {},
      Outputs: {
        TableName: { Value: 'pulse-hot-restored' },
        TableArn: { Value: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:x' } },
        QueueUrl: { Value: { Ref: 'ProcessingQueue' } },
      },
    };

    // Act
    const outputs = literalOutputs(template);

    // Assess
    expect(outputs).toEqual({ TableName: 'pulse-hot-restored' });
  });
});
