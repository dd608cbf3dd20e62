// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation, Serverless and compose variables are spelt ${...}
import { describe, expect, it } from 'vitest';
import { checkAgainstSpec, SPEC_RULES } from '../spec-check';
import type { CfnTemplate, JsonObject } from '../template';
import { goodTemplate, props } from './fixtures';

function check(template: CfnTemplate) {
  return checkAgainstSpec({ name: 'broken.json', template });
}

describe('checkAgainstSpec', () => {
  it('passes the compliant fixture template', () => {
    // Prepare
    const template = goodTemplate();

    // Act
    const findings = check(template);

    // Assess
    expect(findings).toEqual([]);
  });

  const cases: Array<{ what: string; rule: string; resource: string; message: RegExp; breakIt(t: CfnTemplate): void }> =
    [
      {
        what: 'a resource type that does not exist',
        rule: SPEC_RULES.type,
        resource: 'AlertsTopic',
        message: /"AWS::SNS::Topik" is not a CloudFormation resource type/,
        breakIt: (t) => {
          (t.Resources.AlertsTopic as { Type: string }).Type = 'AWS::SNS::Topik';
        },
      },
      {
        what: 'a misspelt top-level property, with a suggestion',
        rule: SPEC_RULES.property,
        resource: 'RawBucket',
        message: /unknown property "BucketEncyption" \(did you mean "BucketEncryption"\?\)/,
        breakIt: (t) => {
          const p = props(t, 'RawBucket');
          p.BucketEncyption = p.BucketEncryption ?? null;
          delete p.BucketEncryption;
        },
      },
      {
        what: 'a misspelt nested property',
        rule: SPEC_RULES.property,
        resource: 'RawBucket',
        message: /PublicAccessBlockConfiguration\.BlockPublicAcl: unknown property/,
        breakIt: (t) => {
          const pab = props(t, 'RawBucket').PublicAccessBlockConfiguration as JsonObject;
          pab.BlockPublicAcl = true;
        },
      },
      {
        what: 'a missing required property',
        rule: SPEC_RULES.required,
        resource: 'IngestLambdaFunction',
        message: /required property "Role" is missing/,
        breakIt: (t) => {
          delete props(t, 'IngestLambdaFunction').Role;
        },
      },
      {
        what: 'a missing required property inside a list item',
        rule: SPEC_RULES.required,
        resource: 'HotTable',
        message: /GlobalSecondaryIndexes\[0\]\.KeySchema: required property "KeySchema" is missing/,
        breakIt: (t) => {
          const gsis = props(t, 'HotTable').GlobalSecondaryIndexes as JsonObject[];
          delete gsis[0]?.KeySchema;
        },
      },
      {
        what: 'an object where a list belongs',
        rule: SPEC_RULES.shape,
        resource: 'HourlyRule',
        message: /Targets: expected a list, got an object/,
        breakIt: (t) => {
          const p = props(t, 'HourlyRule');
          p.Targets = (p.Targets as JsonObject[])[0] ?? {};
        },
      },
      {
        what: 'a list where a scalar belongs',
        rule: SPEC_RULES.shape,
        resource: 'EtlLambdaFunction',
        message: /Timeout: expected a integer, got a list/,
        breakIt: (t) => {
          props(t, 'EtlLambdaFunction').Timeout = [60];
        },
      },
      {
        what: 'a Ref to nothing',
        rule: SPEC_RULES.ref,
        resource: 'IngestLambdaFunction',
        message: /Ref "RawBuckett" names no resource/,
        breakIt: (t) => {
          const env = props(t, 'IngestLambdaFunction').Environment as { Variables: JsonObject };
          env.Variables.S3_BUCKET = { Ref: 'RawBuckett' };
        },
      },
      {
        what: 'a GetAtt of an attribute the type does not have',
        rule: SPEC_RULES.getAtt,
        resource: 'EtlEventSourceMapping',
        message: /AWS::SQS::Queue "ProcessingQueue" has no attribute "Arm"/,
        breakIt: (t) => {
          props(t, 'EtlEventSourceMapping').EventSourceArn = { 'Fn::GetAtt': ['ProcessingQueue', 'Arm'] };
        },
      },
      {
        what: 'a GetAtt of a resource that does not exist',
        rule: SPEC_RULES.getAtt,
        resource: 'Outputs.TableArn',
        message: /names "HotTabel", which is not a resource/,
        breakIt: (t) => {
          (t.Outputs as Record<string, JsonObject>).TableArn = { Value: { 'Fn::GetAtt': 'HotTabel.Arn' } };
        },
      },
      {
        what: 'an Fn::Sub reference to a missing attribute',
        rule: SPEC_RULES.getAtt,
        resource: 'IngestRole',
        message: /Fn::Sub "\$\{RawBucket.Arnn\}"/,
        breakIt: (t) => {
          const policies = props(t, 'IngestRole').Policies as Array<{ PolicyDocument: { Statement: JsonObject[] } }>;
          const statement = policies[0]?.PolicyDocument.Statement[0];
          if (statement) statement.Resource = { 'Fn::Sub': '${RawBucket.Arnn}/nsw-air-quality/*' };
        },
      },
      {
        what: 'an Fn::Sub reference to an unknown name',
        rule: SPEC_RULES.ref,
        resource: 'RawBucket',
        message: /Fn::Sub "\$\{AWS::AccountID\}" names nothing/,
        breakIt: (t) => {
          props(t, 'RawBucket').BucketName = { 'Fn::Sub': 'opendata-pulse-raw-data-${AWS::AccountID}' };
        },
      },
      {
        what: 'a DependsOn naming no resource',
        rule: SPEC_RULES.dependsOn,
        resource: 'EtlLambdaFunction',
        message: /DependsOn "EtlLogGroupp" names no resource/,
        breakIt: (t) => {
          (t.Resources.EtlLambdaFunction as { DependsOn: string[] }).DependsOn = ['EtlLogGroupp'];
        },
      },
      {
        what: 'an unknown template section',
        rule: SPEC_RULES.section,
        resource: 'Output',
        message: /unknown template section "Output"/,
        breakIt: (t) => {
          t.Output = {};
        },
      },
      {
        what: 'an unknown DeletionPolicy',
        rule: SPEC_RULES.attribute,
        resource: 'HotTable',
        message: /DeletionPolicy "Keep"/,
        breakIt: (t) => {
          (t.Resources.HotTable as { DeletionPolicy: string }).DeletionPolicy = 'Keep';
        },
      },
    ];

  it.each(cases)('reports $what', ({ rule, resource, message, breakIt }) => {
    // Prepare
    const template = goodTemplate();
    breakIt(template);

    // Act
    const findings = check(template);

    // Assess
    expect(findings).toContainEqual({
      template: 'broken.json',
      resource,
      rule,
      message: expect.stringMatching(message),
    });
  });

  it('checks both branches of an Fn::If against the property type', () => {
    // Prepare
    const template = goodTemplate();
    template.Conditions = { IsProd: { 'Fn::Equals': ['prod', 'prod'] } };
    props(template, 'RawBucket').VersioningConfiguration = {
      'Fn::If': ['IsProd', { Status: 'Enabled' }, { Statuss: 'Suspended' }],
    };

    // Act
    const findings = check(template);

    // Assess
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/VersioningConfiguration\.Statuss: unknown property/),
      expect.stringMatching(/VersioningConfiguration\.Status: required property "Status" is missing/),
    ]);
  });

  it('accepts custom resources with any properties and attributes', () => {
    // Prepare
    const template = goodTemplate();
    template.Resources.Seed = { Type: 'Custom::Seed', Properties: { ServiceToken: 'arn:x', Anything: { Nested: 1 } } };
    (template.Outputs as Record<string, JsonObject>).Seeded = { Value: { 'Fn::GetAtt': ['Seed', 'Whatever'] } };

    // Act
    const findings = check(template);

    // Assess
    expect(findings).toEqual([]);
  });
});
