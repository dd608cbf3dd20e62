/**
 * `endpoints.json`: what the running local stack (`pulse local`) writes into PULSE_DATA_DIR so that
 * `pulse <command> --local` reaches it. This schema is the reader's side of that file; anything the
 * stack adds beyond it is ignored.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '@opendata-pulse/shared/errors';
import * as z from 'zod';

export const DEFAULT_DATA_DIR = '.pulse';
export const ENDPOINTS_FILE = 'endpoints.json';

const url = z.url({ protocol: /^https?$/ });

/** The fake account the local stack's names and ARNs use (shared `/local`'s LOCAL_ACCOUNT_ID). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export const endpointsFileSchema = z.looseObject({
  version: z.literal(1).optional(),
  region: z.string().min(1).default('ap-southeast-2'),
  stage: z.string().min(1).default('local'),
  accountId: z.string().min(1).default(LOCAL_ACCOUNT_ID),
  /** process id of the stack: tells a running stack from a file a killed one left behind */
  pid: z.number().int().positive().optional(),
  startedAt: z.string().optional(),
  graphql: z.looseObject({ url, apiKey: z.string().min(1) }),
  endpoints: z.looseObject({ s3: url, dynamodb: url, sqs: url, lambda: url }),
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
      })
      .optional(),
  }),
  /** the stack's log file, when it writes one (`pulse logs --local` reads it) */
  logFile: z.string().min(1).optional(),
});
export type EndpointsFile = z.output<typeof endpointsFileSchema>;

export function dataDirFrom(env: Record<string, string | undefined>, cwd: string): string {
  return resolve(cwd, env.PULSE_DATA_DIR || DEFAULT_DATA_DIR);
}

/** Read and validate endpoints.json; a missing or malformed file is a ConfigError that says what to do. */
export async function readEndpointsFile(dataDir: string): Promise<EndpointsFile & { path: string }> {
  const path = join(dataDir, ENDPOINTS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(
        `no local stack found: ${path} does not exist. Start it with \`pnpm start\` (or set PULSE_DATA_DIR to its data dir).`,
      );
    }
    throw error;
  }
  const file = parseEndpointsFile(text, path);
  if (file.pid !== undefined && !isProcessAlive(file.pid)) {
    throw new ConfigError(
      `the local stack is not running: ${path} was left by process ${file.pid}, which has exited. Start it with \`pnpm start\`.`,
    );
  }
  return { ...file, path };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
