/**
 * The API's Cognito user pool: a check of pool, client and (optionally) a real sign-in, and a
 * password reset that gives the user a temporary password meeting the pool's policy.
 */
import type {
  AdminInitiateAuthCommandOutput,
  CognitoIdentityProviderClient,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  adminSignIn,
  describeAppClient,
  describeUserPool,
  findAppClient,
  findUserPool,
  getUser,
  setTemporaryPassword,
} from '../adapters/cognito';
import { temporaryPassword } from '../domain/temporary-password';
import type { CheckOutcome, HealthCheck } from './health-checks';
import type { Confirm } from './ports';

export interface AuthDeps {
  cognito: CognitoIdentityProviderClient;
}

export interface AuthCheckInput {
  stage: string;
  userPoolId?: string;
  clientId?: string;
  /** sign this user in */
  user?: string;
}

export interface AuthCheckReport {
  userPoolId: string;
  clientId: string;
  checks: HealthCheck[];
}

function poolChecks(pool: UserPoolType | undefined, poolId: string): HealthCheck[] {
  const policy = pool?.Policies?.PasswordPolicy;
  return [
    {
      id: 'pool',
      name: `pool ${pool?.Name ?? poolId}`,
      status: pool ? 'ok' : 'fail',
      detail: `${poolId}, ~${pool?.EstimatedNumberOfUsers ?? '?'} users, MFA ${pool?.MfaConfiguration ?? '?'}, deletion protection ${pool?.DeletionProtection ?? '?'}`,
      data: { poolId, mfa: pool?.MfaConfiguration, users: pool?.EstimatedNumberOfUsers, passwordPolicy: policy },
    },
    {
      id: 'password-policy',
      name: 'password policy',
      status: (policy?.MinimumLength ?? 0) >= 12 ? 'ok' : 'warn',
      detail: `min ${policy?.MinimumLength ?? '?'} chars${policy?.RequireUppercase ? ', upper' : ''}${policy?.RequireLowercase ? ', lower' : ''}${policy?.RequireNumbers ? ', digits' : ''}${policy?.RequireSymbols ? ', symbols' : ''}; temporary passwords last ${policy?.TemporaryPasswordValidityDays ?? '?'} days`,
    },
  ];
}

function clientCheck(client: UserPoolClientType | undefined, clientId: string): HealthCheck {
  const flows = client?.ExplicitAuthFlows ?? [];
  return {
    id: 'client',
    name: `client ${client?.ClientName ?? clientId}`,
    status: client ? 'ok' : 'fail',
    detail: `${clientId}: flows ${flows.join(', ') || 'none'}; tokens ${client?.AccessTokenValidity ?? '?'} ${client?.TokenValidityUnits?.AccessToken ?? 'hours'} access, ${client?.RefreshTokenValidity ?? '?'} ${client?.TokenValidityUnits?.RefreshToken ?? 'days'} refresh`,
    data: { clientId, flows },
  };
}

function signedIn(answer: AdminInitiateAuthCommandOutput): CheckOutcome {
  return answer.AuthenticationResult
    ? { status: 'ok', detail: `tokens issued (expire in ${answer.AuthenticationResult.ExpiresIn ?? '?'} s)` }
    : {
        status: 'warn',
        detail: `challenge ${answer.ChallengeName}: the user must finish it (e.g. set a new password)`,
      };
}

function refused(error: unknown, user: string): CheckOutcome {
  const name = (error as Error).name;
  const hint = /PasswordResetRequired/.test(name) ? ` (pulse auth reset-password --user ${user})` : '';
  return { status: 'fail', detail: `${name}: ${(error as Error).message}${hint}` };
}

/** `password` is asked for only when a user is to be signed in, after pool and client are described. */
export async function checkAuth(
  deps: AuthDeps,
  input: AuthCheckInput,
  password: () => Promise<string>,
): Promise<AuthCheckReport> {
  const { cognito } = deps;
  const poolId = await findUserPool(cognito, input.stage, input.userPoolId);
  const clientId = await findAppClient(cognito, poolId, input.stage, input.clientId);
  const checks = poolChecks(await describeUserPool(cognito, poolId), poolId);
  checks.push(clientCheck(await describeAppClient(cognito, poolId, clientId), clientId));
  if (input.user) {
    const user = input.user;
    const secret = await password();
    let outcome: CheckOutcome;
    try {
      outcome = signedIn(await adminSignIn(cognito, { poolId, clientId, user, password: secret }));
    } catch (error) {
      outcome = refused(error, user);
    }
    checks.push({ id: 'sign-in', name: `sign-in ${user}`, ...outcome });
  }
  return { userPoolId: poolId, clientId, checks };
}

export interface PasswordReset {
  userPoolId: string;
  user: string;
  /** the user's status before the reset */
  before: string | undefined;
  temporaryPassword: string;
  validDays: number;
}

export async function resetPassword(
  deps: AuthDeps,
  input: { stage: string; userPoolId?: string; user: string },
  confirm: Confirm<{ user: string; status: string | undefined; userPoolId: string }>,
): Promise<PasswordReset> {
  const { cognito } = deps;
  const poolId = await findUserPool(cognito, input.stage, input.userPoolId);
  const user = await getUser(cognito, poolId, input.user);
  const pool = await describeUserPool(cognito, poolId);
  await confirm({ user: input.user, status: user.UserStatus, userPoolId: poolId });
  const password = temporaryPassword(pool?.Policies?.PasswordPolicy);
  await setTemporaryPassword(cognito, poolId, input.user, password);
  return {
    userPoolId: poolId,
    user: input.user,
    before: user.UserStatus,
    temporaryPassword: password,
    validDays: pool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7,
  };
}
