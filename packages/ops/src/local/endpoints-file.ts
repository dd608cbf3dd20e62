/**
 * `endpoints.json` in the data directory: how to reach the running stack. The stack writes it
 * once everything listens and removes it on exit; the ops CLI's `--local` reads it (from the same
 * PULSE_DATA_DIR). A file whose pid is no longer alive is left over from a killed stack.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NswSourceLabel } from './nsw-source';

export const ENDPOINTS_FILE = 'endpoints.json';

export interface LocalStackEndpoints {
  /** format of this file */
  version: 1;
  pid: number;
  startedAt: string;
  dataDir: string;
  stage: string;
  region: string;
  /** the fake account local names and ARNs use */
  accountId: string;
  /**
   * the GraphQL endpoint (GraphiQL when opened in a browser), the key to send as x-api-key, and the
   * `Authorization` token of the local Cognito operator (fields for the `operators` group)
   */
  graphql: { url: string; apiKey: string; operatorToken: string };
  /** base URLs, as AWS_ENDPOINT_URL_<SERVICE> takes them */
  endpoints: { s3: string; dynamodb: string; sqs: string; lambda: string };
  /** the environment that points the AWS SDK (or the AWS CLI) at this stack */
  env: Record<string, string>;
  resources: {
    rawBucket: string;
    curatedBucket: string;
    table: string;
    queueUrl: string;
    queueArn: string;
    dlqUrl: string;
    dlqArn: string;
    functions: { ingest: string; etl: string; api: string };
  };
  nsw: { endpoint: string; label: NswSourceLabel; timeZone: string };
  /** the stack's log: its one-line events and the handlers' own (JSON) logs */
  logFile: string;
  /** processes of the stack: this one and the local AWS servers' child */
  pids: { stack: number; localAws: number | undefined };
}

export function endpointsPath(dataDir: string): string {
  return join(resolve(dataDir), ENDPOINTS_FILE);
}

export function writeEndpointsFile(dataDir: string, endpoints: LocalStackEndpoints): string {
  const path = endpointsPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** Remove the file if it is this process's (another stack may have taken the directory since). */
export function removeEndpointsFile(dataDir: string, pid = process.pid): void {
  const current = readEndpointsFile(dataDir);
  if (current && current.pid !== pid) return;
  rmSync(endpointsPath(dataDir), { force: true });
}

export function readEndpointsFile(dataDir: string): LocalStackEndpoints | undefined {
  const path = endpointsPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LocalStackEndpoints;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The endpoints of the stack running on this data directory, or undefined when none runs
 * (no file, or a file left by a stack that was killed).
 */
export function runningStack(dataDir: string): LocalStackEndpoints | undefined {
  const current = readEndpointsFile(dataDir);
  return current && isProcessAlive(current.pid) ? current : undefined;
}
