/**
 * A function's recent log lines: its CloudWatch log group in AWS, the local stack's log file
 * locally (where the stack tags each line with the function's short name).
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { filterLogGroup } from '../adapters/cloudwatch-logs';
import { filterStackLog, readStackLog } from '../adapters/stack-log-reader';
import { notAvailableLocally } from '../deployment/clients';
import { functionKeyOf, type OpsTarget } from '../deployment/deployment';
import type { LogLine } from '../domain/log-lines';

export interface LogsDeps {
  /** read only in AWS (locally the log file is read) */
  logs: CloudWatchLogsClient;
}

export interface LogsQuery {
  functionName: string;
  sinceMs: number;
  errorsOnly: boolean;
  /** at most this many lines, the newest kept */
  limit: number;
  now: () => number;
}

export type FunctionLogs =
  | { source: 'file'; logFile: string; tag: string; since: number; lines: LogLine[] }
  | { source: 'cloudwatch'; logGroup: string; since: number; lines: LogLine[] };

async function fromStackLog(target: OpsTarget, query: LogsQuery): Promise<FunctionLogs> {
  if (!target.logFile) throw notAvailableLocally('logs', 'this local stack names no log file in endpoints.json');
  const since = query.now() - query.sinceMs;
  const key = functionKeyOf(target, query.functionName);
  const tag = key === 'healthCheck' ? 'health-check' : (key ?? query.functionName);
  const entries = filterStackLog(await readStackLog(target.logFile), {
    since,
    sources: [tag, query.functionName],
    errorsOnly: query.errorsOnly,
  }).slice(-query.limit);
  const lines = entries.map((e) => ({ at: new Date(e.at).toISOString(), level: e.level, message: e.message }));
  return { source: 'file', logFile: target.logFile, tag, since, lines };
}

export async function readFunctionLogs(deps: LogsDeps, target: OpsTarget, query: LogsQuery): Promise<FunctionLogs> {
  if (target.mode === 'local') return fromStackLog(target, query);
  const logGroup = `/aws/lambda/${query.functionName}`;
  const { logs } = deps;
  const since = query.now() - query.sinceMs;
  const lines = await filterLogGroup(logs, {
    logGroupName: logGroup,
    startTime: since,
    errorsOnly: query.errorsOnly,
    // a few pages more than asked for, as the newest are kept
    enough: query.limit * 4,
    now: query.now,
  });
  return { source: 'cloudwatch', logGroup, since, lines: lines.slice(-query.limit) };
}
