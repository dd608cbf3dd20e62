/**
 * The local stack (`pulse local`, packages/ops) started programmatically for a scenario, with two
 * things the bench adds around it and nothing changed inside it:
 * - every function invocation's duration, per function (the stack's FunctionHost is wrapped), for
 *   the Lambda GB-seconds the cost model prices;
 * - optionally, counting proxies between the handlers and the local AWS servers. The stack gives
 *   its handlers `localAws.env()` as their endpoints; while it starts, that one method answers
 *   the proxies' URLs instead (the proxies forward to the real servers). The stack's own glue (S3
 *   event forwarding, the SQS poller) keeps talking to the servers directly: it stands for what
 *   AWS runs for us (EventBridge, the event source mapping), which the cost model prices from the
 *   counted messages instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LocalAws } from '@opendata-pulse/local/aws';
import { type LocalStack, silentLog, startLocalStack } from '@opendata-pulse/local/stack';
import type { CountingProxy } from './counting-proxy';

export type FunctionKey = 'ingest' | 'etl' | 'api' | 'healthCheck';

export interface Invocation {
  key: FunctionKey;
  durationMs: number;
  ok: boolean;
  /** SQS records in the event (ETL batches) */
  records: number;
}

export interface StackSession {
  stack: LocalStack;
  invocations: Invocation[];
  stop(): Promise<void>;
}

export interface StackSessionOptions {
  /** `sample` or the URL of an API in the NSW shape */
  source: string;
  graphql: boolean;
  apiKey?: string;
  /** proxies for s3, dynamodb and sqs: the handlers' requests go through them */
  proxies?: { s3: CountingProxy; dynamodb: CountingProxy; sqs: CountingProxy };
}

export const BENCH_API_KEY = 'pulse-bench-key';

const discard = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

export async function startStackSession(options: StackSessionOptions): Promise<StackSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-stack-'));
  const originalEnv = Object.getOwnPropertyDescriptor(LocalAws.prototype, 'env');
  const original = LocalAws.prototype.env;
  const proxies = options.proxies;
  if (proxies) {
    LocalAws.prototype.env = function routedThroughProxies(this: LocalAws) {
      const env = original.call(this);
      proxies.s3.target = env.AWS_ENDPOINT_URL_S3;
      proxies.dynamodb.target = env.AWS_ENDPOINT_URL_DYNAMODB;
      proxies.sqs.target = env.AWS_ENDPOINT_URL_SQS;
      return {
        ...env,
        AWS_ENDPOINT_URL_S3: proxies.s3.url,
        AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
        AWS_ENDPOINT_URL_SQS: proxies.sqs.url,
      };
    };
  }
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      dataDir,
      port: 0,
      apiKey: options.apiKey ?? BENCH_API_KEY,
      source: options.source,
      ingestOnStart: 0,
      schedule: false,
      graphql: options.graphql,
      prewarmApi: options.graphql,
      // The API rows measure the resolver path; a cached answer would never reach it.
      apiCache: false,
      handlerLogLevel: 'SILENT',
      handlerOutput: discard(),
      log: silentLog,
      baseEnv: {
        ...process.env,
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    if (proxies && originalEnv) Object.defineProperty(LocalAws.prototype, 'env', originalEnv);
  }
  if (proxies && !(stack.localAws instanceof LocalAws && proxies.s3.target)) {
    await stack.stop();
    throw new Error('the local stack did not take its endpoints from LocalAws.env(): requests cannot be counted');
  }

  const invocations: Invocation[] = [];
  const functions = stack.functions;
  const invokeRaw = functions.invokeRaw.bind(functions);
  functions.invokeRaw = async (key, payload) => {
    const outcome = await invokeRaw(key, payload);
    let records = 0;
    if (key === 'etl') {
      try {
        records = (JSON.parse(payload) as { Records?: unknown[] }).Records?.length ?? 0;
      } catch {
        records = 0;
      }
    }
    invocations.push({ key, durationMs: outcome.durationMs, ok: outcome.ok, records });
    return outcome;
  };

  return {
    stack,
    invocations,
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
