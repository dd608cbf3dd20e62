/** A function's log group in CloudWatch Logs, read page by page as `pulse logs` shows it. */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type LogLine, parseLogMessage } from '../domain/log-lines';

/** CloudWatch Logs filter for error lines: Powertools' JSON level, and the runtime's own failures. */
export const ERROR_FILTER =
  '?"\\"level\\":\\"ERROR\\"" ?"\\"level\\":\\"CRITICAL\\"" ?"Task timed out" ?"Runtime.ExitError" ?"ERROR Invoke Error"';

export interface LogGroupQuery {
  logGroupName: string;
  startTime: number;
  errorsOnly: boolean;
  /** stop asking for more pages once this many lines are in */
  enough: number;
  /** each page asks up to now */
  now: () => number;
}

/** The group's events from `startTime`, oldest first, as log lines. */
export async function filterLogGroup(logs: CloudWatchLogsClient, query: LogGroupQuery): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let token: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: query.logGroupName,
        startTime: query.startTime,
        endTime: query.now(),
        ...(query.errorsOnly ? { filterPattern: ERROR_FILTER } : {}),
        nextToken: token,
      }),
    );
    for (const e of page.events ?? []) lines.push(parseLogMessage(e.timestamp ?? 0, e.message ?? '', e.logStreamName));
    token = page.nextToken;
  } while (token && lines.length < query.enough);
  return lines;
}
