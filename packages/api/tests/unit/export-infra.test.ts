/**
 * The infrastructure exportAirQualityData relies on, read from the service templates as written
 * (CloudFormation tags kept as their Fn:: forms): the API's IAM on the curated bucket's exports/
 * prefix only, its CURATED_BUCKET naming the bucket the etl stack creates, the lifecycle rule that
 * deletes exports after a day, and a function timeout inside AppSync's 30 s.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXPORTS_PREFIX } from '@opendata-pulse/shared/keys';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const cfnTags = [
  ...['!Sub', '!Ref', '!GetAtt'].map((tag) => ({
    tag,
    resolve: (value: string) => ({ [`Fn::${tag.slice(1)}`]: value }),
  })),
  ...['!Sub', '!Join', '!If', '!Not', '!Equals', '!Select', '!Split'].map((tag) => ({
    tag,
    collection: 'seq' as const,
    resolve: (seq: { toJSON(): unknown }) => ({ [`Fn::${tag.slice(1)}`]: seq.toJSON() }),
  })),
];
// biome-ignore lint/suspicious/noExplicitAny: templates are free-form YAML, read by path
const template = (relative: string): any =>
  parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8'), { customTags: cfnTags });

const api = template('../../serverless.yml');
const etl = template('../../../etl/serverless.yml');
const functions = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../shared/infra/functions.json', import.meta.url)), 'utf8'),
);

interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
}
const statements = api.provider.iam.role.statements as Statement[];
const mentions = (s: Statement, text: string) => JSON.stringify(s.Resource).includes(text);
const curatedBucketName = etl.resources.Resources.CuratedBucket.Properties.BucketName['Fn::Sub'] as string;

describe('exports infrastructure', () => {
  it("lets the API function put and get objects under the curated bucket's exports/ prefix, and nothing else there", () => {
    const onCurated = statements.filter((s) => mentions(s, 'opendata-pulse-curated-data'));
    expect(onCurated).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: [{ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${curatedBucketName}/${EXPORTS_PREFIX}*` }],
      },
    ]);
  });

  it('gives the API function the name of the bucket the etl stack creates', () => {
    expect(api.functions.api.environment.CURATED_BUCKET).toEqual({ 'Fn::Sub': curatedBucketName });
    expect(curatedBucketName).toBe(`opendata-pulse-curated-data-\${AWS::AccountId}\${param:suffix}`);
  });

  it('deletes exports a day after they are written (and their old versions a day later)', () => {
    const rules = etl.resources.Resources.CuratedBucket.Properties.LifecycleConfiguration.Rules as Record<
      string,
      unknown
    >[];
    const onExports = rules.filter((r) => r.Prefix === EXPORTS_PREFIX);
    expect(onExports).toEqual([
      {
        Id: 'expire-api-exports',
        Status: 'Enabled',
        Prefix: EXPORTS_PREFIX,
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
  });

  it('gives the API function a timeout AppSync can wait for (a Lambda resolver has 30 s)', () => {
    // a 366-day export of one station takes ~1.6 s locally (README, "Nearest stations and exports"): room for a slower Lambda CPU
    expect(functions.api.timeoutSeconds).toBeGreaterThanOrEqual(15);
    expect(functions.api.timeoutSeconds).toBeLessThanOrEqual(29);
  });
});
