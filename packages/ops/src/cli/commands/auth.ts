/** `pulse auth check | reset-password`: the Cognito user pool behind the API. */
import { randomInt } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type PasswordPolicyType,
} from '@aws-sdk/client-cognito-identity-provider';
import { BadRequestError, NotFoundError } from '@opendata-pulse/shared/errors';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import type { Command } from 'commander';
import type { CheckOutcome, HealthCheck } from '../../use-cases/health-checks';
import { requireAws } from '../aws-only';
import { checkLine } from '../format';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

async function findPool(cognito: CognitoIdentityProviderClient, stage: string, poolId?: string) {
  if (poolId) return poolId;
  const name = stageName(BASE_NAMES.userPool, stage);
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
    const found = page.UserPools?.find((p) => p.Name === name);
    if (found?.Id) return found.Id;
    token = page.NextToken;
  } while (token);
  throw new NotFoundError(`no Cognito user pool named ${name}; pass --user-pool-id`);
}

async function findClient(cognito: CognitoIdentityProviderClient, poolId: string, stage: string, clientId?: string) {
  if (clientId) return clientId;
  const name = stageName(BASE_NAMES.userPoolClient, stage);
  const { UserPoolClients = [] } = await cognito.send(
    new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }),
  );
  const found = UserPoolClients.find((c) => c.ClientName === name) ?? UserPoolClients[0];
  if (!found?.ClientId) throw new NotFoundError(`user pool ${poolId} has no app client; pass --client-id`);
  return found.ClientId;
}

async function cognitoOf(ctx: CommandContext) {
  const target = await ctx.target();
  requireAws(target, 'auth', 'the local stack authenticates with its API key and local operator token');
  return { target, cognito: (await ctx.clients()).cognito };
}

/** A temporary password that satisfies the pool's policy (every character class, above the minimum length). */
export function temporaryPassword(policy: PasswordPolicyType | undefined, random = randomInt): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@^_'];
  const length = Math.max(16, policy?.MinimumLength ?? 0);
  const pick = (set: string) => set[random(set.length)] ?? 'x';
  const chars = classes.map(pick);
  const all = classes.join('');
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

