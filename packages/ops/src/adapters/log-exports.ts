/**
 * CloudWatch Logs export tasks: a log group's events over a time range, written by CloudWatch Logs
 * itself as gzip files to S3 (`<prefix>/<task id>/<stream>/000000.gz`). One task runs at a time
 * per account; it finishes asynchronously.
 */
import {
  type CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  type ExportTaskStatusCode,
} from '@aws-sdk/client-cloudwatch-logs';
import { BadRequestError, NotFoundError } from '@opendata-pulse/shared/errors';

export interface ExportRequest {
  taskName: string;
  logGroupName: string;
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive (CloudWatch's own `to` is inclusive) */
  to: number;
  bucket: string;
  prefix: string;
}

export async function createExportTask(logs: CloudWatchLogsClient, request: ExportRequest): Promise<string> {
  try {
    const { taskId } = await logs.send(
      new CreateExportTaskCommand({
        taskName: request.taskName,
        logGroupName: request.logGroupName,
        from: request.from,
        to: request.to - 1,
        destination: request.bucket,
        destinationPrefix: request.prefix,
      }),
    );
    if (!taskId) throw new Error('CloudWatch Logs answered without a task id');
    return taskId;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'LimitExceededException') {
      throw new BadRequestError(
        'CloudWatch Logs runs one export task at a time per account, and one is pending or running: ' +
          'wait for it (`aws logs describe-export-tasks --status-code RUNNING`) and run this again',
      );
    }
    if (name === 'ResourceNotFoundException') {
      throw new NotFoundError(`no log group ${request.logGroupName}: has the function ever run in this stage?`);
    }
    throw error;
  }
}

export interface ExportStatus {
  code: ExportTaskStatusCode | 'UNKNOWN';
  message?: string;
}

export async function exportTaskStatus(logs: CloudWatchLogsClient, taskId: string): Promise<ExportStatus> {
  const { exportTasks = [] } = await logs.send(new DescribeExportTasksCommand({ taskId }));
  const status = exportTasks[0]?.status;
  return { code: status?.code ?? 'UNKNOWN', ...(status?.message ? { message: status.message } : {}) };
}
