/**
 * The runbook's "collect system logs" step: a function's log over a window, kept where the
 * incident review can read it. In AWS a CloudWatch Logs export task to the ops bucket (prefix
 * log-exports/), followed until it completes; locally the stack log's lines of that function,
 * copied to `<data dir>/log-exports/`.
 */
import { join } from 'node:path';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LOG_EXPORT_PREFIX, logExportName, logExportPrefix } from '@opendata-pulse/shared/keys';
import { writeLogExport } from '../adapters/log-export-file';
import { createExportTask, type ExportStatus, exportTaskStatus } from '../adapters/log-exports';
import { readStackLogLines } from '../adapters/stack-log-reader';
import { notAvailableLocally } from '../deployment/clients';
import { functionKeyOf, type OpsTarget } from '../deployment/deployment';

export interface LogsExportDeps {
  /** read only in AWS (locally the log file is read) */
  logs: CloudWatchLogsClient;
}

export interface LogsExportInput {
  functionName: string;
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
  /** between two DescribeExportTasks */
  pollMs: number;
  /** give up waiting (the task goes on) after this many polls */
  maxPolls: number;
  sleep: (ms: number) => Promise<void>;
  /** each status the task passes through, once */
  onStatus?: (status: ExportStatus) => void;
}

export type LogsExport =
  | {
      source: 'cloudwatch';
      logGroup: string;
      taskId: string;
      bucket: string;
      prefix: string;
      /** where the files are: `s3://bucket/prefix/<task id>/` */
      location: string;
      status: ExportStatus;
    }
  | { source: 'file'; logFile: string; tag: string; path: string; lines: number };

export class ExportFailedError extends Error {}

async function localExport(target: OpsTarget, input: LogsExportInput): Promise<LogsExport> {
  if (!target.logFile || !target.dataDir) {
    throw notAvailableLocally('logs export', 'this local stack names no log file in endpoints.json');
  }
  const key = functionKeyOf(target, input.functionName);
  const tag = key === 'healthCheck' ? 'health-check' : (key ?? input.functionName);
  const lines = await readStackLogLines(target.logFile, {
    since: input.from,
    until: input.to,
    sources: [tag, input.functionName],
    errorsOnly: false,
  });
  const path = join(
    target.dataDir,
    LOG_EXPORT_PREFIX,
    `${logExportName(input.functionName, input.from, input.to)}.log`,
  );
  await writeLogExport(path, lines);
  return { source: 'file', logFile: target.logFile, tag, path, lines: lines.length };
}

export async function exportFunctionLogs(
  deps: LogsExportDeps,
  target: OpsTarget,
  input: LogsExportInput,
): Promise<LogsExport> {
  if (target.mode === 'local') return localExport(target, input);
  const logGroup = `/aws/lambda/${input.functionName}`;
  const prefix = logExportPrefix(input.functionName, input.from, input.to);
  const taskId = await createExportTask(deps.logs, {
    taskName: `pulse-${logExportName(input.functionName, input.from, input.to)}`,
    logGroupName: logGroup,
    from: input.from,
    to: input.to,
    bucket: target.opsBucket,
    prefix,
  });
  let last: ExportStatus['code'] | undefined;
  for (let poll = 0; ; poll++) {
    const status = await exportTaskStatus(deps.logs, taskId);
    if (status.code !== last) input.onStatus?.(status);
    last = status.code;
    if (status.code === 'COMPLETED') {
      const location = `s3://${target.opsBucket}/${prefix}/${taskId}/`;
      return { source: 'cloudwatch', logGroup, taskId, bucket: target.opsBucket, prefix, location, status };
    }
    if (status.code === 'FAILED' || status.code === 'CANCELLED' || status.code === 'PENDING_CANCEL') {
      throw new ExportFailedError(`export task ${taskId} ${status.code}${status.message ? `: ${status.message}` : ''}`);
    }
    if (poll + 1 >= input.maxPolls) {
      throw new ExportFailedError(
        `export task ${taskId} is still ${status.code}; stopped waiting, the task goes on: ` +
          `\`aws logs describe-export-tasks --task-id ${taskId}\`, files under s3://${target.opsBucket}/${prefix}/${taskId}/`,
      );
    }
    await input.sleep(input.pollMs);
  }
}
