/**
 * `pulse logs --function F --since 2h [--errors]`: a function's log: CloudWatch Logs in AWS, the
 * local stack's log file with --local.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { filterStackLog, readStackLog } from '../../adapters/stack-log-reader';
import { notAvailableLocally } from '../../deployment/clients';
import { functionKeyOf, resolveFunctionName } from '../../deployment/deployment';
import { action, type Colors, type ProgramDeps } from '../runtime';

/** "2h", "30m", "1d", "90s" -> milliseconds. */
export function parseSince(value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m) throw new BadRequestError(`--since "${value}" must look like 90s, 30m, 2h or 1d`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** CloudWatch Logs filter for error lines: Powertools' JSON level, and the runtime's own failures. */
export const ERROR_FILTER =
  '?"\\"level\\":\\"ERROR\\"" ?"\\"level\\":\\"CRITICAL\\"" ?"Task timed out" ?"Runtime.ExitError" ?"ERROR Invoke Error"';

export interface LogLine {
  at: string;
  stream?: string;
  level?: string;
  message: string;
}

export function parseLogMessage(timestamp: number, raw: string, stream?: string): LogLine {
  const text = raw.trimEnd();
  try {
    const json = JSON.parse(text) as { level?: string; message?: string; error?: { message?: string } };
    if (json && typeof json === 'object' && typeof json.message === 'string') {
      return {
        at: new Date(timestamp).toISOString(),
        ...(stream ? { stream } : {}),
        ...(json.level ? { level: json.level } : {}),
        message: json.error?.message ? `${json.message}: ${json.error.message}` : json.message,
      };
    }
  } catch {
    // plain runtime lines (START, END, REPORT, timeouts)
  }
  return { at: new Date(timestamp).toISOString(), ...(stream ? { stream } : {}), message: text };
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
        const target = await ctx.target();
        const functionName = resolveFunctionName(target, opts.function);
        const { c } = ctx;
        if (target.mode === 'local') {
          if (!target.logFile) {
            throw notAvailableLocally('logs', 'this local stack names no log file in endpoints.json');
          }
          const since = ctx.now() - sinceMs;
          const key = functionKeyOf(target, functionName);
          const tag = key === 'healthCheck' ? 'health-check' : (key ?? functionName);
          const entries = filterStackLog(await readStackLog(target.logFile), {
            since,
            sources: [tag, functionName],
            errorsOnly: Boolean(opts.errors),
          }).slice(-limit);
          const kept: LogLine[] = entries.map((e) => ({
            at: new Date(e.at).toISOString(),
            level: e.level,
            message: e.message,
          }));
          return {
            data: {
              logFile: target.logFile,
              since: new Date(since).toISOString(),
              errorsOnly: Boolean(opts.errors),
              lines: kept,
            },
            lines: [
              c.bold(
                `${target.logFile} (${tag}) since ${new Date(since).toISOString()}${opts.errors ? ' (errors only)' : ''}: ${kept.length} line(s)`,
              ),
              ...kept.map((l) => render(c, l)),
            ],
            problem: Boolean(opts.errors) && kept.length > 0,
          };
        }
        const logGroupName = `/aws/lambda/${functionName}`;
        const { logs } = await ctx.clients();
        const lines: LogLine[] = [];
        let token: string | undefined;
        const startTime = ctx.now() - sinceMs;
        do {
          const page = await logs.send(
            new FilterLogEventsCommand({
              logGroupName,
              startTime,
              endTime: ctx.now(),
              ...(opts.errors ? { filterPattern: ERROR_FILTER } : {}),
              nextToken: token,
            }),
          );
          for (const e of page.events ?? [])
            lines.push(parseLogMessage(e.timestamp ?? 0, e.message ?? '', e.logStreamName));
          token = page.nextToken;
        } while (token && lines.length < limit * 4);
        const kept = lines.slice(-limit);
        return {
          data: {
            logGroup: logGroupName,
            since: new Date(startTime).toISOString(),
            errorsOnly: Boolean(opts.errors),
            lines: kept,
          },
          lines: [
            c.bold(
              `${logGroupName} since ${new Date(startTime).toISOString()}${opts.errors ? ' (errors only)' : ''}: ${kept.length} line(s)`,
            ),
            ...kept.map((l) => render(c, l)),
          ],
          problem: Boolean(opts.errors) && kept.length > 0,
        };
      }),
    );
}
