/**
 * AppSync's authorisation, reproduced for the local server.
 *
 * Request level: `Authorization: AWS4-HMAC-SHA256 ...` is an IAM caller (its signature is verified
 * by ./appsync-iam before the request runs); `Authorization: <token>` (or `Bearer <token>`)
 * authenticates a Cognito user; otherwise `x-api-key` must equal the API key; none is a 401
 * `UnauthorizedException`.
 * Local Cognito users are simulated by tokens given to the server (see LocalCognitoUser): a real
 * user pool's JWTs are not verified locally.
 *
 * Field level: a field's own auth directives apply if it has any, else its type's, else the
 * default mode (Cognito user pools). `@aws_cognito_user_pools(cognito_groups: [...])` and
 * `@aws_auth(cognito_groups: [...])` admit only members of those groups.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type AuthMode, type AuthRule, effectiveAuthRules } from '@opendata-pulse/shared/appsync';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import type { GraphQLField, GraphQLObjectType } from 'graphql/index.js';
import { isSigV4, parseSigV4Authorization } from './appsync-iam';

export type { AuthMode, AuthRule };
export const DEFAULT_AUTH_MODE: AuthMode = 'AMAZON_COGNITO_USER_POOLS';

export type Caller =
  | { mode: 'API_KEY' }
  | { mode: 'AMAZON_COGNITO_USER_POOLS'; sub: string; username: string; groups: string[] }
  | { mode: 'AWS_IAM'; accessKeyId: string };

export interface LocalCognitoUser {
  /** what the client sends as `Authorization` (with or without `Bearer `) */
  token: string;
  username: string;
  groups: string[];
}

/** The rules that govern one field of one type (shared `/appsync`, as the template checks read them). */
export function fieldRules(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): AuthRule[] {
  return effectiveAuthRules(
    field.astNode?.directives,
    [type.astNode, ...type.extensionASTNodes].map((node) => node?.directives),
    DEFAULT_AUTH_MODE,
  );
}

export function isAllowed(caller: Caller, rules: readonly AuthRule[]): boolean {
  return rules.some((rule) => {
    if (rule.mode !== caller.mode) return false;
    if (caller.mode !== 'AMAZON_COGNITO_USER_POOLS' || !rule.groups) return true;
    return rule.groups.some((g) => caller.groups.includes(g));
  });
}

const sameSecret = (a: string, b: string) => {
  const [x, y] = [createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest()];
  return timingSafeEqual(x, y);
};

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

export function authenticate(
  headers: { get(name: string): string | null },
  options: { apiKey: string; users: readonly LocalCognitoUser[] },
): Authentication {
  const authorization = headers.get('authorization');
  // Who signed; whether the signature holds is verifySigV4's (it needs the body).
  if (authorization && isSigV4(authorization)) {
    const signed = parseSigV4Authorization(authorization);
    return signed
      ? { ok: true, caller: { mode: 'AWS_IAM', accessKeyId: signed.accessKeyId } }
      : { ok: false, message: 'Authorization header is not a valid AWS4-HMAC-SHA256 signature.' };
  }
  if (authorization) {
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const user = options.users.find((u) => sameSecret(u.token, token));
    if (!user) return { ok: false, message: 'You are not authorized to make this call.' };
    const sub = createHash('sha256').update(`local-cognito:${user.username}`).digest('hex').slice(0, 32);
    return {
      ok: true,
      caller: { mode: 'AMAZON_COGNITO_USER_POOLS', sub, username: user.username, groups: user.groups },
    };
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey) {
    return sameSecret(apiKey, options.apiKey)
      ? { ok: true, caller: { mode: 'API_KEY' } }
      : { ok: false, message: 'You are not authorized to make this call.' };
  }
  return { ok: false, message: 'Valid authorization header not provided.' };
}

/** `identity` of the direct-Lambda event: null for API keys, the IAM or Cognito identity otherwise. */
export function identityOf(caller: Caller, sourceIp: string): Record<string, unknown> | null {
  if (caller.mode === 'API_KEY') return null;
  if (caller.mode === 'AWS_IAM') {
    return {
      accountId: LOCAL_ACCOUNT_ID,
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${caller.accessKeyId}`,
      username: caller.accessKeyId,
      sourceIp: [sourceIp],
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    };
  }
  const issuer = 'https://cognito-idp.local/local-user-pool';
  return {
    sub: caller.sub,
    issuer,
    username: caller.username,
    claims: {
      sub: caller.sub,
      iss: issuer,
      'cognito:username': caller.username,
      'cognito:groups': caller.groups,
      token_use: 'id',
    },
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups: caller.groups,
  };
}
