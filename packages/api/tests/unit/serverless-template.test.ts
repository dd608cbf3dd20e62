// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are spelt ${...}
/**
 * `sls package` of the api service, offline and without AWS credentials, as CI and a deploy run it,
 * for what the ETL's live updates need from this stack: the SSM parameter holding the GraphQL URL
 * (per stage) and a policy on the ETL's role allowing `appsync:GraphQL` on the one mutation field.
 * Packaging takes a few seconds per stage.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serviceDir = join(import.meta.dirname, '../..');

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
}

const outDirs: string[] = [];

async function packageStage(stage: string, params: string[] = []): Promise<Template> {
  const outDir = mkdtempSync(join(tmpdir(), `api-package-${stage}-`));
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
  const args = ['sls', 'package', '--stage', stage, '--package', outDir, ...params.flatMap((p) => ['--param', p])];
  await run('npx', args, { cwd: serviceDir, env: env as NodeJS.ProcessEnv, timeout: 120_000 });
  return JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}

const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

describe('sls package (opendata-pulse-api): live updates', () => {
  let prod: Template;
  let dev: Template;

  beforeAll(async () => {
    // One after the other: serverless-esbuild builds in the service's own .esbuild directory.
    prod = await packageStage('prod');
    dev = await packageStage('dev');
  }, 180_000);

  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the GraphQL URL to /opendata-pulse[-stage]/api/graphql-url as a String parameter', () => {
    // Act
    const [prodParameter] = ofType(prod, 'AWS::SSM::Parameter');
    const [devParameter] = ofType(dev, 'AWS::SSM::Parameter');

    // Assess
    expect(ofType(prod, 'AWS::SSM::Parameter')).toHaveLength(1);
    expect(prodParameter?.Properties).toMatchObject({
      Name: '/opendata-pulse/api/graphql-url',
      Type: 'String',
      Value: { 'Fn::GetAtt': ['GraphQlApi', 'GraphQLUrl'] },
    });
    expect(devParameter?.Properties).toMatchObject({ Name: '/opendata-pulse-dev/api/graphql-url', Type: 'String' });
  });

  it("lets the ETL's role call Mutation.publishHourUpdate and nothing else", () => {
    // Act
    const onEtlRole = (t: Template) =>
      ofType(t, 'AWS::IAM::Policy').filter((p) =>
        (p.Properties.Roles as unknown[]).some((r) => typeof r === 'string' && r.startsWith('opendata-pulse-etl')),
      );
    const policies = onEtlRole(prod);
    const [devPolicy] = onEtlRole(dev);

    // Assess
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties).toEqual({
      PolicyName: 'opendata-pulse-api-publish-hour-update',
      Roles: ['opendata-pulse-etl-prod-ap-southeast-2-lambdaRole'],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['appsync:GraphQL'],
            Resource: [
              {
                'Fn::Sub':
                  'arn:${AWS::Partition}:appsync:${AWS::Region}:${AWS::AccountId}:apis/${GraphQlApi.ApiId}/types/Mutation/fields/publishHourUpdate',
              },
            ],
          },
        ],
      },
    });
    expect(devPolicy?.Properties).toMatchObject({
      PolicyName: 'opendata-pulse-api-dev-publish-hour-update',
      Roles: ['opendata-pulse-etl-dev-ap-southeast-2-lambdaRole'],
    });
  });

  it('adds IAM beside Cognito and the API key, and passes the mutation through a NONE data source', () => {
    // Act
    const api = prod.Resources.GraphQlApi?.Properties;
    const resolver = prod.Resources.GraphQlResolverMutationpublishHourUpdate?.Properties;

    // Assess
    expect(api).toMatchObject({
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }, { AuthenticationType: 'AWS_IAM' }],
    });
    expect(prod.Resources.GraphQlDshourupdates?.Properties).toMatchObject({ Name: 'hour_updates', Type: 'NONE' });
    expect(resolver).toMatchObject({
      TypeName: 'Mutation',
      FieldName: 'publishHourUpdate',
      Kind: 'UNIT',
      Runtime: { Name: 'APPSYNC_JS' },
      DataSourceName: { 'Fn::GetAtt': ['GraphQlDshourupdates', 'Name'] },
    });
    expect(resolver).not.toHaveProperty('CachingConfig');
  });
});
