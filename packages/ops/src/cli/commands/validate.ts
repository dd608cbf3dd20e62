/**
 * `pulse validate`: the post-incident checks, one verdict. `--watch`: the same every minute for
 * `--minutes` (default 30), a line per round and one verdict over them all; Ctrl-C stops early
 * with the verdict so far.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { parsePositiveInt } from '../../domain/hour-range';
import type { ValidationReport } from '../../use-cases/validate.use-case';
import type { WatchRound, WatchSummary } from '../../use-cases/validate-watch.use-case';
import { checkLine, mark, plural } from '../format';
import { action, type Colors, type CommandContext, type CommandOutcome, type ProgramDeps } from '../runtime';
import { describeTarget } from './health';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadValidateUseCase = () => import('../../use-cases/validate.use-case');
const loadValidateWatchUseCase = () => import('../../use-cases/validate-watch.use-case');

interface ValidateOptions {
  window?: string;
  suburb?: string;
  apiId?: string;
  watch?: boolean;
  minutes?: string;
}

/** Error metrics must be clean over this many minutes: the last hour, or the last 5 minutes of each round. */
const WINDOW_MINUTES = 60;
const WATCH_WINDOW_MINUTES = 5;
const WATCH_MINUTES = 30;

function roundLine(c: Colors, r: WatchRound, planned: number): string {
  const checks = r.checks.map((x) => `${mark(c, x.status)} ${x.id}`).join('  ');
  const failed = r.checks.filter((x) => x.status === 'fail').map((x) => `${x.id}: ${x.detail}`);
  const verdict = r.passed ? c.green('passed') : c.red('FAILED');
  const width = String(planned).length;
  return `${r.checkedAt}  round ${String(r.round).padStart(width)}/${planned}  ${verdict}  ${checks}${failed.length ? c.red(`  — ${failed.join('; ')}`) : ''}`;
}

function watchLines(c: Colors, s: WatchSummary, minutes: number): string[] {
  const ran = s.rounds.length;
  const failed = s.failedRounds.length;
  const head = s.interrupted
    ? `Stopped after ${ran} of ${plural(s.planned, 'round')} (interrupted)`
    : `${plural(ran, 'round')} over ${minutes} min`;
  const counts = `${ran - failed} passed, ${failed} failed${failed ? ` (round ${s.failedRounds.join(', ')})` : ''}`;
  return [
    '',
    `${head}: ${counts}`,
    s.passed
      ? c.green(c.bold(`PASSED: every round passed${s.interrupted ? ' so far' : `, for ${minutes} min`}`))
      : c.red(c.bold(ran === 0 ? 'NOT PASSED: no round finished' : 'NOT PASSED: keep the incident open')),
  ];
}

async function watch(
  ctx: CommandContext,
  deps: ProgramDeps,
  minutes: number,
  validate: () => Promise<ValidationReport>,
): Promise<CommandOutcome> {
  const stop = new AbortController();
  const release = ctx.io.onInterrupt?.(() => stop.abort());
  try {
    if (!ctx.json) {
      ctx.io.stdout(
        `${ctx.c.bold(`Post-incident validation every minute for ${minutes} min — ${describeTarget(await ctx.target())}`)} (Ctrl-C stops with the verdict so far)\n\n`,
      );
    }
    const { abortableSleep, watchValidation } = await loadValidateWatchUseCase();
    const summary = await watchValidation(validate, {
      rounds: minutes,
      intervalMs: deps.watchIntervalMs ?? 60_000,
      signal: stop.signal,
      sleep: abortableSleep,
      now: ctx.now,
      onRound: (round) => {
        if (!ctx.json) ctx.io.stdout(`${roundLine(ctx.c, round, minutes)}\n`);
      },
    });
    return { data: summary, lines: watchLines(ctx.c, summary, minutes), problem: !summary.passed };
  } finally {
    release?.();
  }
}

export function registerValidate(program: Command, deps: ProgramDeps): void {
  program
    .command('validate')
    .description('post-incident validation: fresh data, no DLQ backlog, error metrics down, a sample query answers')
    .option(
      '--window <minutes>',
      `how far back error metrics must be clean (default ${WINDOW_MINUTES}; ${WATCH_WINDOW_MINUTES} with --watch)`,
    )
    .option('--suburb <name>', 'suburb for the sample query (default: a station from the table)')
    .option('--api-id <id>', 'AppSync API id (default: found by the stage name)')
    .option('--watch', 'repeat every minute; passes only if every round passes (Ctrl-C: the verdict so far)')
    .option('--minutes <n>', `with --watch: for how long (default ${WATCH_MINUTES})`)
    .action(
      action(deps, async (ctx, opts: ValidateOptions) => {
        if (opts.minutes !== undefined && !opts.watch) throw new BadRequestError('--minutes goes with --watch');
        const minutes = parsePositiveInt(opts.minutes ?? WATCH_MINUTES, '--minutes', 24 * 60);
        const windowMinutes = parsePositiveInt(
          opts.window ?? (opts.watch ? WATCH_WINDOW_MINUTES : WINDOW_MINUTES),
          '--window',
          24 * 60,
        );
        const target = await ctx.target();
        const clients = await ctx.clients();
        const { validateRecovery } = await loadValidateUseCase();
        const validate = () =>
          validateRecovery(target, clients, {
            windowMinutes,
            ...(opts.suburb !== undefined ? { suburb: opts.suburb } : {}),
            ...(opts.apiId !== undefined ? { apiId: opts.apiId } : {}),
            now: ctx.now,
          });
        if (opts.watch) return watch(ctx, deps, minutes, validate);
        const report = await validate();
        const { c } = ctx;
        const width = Math.max(...report.checks.map((x) => x.name.length));
        return {
          data: report,
          lines: [
            c.bold(`Post-incident validation — ${describeTarget(target)} at ${report.checkedAt}`),
            '',
            ...report.checks.map((x) => checkLine(c, x.status, x.name, x.detail, width)),
            '',
            report.passed
              ? c.green(c.bold('PASSED: the service is back to normal'))
              : c.red(c.bold('NOT PASSED: keep the incident open')),
          ],
          problem: !report.passed,
        };
      }),
    );
}
