import { buildSchema, type GraphQLObjectType } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { authenticate, type Caller, fieldRules, identityOf, isAllowed } from '../../src/appsync/appsync-auth';
import { APPSYNC_PRELUDE } from '../../src/appsync/appsync-prelude';

const schema = buildSchema(`${APPSYNC_PRELUDE}
  type Query @aws_api_key @aws_cognito_user_pools {
    open: Open
    admins: String @aws_cognito_user_pools(cognito_groups: ["operators", "admins"])
    legacy: String @aws_auth(cognito_groups: ["operators"])
  }
  type Open @aws_api_key { keyOnly: String  both: String @aws_api_key @aws_cognito_user_pools }
  type Plain { field: String }
`);
const rules = (type: string, field: string) => {
  const t = schema.getType(type) as GraphQLObjectType;
  return fieldRules(t, t.getFields()[field] as NonNullable<ReturnType<typeof t.getFields>[string]>);
};
const apiKey: Caller = { mode: 'API_KEY' };
const user = (groups: string[]): Caller => ({ mode: 'AMAZON_COGNITO_USER_POOLS', sub: 's', username: 'u', groups });
const headers = (h: Record<string, string>) => new Headers(h);
const options = { apiKey: 'the-key', users: [{ token: 'op', username: 'ops', groups: ['operators'] }] };

describe('AppSync field authorisation', () => {
  it("applies a field's own directives over its type's, and the default mode (Cognito) when neither has any", () => {
    expect(isAllowed(apiKey, rules('Query', 'open'))).toBe(true);
    expect(isAllowed(user([]), rules('Query', 'open'))).toBe(true);
    expect(isAllowed(user([]), rules('Open', 'keyOnly'))).toBe(false);
    expect(isAllowed(user([]), rules('Open', 'both'))).toBe(true);
    expect(isAllowed(apiKey, rules('Plain', 'field'))).toBe(false);
    expect(isAllowed(user([]), rules('Plain', 'field'))).toBe(true);
  });

  it('admits only members of the listed Cognito groups', () => {
    expect(isAllowed(apiKey, rules('Query', 'admins'))).toBe(false);
    expect(isAllowed(user([]), rules('Query', 'admins'))).toBe(false);
    expect(isAllowed(user(['admins']), rules('Query', 'admins'))).toBe(true);
    expect(isAllowed(user(['operators']), rules('Query', 'legacy'))).toBe(true);
    expect(isAllowed(user(['readers']), rules('Query', 'legacy'))).toBe(false);
  });
});

describe('local authentication', () => {
  it('takes a known token (with or without Bearer) as a Cognito user, the API key as API_KEY', () => {
    expect(authenticate(headers({ authorization: 'Bearer op' }), options)).toMatchObject({
      ok: true,
      caller: { mode: 'AMAZON_COGNITO_USER_POOLS', username: 'ops', groups: ['operators'] },
    });
    expect(authenticate(headers({ authorization: 'op' }), options)).toMatchObject({ ok: true });
    expect(authenticate(headers({ 'x-api-key': 'the-key' }), options)).toEqual({ ok: true, caller: apiKey });
  });

  it('refuses an unknown token, a wrong key and no credentials', () => {
    expect(authenticate(headers({ authorization: 'nope', 'x-api-key': 'the-key' }), options)).toMatchObject({
      ok: false,
    });
    expect(authenticate(headers({ 'x-api-key': 'the-kez' }), options)).toEqual({
      ok: false,
      message: 'You are not authorized to make this call.',
    });
    expect(authenticate(headers({}), options)).toEqual({
      ok: false,
      message: 'Valid authorization header not provided.',
    });
  });

  it("builds AppSync's identity: null for an API key, claims and groups for a Cognito user", () => {
    expect(identityOf(apiKey, '127.0.0.1')).toBeNull();
    expect(identityOf(user(['operators']), '127.0.0.1')).toMatchObject({
      username: 'u',
      groups: ['operators'],
      claims: { 'cognito:groups': ['operators'], 'cognito:username': 'u' },
      sourceIp: ['127.0.0.1'],
    });
  });
});
