/**
 * `pulse logs --function F --since 2h [--errors]`: a function's log: CloudWatch Logs in AWS, the
 * local stack's log file with --local.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { resolveFunctionName } from '../../deployment/deployment';
import type { LogLine } from '../../domain/log-lines';
import { readFunctionLogs } from '../../use-cases/logs.use-case';
import { action, type Colors, type ProgramDeps } from '../runtime';

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

export function registerLogs(program: Command, deps: ProgramDeps): void {
  program
    .command('logs')
    .description("a function's log lines (CloudWatch Logs; with --local the stack's log file)")
    .requiredOption('--function <name>', 'ingest | etl | api | health-check | a full function name')
    .option('--since <duration>', 'how far back: 90s, 30m, 2h, 1d', '1h')
    .option('--errors', 'only errors (Powertools ERROR/CRITICAL, timeouts, runtime failures)')
    .option('--limit <n>', 'at most this many lines (newest kept)', '200')
    .action(
      action(deps, async (ctx, opts: { function: string; since: string; errors?: boolean; limit: string }) => {
        const sinceMs = parseSince(opts.since);
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
          throw new BadRequestError('--limit must be 1-10000');
        const errorsOnly = Boolean(opts.errors);
        const target = await ctx.target();
        const log = await readFunctionLogs(await ctx.clients(), target, {
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
}
