/**
 * The offline stack: local AWS (dynalite, s3rver, local-aws-sqs) on disk, the real ingest, ETL and
 * API handlers, and the AWS glue between them (hourly schedule, S3 -> EventBridge -> SQS, the SQS
 * event source mapping, Lambda Invoke), with the GraphQL API on 127.0.0.1. Programmatic: start,
 * drive, stop. `runLocalStack` (run-local-stack.ts) is the command around it.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { DEFAULT_REGION, DEFAULT_SOURCE_TIMEZONE } from '@opendata-pulse/shared/config';
import { BASE_NAMES, QUEUE_DEFINITIONS, stageName } from '@opendata-pulse/shared/infra';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import { HOUR_MS, latestCompleteHour, toHourIso } from '@opendata-pulse/shared/time';
import { loadGraphqlServer } from '../appsync/load-graphql-server';
import { ensureResources, type LocalAws, type LocalResourceNames, startLocalAws } from '../aws/local-aws';
import { HourlySchedule, scheduledEvent } from '../glue/hourly-schedule';
import { PENDING_FILE, PendingObjects } from '../glue/pending-objects';
import { QueuePoller } from '../glue/queue-poller';
import { S3EventForwarder } from '../glue/s3-event-forwarder';
import { FunctionHost, type InvokeOutcome, type LocalFunctionKey } from '../lambda/function-host';
import { startInvokeServer } from '../lambda/lambda-invoke-server';
import { chooseNswSource, type NswSource } from '../nsw/nsw-source';
import { type LocalStackEndpoints, removeEndpointsFile, runningStack, writeEndpointsFile } from './endpoints-file';
import { countStationHours } from './pipeline-stats';
import { PortInUseError, stackPorts } from './ports';
import { formatDuration, openLogFile, type StackLog, silentLog, teeLog } from './stack-log';

export const LOCAL_STAGE = 'local';
/** The documented development key (DESIGN.md "Local stack": printed at start). */
export const DEFAULT_LOCAL_API_KEY = 'pulse-local-dev-key';
export const DEFAULT_LOCAL_PORT = 4000;
/** The stack's log (its own lines and the handlers' output) inside the data dir. */
export const LOG_FILE = 'stack.log';
/** The documented local operator: `Authorization: <token>` acts as a Cognito user in `operators`. */
export const DEFAULT_LOCAL_OPERATOR_TOKEN = 'pulse-local-operator';

export interface LocalStackOptions {
  dataDir: string;
  /** GraphQL port; the Lambda endpoint, S3, DynamoDB and SQS take the next four. 0 = all random. */
  port: number;
  host?: string;
  apiKey: string;
  /** Authorization token of the local Cognito operator (default DEFAULT_LOCAL_OPERATOR_TOKEN) */
  operatorToken?: string;
  /** `auto` (default), `live`, `sample` or a URL */
  source?: string;
  /** NSW_API_ENDPOINT from the environment (used by `auto`) */
  nswApiEndpoint?: string | undefined;
  timeZone?: string;
  region?: string;
  /** LOG_LEVEL the handlers get (their Powertools logs) */
  handlerLogLevel?: string;
  /** latest complete hours to ingest right after start (0 = none); default 1 */
  ingestOnStart?: number;
  /** fire the ingest on every hour boundary (default true) */
  schedule?: boolean;
  /** how long a failed ETL record waits before its next receive (default 5 s) */
  retryDelaySeconds?: number;
  probeTimeoutMs?: number;
  log?: StackLog;
  /** where the handlers' own output goes (default stderr) */
  handlerOutput?: NodeJS.WritableStream;
  /** environment the handlers inherit (default process.env) */
  baseEnv?: Record<string, string | undefined>;
  /** serve the GraphQL API (default true; false for tooling that only drives the pipeline) */
  graphql?: boolean;
  /** start the API's environment with the stack, so the first query is warm (default true) */
  prewarmApi?: boolean;
}

export interface IngestRun {
  /** the UTC hour asked for (backfill) or the schedule time (scheduled) */
  at: number;
  kind: 'scheduled' | 'backfill';
  ok: boolean;
  result?: unknown;
  error?: string;
  durationMs: number;
}

