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
    ]);
  });
});
