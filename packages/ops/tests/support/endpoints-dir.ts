/** A data dir holding an endpoints.json, for `--local` commands that read files only (no server is reached). */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const STACK_LOG = resolve(import.meta.dirname, '../fixtures/stack.log');

/** With `withLogFile`, the stack log captured from `pnpm start` (tests/fixtures/stack.log) is its log file. */
export function localStackDir(withLogFile: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-logs-'));
  copyFileSync(STACK_LOG, join(dir, 'stack.log'));
  writeFileSync(
    join(dir, 'endpoints.json'),
    JSON.stringify({
      graphql: { url: 'http://127.0.0.1:4400/graphql', apiKey: 'k' },
      endpoints: {
        s3: 'http://127.0.0.1:1',
        dynamodb: 'http://127.0.0.1:2',
        sqs: 'http://127.0.0.1:3',
        lambda: 'http://127.0.0.1:4',
      },
      resources: {
        rawBucket: 'raw',
        curatedBucket: 'curated',
        table: 'table',
        queueUrl: 'http://127.0.0.1:3/000000000000/q',
        dlqUrl: 'http://127.0.0.1:3/000000000000/dlq',
        functions: {
          ingest: 'opendata-pulse-ingest-local',
          etl: 'opendata-pulse-etl-local',
          api: 'opendata-pulse-api-local',
        },
      },
      ...(withLogFile ? { logFile: join(dir, 'stack.log') } : {}),
    }),
  );
  return dir;
}