export interface DrainResult {
  drained: boolean;
  waitedMs: number;
  /** raw objects ingest wrote whose S3 event never arrived */
  missingEvents: string[];
}

export interface LocalStack {
  readonly endpoints: LocalStackEndpoints;
  readonly functions: FunctionHost;
  readonly localAws: LocalAws;
  readonly source: NswSource;
  readonly resources: LocalResourceNames & { queueArn: string };
  readonly startupMs: number;
  /** ingest these UTC hours (backfill payloads), a few at a time */
  ingestHours(hours: readonly number[]): Promise<IngestRun[]>;
  /** what the hourly rule does: a Scheduled Event at `at` */
  ingestScheduled(at?: number): Promise<IngestRun>;
  /** resolve when every created raw object has gone through the ETL (or to the DLQ) */
  waitUntilDrained(options?: { timeoutMs?: number; expectKeys?: readonly string[] }): Promise<DrainResult>;
  stationHours(hours: readonly number[]): Promise<number>;
  dlqDepth(): Promise<number>;
  stop(): Promise<void>;
}

/** The latest `n` complete hours before `now`, oldest first. */
export function latestHours(n: number, now = Date.now()): number[] {
  const last = latestCompleteHour(now);
  return Array.from({ length: n }, (_, i) => last - (n - 1 - i) * HOUR_MS);
}

export class StackAlreadyRunningError extends Error {
  constructor(dataDir: string, running: LocalStackEndpoints) {
    super(
      `a local stack already runs on ${dataDir} (pid ${running.pid}, GraphQL at ${running.graphql.url}); ` +
        'stop it first, or give this one another PULSE_DATA_DIR',
    );
    this.name = 'StackAlreadyRunningError';
  }
}

/** Fail fast, before anything starts, when one of the fixed ports is taken. */
async function assertPortsFree(host: string, ports: Record<string, number>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    if (port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? new PortInUseError(port, host, what, error.code)
            : error,
        ),
      );
      probe.listen(port, host, () => probe.close(() => resolve()));
    });
  }
}

/** Environment the handlers must not inherit: real AWS identity and generic endpoint overrides. */
const NOT_INHERITED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

