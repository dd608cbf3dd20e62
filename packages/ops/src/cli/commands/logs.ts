/**
 * `pulse logs --function F --since 2h [--errors]`: a function's log: CloudWatch Logs in AWS, the
 * local stack's log file with --local. `pulse logs export --function F --from --to`: the same log
 * over a window, kept for the incident review (an export to the ops bucket; locally a file).
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { resolveFunctionName } from '../../deployment/deployment';
import { parseInstant } from '../../domain/hour-range';
import type { LogLine } from '../../domain/log-lines';
import type { LogsExport } from '../../use-cases/logs-export.use-case';
import { action, type Colors, type CommandContext, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadLogsUseCase = () => import('../../use-cases/logs.use-case');
const loadLogsExportUseCase = () => import('../../use-cases/logs-export.use-case');

const FUNCTION_HELP = 'ingest | etl | api | health-check | a full function name';
/** How long `logs export` follows its task before leaving it to run on its own. */
const EXPORT_WAIT_MS = 30 * 60_000;

/** "2h", "30m", "1d", "90s" -> milliseconds. */
export function parseSince(value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m) throw new BadRequestError(`--since "${value}" must look like 90s, 30m, 2h or 1d`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

function render(c: Colors, line: LogLine): string {
  const level = line.level
    ? /ERROR|CRITICAL/.test(line.level)
      ? c.red(line.level)
      : line.level === 'WARN'
        ? c.yellow(line.level)
        : c.dim(line.level)
    : '';
  return `${c.dim(line.at)} ${level ? `${level} ` : ''}${line.message}`;
}

function exportWindow(from: string, to: string, now: number): { from: number; to: number } {
  const window = { from: parseInstant(from, '--from'), to: parseInstant(to, '--to') };
  if (window.to <= window.from) throw new BadRequestError(`--to (${to}) must be after --from (${from})`);
  if (window.from >= now) throw new BadRequestError(`--from (${from}) is in the future: there is no log yet`);
  return window;
}

function renderExport(c: Colors, done: LogsExport, functionName: string): string[] {
  if (done.source === 'file') {
    return [
      `${c.green('✓')} ${done.lines} line(s) of ${functionName} (${done.tag}) from ${done.logFile}`,
      `  written to ${c.bold(done.path)}`,
    ];
  }
  return [
    `${c.green('✓')} ${done.logGroup} exported (task ${done.taskId}, ${done.status.code})`,
    `  files: ${c.bold(done.location)}`,
    `  fetch: aws s3 cp --recursive ${done.location} ./${done.prefix.split('/').pop()}/`,
  ];
}

function registerLogsExport(logs: Command, deps: ProgramDeps): void {
  logs
    .command('export')
    .description(
      "a function's log over a window, kept: a CloudWatch Logs export to the ops bucket (with --local a file)",
    )
    .requiredOption('--from <iso>', 'start, inclusive (ISO 8601 UTC)')
    .requiredOption('--to <iso>', 'end, exclusive (ISO 8601 UTC)')
    .action(
      action(deps, async (ctx: CommandContext, opts: { from: string; to: string }) => {
        // --function is `logs`'s own option (commander hands it to the parent wherever it is typed)
        const name = logs.opts<{ function?: string }>().function;
        if (!name) throw new BadRequestError(`--function <name> is required: ${FUNCTION_HELP}`);
        const misplaced = ['since', 'errors', 'limit'].filter((o) => logs.getOptionValueSource(o) === 'cli');
        if (misplaced.length > 0) {
          throw new BadRequestError(
            `${misplaced.map((o) => `--${o}`).join(', ')}: not for \`logs export\`, which takes --from and --to`,
          );
        }
        const window = exportWindow(opts.from, opts.to, ctx.now());
        const target = await ctx.target();
        const functionName = resolveFunctionName(target, name);
        const pollMs = deps.pollMs ?? 2000;
        const started = ctx.now();
        const done = await (await loadLogsExportUseCase()).exportFunctionLogs(await ctx.clients(), target, {
          functionName,
          ...window,
          pollMs,
          maxPolls: Math.ceil(EXPORT_WAIT_MS / Math.max(pollMs, 1000)),
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          onStatus: (status) => {
            if (ctx.json) return;
            const seconds = Math.round((ctx.now() - started) / 1000);
            ctx.io.stderr(
              `  export ${status.code.toLowerCase()} (${seconds} s)${status.message ? `: ${status.message}` : ''}\n`,
            );
          },
        });
        return {
          data: {
            function: functionName,
            from: new Date(window.from).toISOString(),
            to: new Date(window.to).toISOString(),
            ...done,
          },
          lines: renderExport(ctx.c, done, functionName),
        };
      }),
    );
}

export function registerLogs(program: Command, deps: ProgramDeps): void {
  const logs = program
    .command('logs')
    .description("a function's log lines (CloudWatch Logs; with --local the stack's log file)")
    .option('--function <name>', FUNCTION_HELP)
    .option('--since <duration>', 'how far back: 90s, 30m, 2h, 1d', '1h')
    .option('--errors', 'only errors (Powertools ERROR/CRITICAL, timeouts, runtime failures)')
    .option('--limit <n>', 'at most this many lines (newest kept)', '200')
    .action(
      action(deps, async (ctx, opts: { function?: string; since: string; errors?: boolean; limit: string }) => {
        if (!opts.function) throw new BadRequestError(`--function <name> is required: ${FUNCTION_HELP}`);
        const sinceMs = parseSince(opts.since);
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
          throw new BadRequestError('--limit must be 1-10000');
        const errorsOnly = Boolean(opts.errors);
        const target = await ctx.target();
        const log = await (await loadLogsUseCase()).readFunctionLogs(await ctx.clients(), target, {
          functionName: resolveFunctionName(target, opts.function),
          sinceMs,
          errorsOnly,
          limit,
          now: ctx.now,
        });
        const since = new Date(log.since).toISOString();
        const where = log.source === 'file' ? { logFile: log.logFile } : { logGroup: log.logGroup };
        const heading = log.source === 'file' ? `${log.logFile} (${log.tag})` : log.logGroup;
        const { c } = ctx;
        return {
          data: { ...where, since, errorsOnly, lines: log.lines },
          lines: [
            c.bold(`${heading} since ${since}${errorsOnly ? ' (errors only)' : ''}: ${log.lines.length} line(s)`),
            ...log.lines.map((l) => render(c, l)),
          ],
          problem: errorsOnly && log.lines.length > 0,
        };
      }),
    );
  registerLogsExport(logs, deps);
}
