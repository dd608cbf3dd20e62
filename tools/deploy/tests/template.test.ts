// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation, Serverless and compose variables are spelt ${...}
import { describe, expect, it } from 'vitest';
import { fieldAuth, isOperatorField } from '../appsync-auth';
import {
  currentBlock,
  normaliseBlock,
  renderResourceTable,
  spliceBlock,
  TABLE_END,
  TABLE_START,
} from '../resource-table';
import { type CfnTemplate, conditionValue, maskVolatile, renderString, resolveFunctionTarget } from '../template';
import { goodTemplate, props } from './fixtures';

describe('maskVolatile', () => {
  it('makes two packagings that differ only in API key expiry and artifact folder equal', () => {
    // Prepare
    const first = goodTemplate();
    const second = goodTemplate();
    props(second, 'GraphQlApiKeyDefault').Expires = 1767225600;
    (props(second, 'EtlLambdaFunction').Code as { S3Key: string }).S3Key =
      'serverless/opendata-pulse-etl/prod/1800000000000-2027-01-15T08:00:00.000Z/etl.zip';

    // Act
    const [a, b] = [maskVolatile(first), maskVolatile(second)];

    // Assess
    expect(first).not.toEqual(second);
    expect(a).toEqual(b);
  });

  it('leaves every other difference visible', () => {
    // Prepare
    const changed = goodTemplate();
    props(changed, 'EtlLambdaFunction').Timeout = 61;

    // Act
    const equal = JSON.stringify(maskVolatile(goodTemplate())) === JSON.stringify(maskVolatile(changed));

    // Assess
    expect(equal).toBe(false);
  });
});

describe('template helpers', () => {
  it('render joins, subs and references to one string', () => {
    // Act
    const rendered = renderString({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'B' }, '/*']],
    });

    // Assess
    expect(rendered).toBe('arn:${AWS::Partition}:s3:::${B}/*');
  });

  it('resolve an alias reference to its function and qualifier', () => {
    // Act
    const target = resolveFunctionTarget(goodTemplate(), { Ref: 'IngestLiveAlias' });

    // Assess
    expect(target).toEqual({ functionId: 'IngestLambdaFunction', qualifier: 'LIVE' });
  });

  it('resolve a literal qualified function ARN', () => {
    // Act
    const target = resolveFunctionTarget(goodTemplate(), {
      'Fn::Sub': 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:opendata-pulse-etl:LIVE',
    });

    // Assess
    expect(target).toEqual({ functionId: 'EtlLambdaFunction', qualifier: 'LIVE' });
  });
});

describe('AppSync field auth', () => {
  const sdl = `
    type Query @aws_api_key @aws_cognito_user_pools {
      stations: [Int]
      systemHealth: Int @aws_cognito_user_pools(cognito_groups: ["operators"])
    }
    type Mutation { rotate: Int }
  `;

  it('lets a field directive replace its type directives, and falls back to the default mode', () => {
    // Act
    const fields = fieldAuth(sdl, 'AMAZON_COGNITO_USER_POOLS');

    // Assess
    expect(fields).toEqual([
      { coordinate: 'Query.stations', modes: ['API_KEY', 'AMAZON_COGNITO_USER_POOLS'], cognitoGroups: [] },
      { coordinate: 'Query.systemHealth', modes: ['AMAZON_COGNITO_USER_POOLS'], cognitoGroups: ['operators'] },
      { coordinate: 'Mutation.rotate', modes: ['AMAZON_COGNITO_USER_POOLS'], cognitoGroups: [] },
    ]);
  });

  it('treats mutations, group-limited fields and systemHealth as operator fields', () => {
    // Act
    const operator = fieldAuth(sdl, 'API_KEY')
      .filter(isOperatorField)
      .map((f) => f.coordinate);

    // Assess
    expect(operator).toEqual(['Query.systemHealth', 'Mutation.rotate']);
  });
});

describe('resource table', () => {
  it('lists every resource with its name and replaces only the generated block', () => {
    // Prepare
    const table = renderResourceTable('prod', [
      { id: 'etl', template: { name: 'etl.json', template: goodTemplate() } },
    ]);
    const doc = `# Deploy\n\nhand-written\n\n${TABLE_START}\nold\n${TABLE_END}\n\nmore hand-written\n`;

    // Act
    const updated = spliceBlock(doc, table);

    // Assess
    expect(table).toContain('| opendata-pulse-etl | 31 |');
    expect(table).toContain('| EtlLambdaFunction | AWS::Lambda::Function | `opendata-pulse-etl` |');
    expect(table).toContain('| EtlLambdaVersion… | AWS::Lambda::Version |  |');
    expect(table).toContain('| RawBucket | AWS::S3::Bucket | `opendata-pulse-raw-data-${AWS::AccountId}` |');
    expect(currentBlock(updated)).toBe(table);
    expect(updated.startsWith('# Deploy\n\nhand-written\n\n')).toBe(true);
    expect(updated.endsWith('\n\nmore hand-written\n')).toBe(true);
  });
});

describe('normaliseBlock', () => {
  it('treats a biome-aligned table as the table it was rendered from', () => {
    // Prepare
    const rendered = '| a | b |\n|---|---:|\n| x | `y\\|z` |';
    const aligned = '| a   |     b |\n| --- | ----: |\n| x   | `y\\|z` |';

    // Act
    const [left, right] = [normaliseBlock(rendered), normaliseBlock(aligned)];

    // Assess
    expect(left).toBe(right);
    expect(normaliseBlock('| a | b |\n| x | w |')).not.toBe(left);
  });
});

describe('conditionValue: a condition as a deploy with no parameter values decides it', () => {
  const template = (): CfnTemplate => ({
    Parameters: { AlertEmail: { Type: 'String', Default: '' }, Stage: { Type: 'String' } },
    Conditions: {
      HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertEmail' }, ''] }] },
      IsProdInSydney: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-southeast-2'] },
      NeverWithoutEmail: { 'Fn::And': [{ Condition: 'HasAlertEmail' }, { Condition: 'IsProdInSydney' }] },
      EitherOr: { 'Fn::Or': [{ Condition: 'HasAlertEmail' }, { 'Fn::Equals': ['a', 'a'] }] },
      Loop: { 'Fn::Not': [{ Condition: 'Loop' }] },
    },
    Resources: {},
  });

  it('uses the parameters defaults and literals', () => {
    // Prepare
    const withEmail = template();
    (withEmail.Parameters as Record<string, { Default?: string }>).AlertEmail = { Default: 'ops@example.org' };

    // Act + Assess
    expect(conditionValue(template(), 'HasAlertEmail')).toBe(false);
    expect(conditionValue(withEmail, 'HasAlertEmail')).toBe(true);
    expect(conditionValue(template(), 'EitherOr')).toBe(true);
  });

  it('decides And/Or when one side settles it, and answers undefined for what only a deploy knows', () => {
    expect(conditionValue(template(), 'NeverWithoutEmail')).toBe(false);
    expect(conditionValue(template(), 'IsProdInSydney')).toBeUndefined();
    expect(conditionValue(template(), 'Loop')).toBeUndefined();
    expect(conditionValue(template(), 'NoSuchCondition')).toBeUndefined();
  });
});