function inheritedEnv(base: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !NOT_INHERITED.includes(k)) out[k] = v;
  return out;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started = Date.now();
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? DEFAULT_REGION;
  const timeZone = options.timeZone ?? DEFAULT_SOURCE_TIMEZONE;
  const retryDelaySeconds = options.retryDelaySeconds ?? 5;
  const operatorToken = options.operatorToken ?? DEFAULT_LOCAL_OPERATOR_TOKEN;
  const ports = stackPorts(options.port);

  const running = runningStack(options.dataDir);
  if (running) throw new StackAlreadyRunningError(options.dataDir, running);
  await assertPortsFree(host, {
    'GraphQL API': ports.graphql,
    'Lambda invoke endpoint': ports.lambda,
    'local S3': ports.s3,
    'local DynamoDB': ports.dynamodb,
    'local SQS': ports.sqs,
  });

  // Undone in reverse if a later step fails, and by stop().
  const cleanups: Array<{ what: string; run: () => Promise<void> | void }> = [];

  // Everything the stack and the handlers say also goes to the log file (`pulse logs --local`).
  const logFile = join(options.dataDir, LOG_FILE);
  const file = openLogFile(logFile);
  cleanups.push({ what: 'the log file', run: () => new Promise<void>((resolve) => file.end(resolve)) });
  const log = teeLog(options.log ?? silentLog, file);
  const handlerOutput = new PassThrough();
  handlerOutput.pipe(options.handlerOutput ?? process.stderr, { end: false });
  handlerOutput.pipe(file, { end: false });
  const undo = async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        log.line('stack', 'warn', `stopping ${what}: ${(error as Error).message}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    // graphql-yoga takes a while to load: load it while the servers' process boots.
    const graphqlServer = options.graphql === false ? undefined : loadGraphqlServer();
    graphqlServer?.catch(() => {}); // awaited below; keep an early failure from being "unhandled"
    const [localAws, source] = await Promise.all([
      startLocalAws({
        dataDir: options.dataDir,
        host,
        region,
        ports: { s3: ports.s3, dynamodb: ports.dynamodb, sqs: ports.sqs },
      }).then((local) => {
        cleanups.push({ what: 'local AWS', run: () => local.stop() });
        return local;
      }),
      chooseNswSource({
        choice: options.source ?? 'auto',
        envEndpoint: options.nswApiEndpoint,
        timeZone,
        host,
        probeTimeoutMs: options.probeTimeoutMs ?? 3000,
      }).then((chosen) => {
        cleanups.push({ what: 'the NSW sample server', run: () => chosen.close() });
        return chosen;
      }),
    ]);
    log.line(
      'stack',
      'info',
      `local AWS up (DynamoDB ${localAws.endpoints.dynamodb}, S3 ${localAws.endpoints.s3}, SQS ${localAws.endpoints.sqs})`,
    );

    const names = await ensureResources(localAws, LOCAL_STAGE);
    const clients = localAws.clients();
    cleanups.push({
      what: 'AWS clients',
      run: () => {
        clients.s3.destroy();
        clients.dynamo.destroy();
        clients.sqs.destroy();
      },
    });
    const queueAttrs = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: names.queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const resources = { ...names, queueArn: queueAttrs.Attributes?.QueueArn ?? '' };

    const handlerEnv: Record<string, string> = {
      ...inheritedEnv(options.baseEnv ?? process.env),
      ...localAws.env(),
      AWS_DEFAULT_REGION: region,
      S3_BUCKET: resources.rawBucket,
      CURATED_BUCKET: resources.curatedBucket,
      DYNAMODB_TABLE: resources.table,
      QUEUE_URL: resources.queueUrl,
      DLQ_URL: resources.dlqUrl,
      NSW_API_ENDPOINT: source.endpoint,
      NSW_SOURCE_LABEL: source.label,
      NSW_SOURCE_TIMEZONE: timeZone,
      LOG_LEVEL: options.handlerLogLevel ?? 'WARN',
      STAGE: LOCAL_STAGE,
      POWERTOOLS_METRICS_DISABLED: (options.baseEnv ?? process.env).POWERTOOLS_METRICS_DISABLED ?? 'true',
    };
    const functions = new FunctionHost({
      stage: LOCAL_STAGE,
      region,
      env: handlerEnv,
      output: handlerOutput,
      onEnvironmentEnded: (name, reason) =>
        log.line('lambda', 'error', `${name} environment ended (${reason}); the next invoke starts a fresh one`),
    });
    cleanups.push({ what: 'the handlers', run: () => functions.stop() });

    const invokeServer = await startInvokeServer({
      host,
      port: ports.lambda,
      functions,
      onInvoke: (key, type, outcome) => logInvoke(log, functions.nameOf(key), type, outcome),
    });
    cleanups.push({ what: 'the Lambda endpoint', run: () => invokeServer.close() });
    // Set before the first invoke creates an environment, so every handler sees it from cold start.
    handlerEnv.AWS_ENDPOINT_URL_LAMBDA = invokeServer.url;

    // The API's environment starts now, so the first query does not wait for its cold start.
    if (graphqlServer && options.prewarmApi !== false) functions.prewarm('api');
    const graphql = !graphqlServer
      ? undefined
      : await (await graphqlServer)({
          host,
          port: ports.graphql,
          apiKey: options.apiKey,
          operatorTokens: [operatorToken],
          invoke: (event) => functions.invoke('api', event),
        });
    if (graphql) cleanups.push({ what: 'the GraphQL API', run: () => graphql.close() });

    const pending = new PendingObjects(join(options.dataDir, PENDING_FILE));
    const forwarder = new S3EventForwarder({
      local: localAws,
      sqs: clients.sqs,
      queueUrl: resources.queueUrl,
      rawBucket: resources.rawBucket,
      region,
      pending,
      log,
    });
    forwarder.start();
    cleanups.push({ what: 'S3 event forwarding', run: () => forwarder.stop() });
    const poller = new QueuePoller({
      sqs: clients.sqs,
      queueUrl: resources.queueUrl,
      queueArn: resources.queueArn,
      region,
      functions,
      pending,
      log,
      retryDelaySeconds,
      maxReceiveCount: QUEUE_DEFINITIONS.processing.maxReceiveCount,
    });
    poller.start();
    cleanups.push({ what: 'the queue poller', run: () => poller.stop() });

    const requeued = pending.list();
    if (requeued.length) {
      log.line('etl', 'info', `${requeued.length} object(s) not processed before the last stop go back on the queue`);
      await forwarder.requeue(requeued);
    }

    let lastDlqDepth = 0;
    const dlqWatch = setInterval(() => {
      queueDepth(clients.sqs, resources.dlqUrl)
        .then((d) => {
          const depth = d.total;
          if (depth > lastDlqDepth) {
            log.line(
              'dlq',
              'warn',
              `${depth} message(s) in ${stageName(BASE_NAMES.dlq, LOCAL_STAGE)} (see: pnpm pulse dlq show --local)`,
            );
          }
          lastDlqDepth = depth;
        })
        .catch(() => {});
    }, 2000);
    dlqWatch.unref();
    cleanups.push({ what: 'the DLQ watch', run: () => clearInterval(dlqWatch) });

    const ruleName = stageName(BASE_NAMES.hourlyRule, LOCAL_STAGE);
    async function ingest(kind: IngestRun['kind'], at: number): Promise<IngestRun> {
      const event =
        kind === 'scheduled'
          ? scheduledEvent(at, { region, account: LOCAL_ACCOUNT_ID, ruleName })
          : { backfill: true, timestamp: toHourIso(at) };
      const outcome = await functions.invokeRaw('ingest', JSON.stringify(event));
      const run: IngestRun = outcome.ok
        ? { at, kind, ok: true, result: JSON.parse(outcome.payload), durationMs: outcome.durationMs }
        : {
            at,
            kind,
            ok: false,
            error: `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
            durationMs: outcome.durationMs,
          };
      logIngest(log, run);
      return run;
    }

    const schedule = new HourlySchedule((at) => void ingest('scheduled', at));
    if (options.schedule ?? true) schedule.start();
    cleanups.push({ what: 'the hourly schedule', run: () => schedule.stop() });

    const endpoints: LocalStackEndpoints = {
      version: 1,
      pid: process.pid,
      startedAt: new Date(started).toISOString(),
      dataDir: options.dataDir,
      stage: LOCAL_STAGE,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      graphql: { url: graphql?.url ?? '', apiKey: options.apiKey, operatorToken },
      endpoints: { ...localAws.endpoints, lambda: invokeServer.url },
      env: {
        ...localAws.env(),
        AWS_ENDPOINT_URL_LAMBDA: invokeServer.url,
      },
      resources: {
        rawBucket: resources.rawBucket,
        curatedBucket: resources.curatedBucket,
        table: resources.table,
        queueUrl: resources.queueUrl,
        queueArn: resources.queueArn,
        dlqUrl: resources.dlqUrl,
        dlqArn: resources.dlqArn,
        functions: { ingest: functions.nameOf('ingest'), etl: functions.nameOf('etl'), api: functions.nameOf('api') },
      },
      nsw: { endpoint: source.endpoint, label: source.label, timeZone },
      logFile,
      pids: { stack: process.pid, localAws: localAws.pid },
    };
    writeEndpointsFile(options.dataDir, endpoints);
    cleanups.push({ what: 'endpoints.json', run: () => removeEndpointsFile(options.dataDir) });

    const startupMs = Date.now() - started;
    const initialHours = options.ingestOnStart ?? 1;
    if (initialHours === 1) void ingest('scheduled', Date.now());
    else if (initialHours > 1) void ingestMany(latestHours(initialHours));

    async function ingestMany(hours: readonly number[]): Promise<IngestRun[]> {
      const runs: IngestRun[] = new Array(hours.length);
      let next = 0;
      // A few at a time: the real API is shared and flaky; the sample server does not mind.
      const workers = Array.from({ length: Math.min(3, hours.length) }, async () => {
        while (next < hours.length) {
          const i = next++;
          runs[i] = await ingest('backfill', hours[i] as number);
        }
      });
      await Promise.all(workers);
      return runs;
    }

    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      functions,
      localAws,
      source,
      resources,
      startupMs,
      ingestHours: ingestMany,
      ingestScheduled: (at = Date.now()) => ingest('scheduled', at),
      async waitUntilDrained({ timeoutMs = 120_000, expectKeys = [] } = {}) {
        const t0 = Date.now();
        const deadline = t0 + timeoutMs;
        // An ingest's S3 event crosses from the servers' process over IPC: give it a moment.
        const eventDeadline = Math.min(deadline, t0 + 10_000);
        let missing = expectKeys.filter((k) => !forwarder.created.has(k));
        while (missing.length && Date.now() < eventDeadline) {
          await sleep(50);
          missing = missing.filter((k) => !forwarder.created.has(k));
        }
        let quietChecks = 0;
        while (Date.now() < deadline) {
          const depth = await queueDepth(clients.sqs, resources.queueUrl);
          const idle = forwarder.sending === 0 && !poller.busy && depth.total === 0;
          quietChecks = idle ? quietChecks + 1 : 0;
          if (quietChecks >= 2) return { drained: true, waitedMs: Date.now() - t0, missingEvents: missing };
          await sleep(150);
        }
        return { drained: false, waitedMs: Date.now() - t0, missingEvents: missing };
      },
      stationHours: (hours) =>
        countStationHours({
          s3: clients.s3,
          dynamo: clients.dynamo,
          rawBucket: resources.rawBucket,
          table: resources.table,
          hours,
        }),
      async dlqDepth() {
        const d = await queueDepth(clients.sqs, resources.dlqUrl);
        return d.total;
      },
      stop() {
        stopping ??= undo();
        return stopping;
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/**
 * The raw objects these ingest runs wrote: the hour's own (an `unchanged` hour writes none, so
 * sends no event) and the earlier hours a scheduled run caught up.
 */
export function writtenKeysOf(runs: readonly IngestRun[]): string[] {
  return runs.flatMap((run) => {
    if (!run.ok) return [];
    const result = run.result as { status?: unknown; key?: unknown; caughtUp?: unknown } | undefined;
    const own = result?.status === 'written' && typeof result.key === 'string' ? [result.key] : [];
    const caughtUp = Array.isArray(result?.caughtUp) ? result.caughtUp.filter((k) => typeof k === 'string') : [];
    return [...own, ...caughtUp];
  });
}
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A short description of what the ingest handler answered (its IngestResult, a skip, a test run). */
export function describeIngestResult(result: unknown): string {
  if (result === null || typeof result !== 'object') return result == null ? '' : String(result);
  const r = result as Record<string, unknown>;
  if (typeof r.skipped === 'string') return `skipped (${r.skipped})`;
  if (typeof r.status === 'string' && typeof r.key === 'string') {
    const records = typeof r.recordCount === 'number' ? ` (${r.recordCount} records)` : '';
    const caughtUp = Array.isArray(r.caughtUp) && r.caughtUp.length ? `; caught up ${r.caughtUp.join(', ')}` : '';
    return `${r.status} ${r.key}${records}${caughtUp}`;
  }
  const text = JSON.stringify(result);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function logIngest(log: StackLog, run: IngestRun): void {
  const what =
    run.kind === 'scheduled'
      ? `scheduled ${new Date(run.at).toISOString().slice(0, 19)}Z`
      : `hour ${toHourIso(run.at)}`;
  if (run.ok) {
    const detail = describeIngestResult(run.result);
    log.line('ingest', 'ok', `${what} done${detail ? `: ${detail}` : ''} (${formatDuration(run.durationMs)})`);
  } else {
    log.line('ingest', 'error', `${what} failed: ${run.error} (${formatDuration(run.durationMs)})`);
  }
}

function logInvoke(log: StackLog, name: string, type: string, outcome: InvokeOutcome): void {
  const took = formatDuration(outcome.durationMs);
  if (!outcome.ok) {
    log.line(
      'lambda',
      'warn',
      `invoke ${name} (${type}) ${outcome.error.errorType}: ${outcome.error.errorMessage} (${took})`,
    );
    return;
  }
  let detail = '';
  try {
    detail = describeIngestResult(JSON.parse(outcome.payload));
  } catch {
    // not JSON: nothing to add
  }
  log.line('lambda', 'ok', `invoke ${name} (${type}) ok${detail ? `: ${detail}` : ''} (${took})`);
}

export type { LocalFunctionKey };
