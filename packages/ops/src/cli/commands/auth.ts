/** `pulse auth check | reset-password`: the Cognito user pool behind the API. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { checkLine } from '../format';
import { action, type CommandContext, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadAuthUseCase = () => import('../../use-cases/auth.use-case');

const LOCAL_HINT = 'the local stack authenticates with its API key and local operator token';

/** The test sign-in's password: PULSE_AUTH_PASSWORD, else asked on the terminal. */
function passwordFor(ctx: CommandContext, user: string): () => Promise<string> {
  return async () => {
    const password =
      ctx.io.env.PULSE_AUTH_PASSWORD ?? (ctx.io.interactive ? await ctx.io.ask(`password for ${user}: `) : '');
    if (!password) throw new BadRequestError('set PULSE_AUTH_PASSWORD for the test sign-in (no terminal to ask on)');
    return password;
  };
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
        const target = await ctx.awsTarget('auth', LOCAL_HINT);
        const report = await (await loadAuthUseCase()).checkAuth(
          await ctx.clients(),
          { stage: target.stage, ...opts },
          passwordFor(ctx, opts.user ?? ''),
        );
        const { checks } = report;
        const width = Math.max(...checks.map((c) => c.name.length));
        return {
          data: report,
          lines: checks.map((c) => checkLine(ctx.c, c.status, c.name, c.detail, width)),
          problem: checks.some((c) => c.status === 'fail'),
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
        const target = await ctx.awsTarget('auth', LOCAL_HINT);
        const reset = await (await loadAuthUseCase()).resetPassword(
          await ctx.clients(),
          { stage: target.stage, user: opts.user, ...(opts.userPoolId ? { userPoolId: opts.userPoolId } : {}) },
          (plan) => ctx.confirm(`Reset the password of ${plan.user} (${plan.status}) in ${plan.userPoolId}?`, opts.yes),
        );
        return {
          data: reset,
          lines: [
            `${ctx.c.green('✓')} ${reset.user}: ${reset.before} → FORCE_CHANGE_PASSWORD`,
            `  temporary password: ${ctx.c.bold(reset.temporaryPassword)}`,
            `  send it over a separate channel; it expires in ${reset.validDays} days and must be changed at the next sign-in`,
          ],
        };
      }),
    );
}
