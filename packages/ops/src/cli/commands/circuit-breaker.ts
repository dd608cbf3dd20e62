/** `pulse circuit-breaker on|off|status`: CIRCUIT_BREAKER on what a function runs, every other variable kept. */
import type { Command } from 'commander';
import { controlledFunction, FUNCTION_OPTION, renderChange, waitOptions } from '../function-controls';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadCircuitBreakerUseCase = () => import('../../use-cases/circuit-breaker.use-case');

export function registerCircuitBreaker(program: Command, deps: ProgramDeps): void {
  const cb = program
    .command('circuit-breaker')
    .description('CIRCUIT_BREAKER on a function (the function then takes no new work), keeping every other variable');
  for (const state of ['on', 'off'] as const) {
    cb.command(state)
      .description(state === 'on' ? 'stop the function taking new work' : 'let the function take work again')
      .requiredOption(...FUNCTION_OPTION)
      .option('--force', 'publish even if LIVE runs other code than $LATEST')
      .action(
        action(deps, async (ctx, opts: { function: string; force?: boolean }) => {
          const { clients, functionName } = await controlledFunction(ctx, opts.function, 'circuit-breaker');
          const change = await (await loadCircuitBreakerUseCase()).switchCircuitBreaker(clients, {
            functionName,
            on: state === 'on',
            ...(opts.force ? { force: true } : {}),
            wait: waitOptions(deps),
          });
          const { c } = ctx;
          return {
            data: { ...change, circuitBreaker: state === 'on' },
            lines: [
              `${c.green('✓')} circuit breaker ${state === 'on' ? c.yellow(c.bold('ON')) : c.bold('OFF')} for ${functionName}`,
              ...renderChange(c, change),
            ],
          };
        }),
      );
  }
  cb.command('status')
    .description('CIRCUIT_BREAKER on LIVE (what runs) and on $LATEST')
    .requiredOption(...FUNCTION_OPTION)
    .action(
      action(deps, async (ctx, opts: { function: string }) => {
        const { clients, functionName } = await controlledFunction(ctx, opts.function, 'circuit-breaker');
        const state = await (await loadCircuitBreakerUseCase()).readCircuitBreaker(clients, functionName);
        const { c } = ctx;
        const word = (on: boolean) => (on ? c.yellow(c.bold('ON')) : 'off');
        return {
          data: state,
          lines: [
            `${state.circuitBreaker ? c.yellow('!') : c.green('✓')} ${functionName}: circuit breaker ${word(state.circuitBreaker)}` +
              (state.live !== undefined
                ? ` (LIVE v${state.liveVersion}: ${word(state.live)}; $LATEST: ${word(state.latest)})`
                : ' ($LATEST, no LIVE alias)'),
          ],
          problem: false,
        };
      }),
    );
}