export function registerAuth(program: Command, deps: ProgramDeps): void {
  const auth = program.command('auth').description('the Cognito user pool behind the GraphQL API');

  auth
    .command('check')
    .description(
      'pool and client status and settings, and a test sign-in for --user (password from PULSE_AUTH_PASSWORD or a prompt)',
    )
    .option('--user <email>', 'sign this user in (ADMIN_USER_PASSWORD_AUTH)')
    .option('--user-pool-id <id>', 'default: the pool named for the stage')
    .option('--client-id <id>', "default: the API's app client")
    .action(
      action(deps, async (ctx, opts: { user?: string; userPoolId?: string; clientId?: string }) => {
        const { target, cognito } = await cognitoOf(ctx);
        const poolId = await findPool(cognito, target.stage, opts.userPoolId);
        const clientId = await findClient(cognito, poolId, target.stage, opts.clientId);
        const checks: HealthCheck[] = [];
        const add = (id: string, name: string, outcome: CheckOutcome) => checks.push({ id, name, ...outcome });

        const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
        const policy = pool?.Policies?.PasswordPolicy;
        add('pool', `pool ${pool?.Name ?? poolId}`, {
          status: pool ? 'ok' : 'fail',
          detail: `${poolId}, ~${pool?.EstimatedNumberOfUsers ?? '?'} users, MFA ${pool?.MfaConfiguration ?? '?'}, deletion protection ${pool?.DeletionProtection ?? '?'}`,
          data: { poolId, mfa: pool?.MfaConfiguration, users: pool?.EstimatedNumberOfUsers, passwordPolicy: policy },
        });
        add('password-policy', 'password policy', {
          status: (policy?.MinimumLength ?? 0) >= 12 ? 'ok' : 'warn',
          detail: `min ${policy?.MinimumLength ?? '?'} chars${policy?.RequireUppercase ? ', upper' : ''}${policy?.RequireLowercase ? ', lower' : ''}${policy?.RequireNumbers ? ', digits' : ''}${policy?.RequireSymbols ? ', symbols' : ''}; temporary passwords last ${policy?.TemporaryPasswordValidityDays ?? '?'} days`,
        });
        const { UserPoolClient: client } = await cognito.send(
          new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
        );
        const flows = client?.ExplicitAuthFlows ?? [];
        add('client', `client ${client?.ClientName ?? clientId}`, {
          status: client ? 'ok' : 'fail',
          detail: `${clientId}: flows ${flows.join(', ') || 'none'}; tokens ${client?.AccessTokenValidity ?? '?'} ${client?.TokenValidityUnits?.AccessToken ?? 'hours'} access, ${client?.RefreshTokenValidity ?? '?'} ${client?.TokenValidityUnits?.RefreshToken ?? 'days'} refresh`,
          data: { clientId, flows },
        });

        if (opts.user) {
          const password =
            ctx.io.env.PULSE_AUTH_PASSWORD ??
            (ctx.io.interactive ? await ctx.io.ask(`password for ${opts.user}: `) : '');
          if (!password)
            throw new BadRequestError('set PULSE_AUTH_PASSWORD for the test sign-in (no terminal to ask on)');
          try {
            const answer = await cognito.send(
              new AdminInitiateAuthCommand({
                UserPoolId: poolId,
                ClientId: clientId,
                AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
                AuthParameters: { USERNAME: opts.user, PASSWORD: password },
              }),
            );
            add(
              'sign-in',
              `sign-in ${opts.user}`,
              answer.AuthenticationResult
                ? {
                    status: 'ok',
                    detail: `tokens issued (expire in ${answer.AuthenticationResult.ExpiresIn ?? '?'} s)`,
                  }
                : {
                    status: 'warn',
                    detail: `challenge ${answer.ChallengeName}: the user must finish it (e.g. set a new password)`,
                  },
            );
          } catch (error) {
            const name = (error as Error).name;
            const hint = /PasswordResetRequired/.test(name) ? ` (pulse auth reset-password --user ${opts.user})` : '';
            add('sign-in', `sign-in ${opts.user}`, {
              status: 'fail',
              detail: `${name}: ${(error as Error).message}${hint}`,
            });
          }
        }
        const width = Math.max(...checks.map((c) => c.name.length));
        const failed = checks.some((c) => c.status === 'fail');
        return {
          data: { userPoolId: poolId, clientId, checks },
          lines: checks.map((c) => checkLine(ctx.c, c.status, c.name, c.detail, width)),
          problem: failed,
        };
      }),
    );

  auth
    .command('reset-password')
    .description('give a user a temporary password (they must choose a new one at the next sign-in)')
    .requiredOption('--user <email>', 'the user')
    .option('--user-pool-id <id>', 'default: the pool named for the stage')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { user: string; userPoolId?: string; yes?: boolean }) => {
        const { target, cognito } = await cognitoOf(ctx);
        const poolId = await findPool(cognito, target.stage, opts.userPoolId);
        const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: opts.user }));
        const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
        await ctx.confirm(`Reset the password of ${opts.user} (${user.UserStatus}) in ${poolId}?`, opts.yes);
        const password = temporaryPassword(pool?.Policies?.PasswordPolicy);
        await cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: poolId,
            Username: opts.user,
            Password: password,
            Permanent: false,
          }),
        );
        const days = pool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
        return {
          data: {
            userPoolId: poolId,
            user: opts.user,
            before: user.UserStatus,
            temporaryPassword: password,
            validDays: days,
          },
          lines: [
            `${ctx.c.green('✓')} ${opts.user}: ${user.UserStatus} → FORCE_CHANGE_PASSWORD`,
            `  temporary password: ${ctx.c.bold(password)}`,
            `  send it over a separate channel; it expires in ${days} days and must be changed at the next sign-in`,
          ],
        };
      }),
    );
}
