/**
 * `endpoints.json` in the data directory: how to reach the running stack. The one module for that
 * file: the stack writes it once everything listens and removes it on exit; the ops CLI's `--local`
 * and the benchmarks read it (from the same data dir, see ./data-dir). A file whose pid is no
 * longer alive is left over from a killed stack.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { ConfigError } from '@opendata-pulse/shared/errors';
import * as z from 'zod';
import type { NswSourceLabel } from '../nsw/nsw-source';

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
   * the GraphQL endpoint (GraphiQL when opened in a browser), the key to send as x-api-key, the
   * `Authorization` token of the local Cognito operator (fields for the `operators` group), and
   * the resolver cache's status/flush endpoint (operators only) when the API is cached, and
   * AppSync's real-time (subscriptions) endpoint
   */
  graphql: { url: string; apiKey: string; operatorToken: string; cacheUrl?: string; realtimeUrl?: string };
  /** the dashboard (packages/web), served on the GraphQL port at `/` */
  web?: { url: string };
  /** base URLs, as AWS_ENDPOINT_URL_<SERVICE> takes them */
  endpoints: { s3: string; dynamodb: string; sqs: string; lambda: string; sns: string };
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
    functions: { ingest: string; etl: string; api: string; healthCheck: string };
    /** the topics the SNS stand-in has; each appends to `<data dir>/sns/<topic name>.jsonl` */
    topics: { criticalAlerts: string; incidentAlerts: string };
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

/** The file as the stack wrote it, or undefined when there is none or it cannot be read. */
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

const url = z.url({ protocol: /^https?$/ });

/**
 * The reader's side of the file: what a client of the stack needs from it. Anything the stack
 * writes beyond it is ignored, so older clients keep working when the stack adds fields.
 */
export const endpointsFileSchema = z.looseObject({
  version: z.literal(1).optional(),
  region: z.string().min(1).default('ap-southeast-2'),
  stage: z.string().min(1).default('local'),
  accountId: z.string().min(1).default(LOCAL_ACCOUNT_ID),
  /** process id of the stack: tells a running stack from a file a killed one left behind */
  pid: z.number().int().positive().optional(),
  startedAt: z.string().optional(),
  graphql: z.looseObject({
    url,
    apiKey: z.string().min(1),
    operatorToken: z.string().min(1).optional(),
    /** GET: what the resolver cache holds; DELETE: flush it (`pulse api-cache --local`) */
    cacheUrl: url.optional(),
    realtimeUrl: z.string().optional(),
  }),
  /** `sns` is absent in the file of a stack from before the SNS stand-in */
  endpoints: z.looseObject({ s3: url, dynamodb: url, sqs: url, lambda: url, sns: url.optional() }),
  resources: z.looseObject({
    rawBucket: z.string().min(1),
    curatedBucket: z.string().min(1),
    table: z.string().min(1),
    queueUrl: url,
    queueArn: z.string().min(1).optional(),
    dlqUrl: url,
    dlqArn: z.string().min(1).optional(),
    /** names the local Invoke endpoint answers to (default: the stage's names) */
    functions: z
      .looseObject({
        ingest: z.string().min(1).optional(),
        etl: z.string().min(1).optional(),
        api: z.string().min(1).optional(),
        healthCheck: z.string().min(1).optional(),
      })
      .optional(),
    topics: z
      .looseObject({ criticalAlerts: z.string().min(1).optional(), incidentAlerts: z.string().min(1).optional() })
      .optional(),
  }),
  /** the stack's log file, when it writes one (`pulse logs --local` reads it) */
  logFile: z.string().min(1).optional(),
});
export type EndpointsFile = z.output<typeof endpointsFileSchema>;

export function parseEndpointsFile(text: string, path = ENDPOINTS_FILE): EndpointsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not JSON`);
  }
  const parsed = endpointsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${path} is not a valid endpoints file: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The running stack's endpoints, validated, for a client that cannot go on without them: a missing,
 * malformed or stale file is a ConfigError that says what to do.
 */
export function requireRunningStack(dataDir: string): EndpointsFile & { path: string } {
  const path = endpointsPath(dataDir);
  if (!existsSync(path)) {
    throw new ConfigError(
      `no local stack found: ${path} does not exist. Start it with \`pnpm start\` (or set PULSE_DATA_DIR to its data dir).`,
    );
  }
  const file = parseEndpointsFile(readFileSync(path, 'utf8'), path);
  if (file.pid !== undefined && !isProcessAlive(file.pid)) {
    throw new ConfigError(
      `the local stack is not running: ${path} was left by process ${file.pid}, which has exited. Start it with \`pnpm start\`.`,
    );
  }
  return { ...file, path };
}
