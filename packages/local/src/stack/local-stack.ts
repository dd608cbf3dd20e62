/**
 * The offline stack: local AWS (dynalite, s3rver, local-aws-sqs) on disk, an SNS stand-in, the real
 * ingest, ETL, API and health-check handlers, and the AWS glue between them (hourly schedule, the
 * health check's 5-minute schedule, S3 -> EventBridge -> SQS, the SQS event source mapping, Lambda
 * Invoke), with the GraphQL API on 127.0.0.1. Programmatic: start,
 * drive, stop. Start-up runs the steps in ./steps in order (servers, resources, functions, the
 * API, events), each registering how it is undone; `runLocalStack` (run-local-stack.ts) is the
 * command around it (docs/architecture.md, "Local stack: stand-ins and known gaps").
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { DEFAULT_REGION, DEFAULT_SOURCE_TIMEZONE } from '@opendata-pulse/shared/config';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import type { LocalAws } from '../aws/local-aws';
import { HEALTH_CHECK_RATE_MS, RateSchedule } from '../glue/rate-schedule';
import type { FunctionHost, LocalFunctionKey } from '../lambda/function-host';
import type { NswSource } from '../nsw/nsw-source';
import { type LocalStackEndpoints, removeEndpointsFile, runningStack, writeEndpointsFile } from './endpoints-file';
import { type HealthCheckRun, HealthCheckRunner } from './health-check-runs';
import { type IngestRun, IngestRunner, latestHours } from './ingest-runs';
import { ensurePageTokenKeyFile } from './page-token-key-file';
import { countStationHours } from './pipeline-stats';
import { stackPorts } from './ports';
import { openLogFile, type StackLog, silentLog, teeLog } from './stack-log';
import { createResources, type StackResources } from './steps/create-resources';
import { type DrainResult, waitUntilDrained } from './steps/drain';
import { hostFunctions } from './steps/host-functions';
import { startServers } from './steps/start-servers';
import { ensureWebBundle } from './steps/web-bundle';
import { wireEvents } from './steps/wire-events';
import { Teardown } from './teardown';

export { describeIngestResult, hoursIngested, latestHours, writtenKeysOf } from './ingest-runs';
export type { DrainResult, HealthCheckRun, IngestRun, LocalFunctionKey };

export const LOCAL_STAGE = 'local';
/** The documented development key, printed at start (docs/architecture.md, "Local stack: stand-ins and known gaps"). */
export const DEFAULT_LOCAL_API_KEY = 'pulse-local-dev-key';
export const DEFAULT_LOCAL_PORT = 4000;
/** The stack's log (its own lines and the handlers' output) inside the data dir. */
export const LOG_FILE = 'stack.log';
/** The documented local operator: `Authorization: <token>` acts as a Cognito user in `operators`. */
export const DEFAULT_LOCAL_OPERATOR_TOKEN = 'pulse-local-operator';

export interface LocalStackOptions {
  dataDir: string;
  /** GraphQL port; the Lambda endpoint, S3, DynamoDB, SQS and SNS take the next five. 0 = all random. */
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
  /** run the health check this often (default its deployed rate, 5 minutes; 0 = never) */
  healthCheckEveryMs?: number;
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
  /** answer GraphQL through appsync.yml's resolver cache, as AppSync does (default true) */
  apiCache?: boolean;
  /** online tiles for the dashboard's map (default none: the bundled NSW outline only) */
  webTiles?: { url: string; attribution: string };
}

export interface LocalStack {
  readonly endpoints: LocalStackEndpoints;
  readonly functions: FunctionHost;
  readonly localAws: LocalAws;
  readonly source: NswSource;
  readonly resources: StackResources;
  readonly startupMs: number;
  /** ingest these UTC hours (backfill payloads), a few at a time */
  ingestHours(hours: readonly number[]): Promise<IngestRun[]>;
  /** what the hourly rule does: a Scheduled Event at `at` */
  ingestScheduled(at?: number): Promise<IngestRun>;
  /** what the health check's rule does: a Scheduled Event to the health-check function */
  healthCheck(at?: number): Promise<HealthCheckRun>;
  /** resolve when every created raw object has gone through the ETL (or to the DLQ) */
  waitUntilDrained(options?: { timeoutMs?: number; expectKeys?: readonly string[] }): Promise<DrainResult>;
  stationHours(hours: readonly number[]): Promise<number>;
  dlqDepth(): Promise<number>;
  stop(): Promise<void>;
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

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started = Date.now();
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? DEFAULT_REGION;
  const timeZone = options.timeZone ?? DEFAULT_SOURCE_TIMEZONE;
  const operatorToken = options.operatorToken ?? DEFAULT_LOCAL_OPERATOR_TOKEN;
  const ports = stackPorts(options.port);
  const topicArn = (base: string) => `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:${stageName(base, LOCAL_STAGE)}`;
  const topics = {
    criticalAlerts: topicArn(BASE_NAMES.criticalTopic),
    incidentAlerts: topicArn(BASE_NAMES.incidentTopic),
  };
  const running = runningStack(options.dataDir);
  if (running) throw new StackAlreadyRunningError(options.dataDir, running);

  // Everything the stack and the handlers say also goes to the log file (`pulse logs --local`).
  const logFile = join(options.dataDir, LOG_FILE);
  const file = openLogFile(logFile);
  const log = teeLog(options.log ?? silentLog, file);
  const teardown = new Teardown(() => log);
  teardown.add('the log file', () => new Promise<void>((resolve) => file.end(resolve)));
  const handlerOutput = new PassThrough();
  handlerOutput.pipe(options.handlerOutput ?? process.stderr, { end: false });
  handlerOutput.pipe(file, { end: false });

  try {
    const servers = await startServers(
      {
        dataDir: options.dataDir,
        host,
        region,
        timeZone,
        ports,
        source: options.source ?? 'auto',
        nswApiEndpoint: options.nswApiEndpoint,
        probeTimeoutMs: options.probeTimeoutMs ?? 3000,
        graphql: options.graphql !== false,
        topicArns: Object.values(topics),
      },
      teardown,
      log,
    );
    const { localAws, source } = servers;
    const { resources, clients } = await createResources(localAws, LOCAL_STAGE, teardown);
    const { functions, invokeServer, setHandlerEnv } = await hostFunctions(
      {
        stage: LOCAL_STAGE,
        host,
        port: ports.lambda,
        region,
        timeZone,
        handlerLogLevel: options.handlerLogLevel ?? 'WARN',
        baseEnv: options.baseEnv ?? process.env,
        output: handlerOutput,
        pageTokenKeyFile: ensurePageTokenKeyFile(options.dataDir),
      },
      { localAws, source, resources, alerts: { snsUrl: servers.sns.url, criticalTopicArn: topics.criticalAlerts } },
      teardown,
      log,
    );

    // Serve the API; its environment starts now, so the first query does not wait for a cold start.
    let graphqlUrl = '';
    let cacheUrl: string | undefined;
    let realtimeUrl: string | undefined;
    if (servers.graphqlServer) {
      if (options.prewarmApi !== false) functions.prewarm('api');
      const site = await ensureWebBundle(
        { apiKey: options.apiKey, source: source.label, tiles: options.webTiles },
        log,
      );
      const graphql = await (await servers.graphqlServer)({
        site,
        host,
        port: ports.graphql,
        apiKey: options.apiKey,
        operatorTokens: [operatorToken],
        invoke: (event) => functions.invoke('api', event),
        caching: options.apiCache !== false,
        region,
      });
      teardown.add('the GraphQL API', () => graphql.close());
      graphqlUrl = graphql.url;
      cacheUrl = graphql.cacheUrl;
      realtimeUrl = graphql.realtimeUrl;
      // Live updates: the ETL publishes here, signed as in AWS; in AWS it reads this URL from SSM
      // (the api service's graphql-url parameter), locally the host hands it over (no SSM here).
      // The ETL's environment starts at its first invoke, after this.
      setHandlerEnv('GRAPHQL_URL', graphql.url);
    }

    const ingest = new IngestRunner(
      functions,
      log,
      { region, ruleName: stageName(BASE_NAMES.hourlyRule, LOCAL_STAGE) },
      timeZone,
    );
    const { forwarder, poller } = await wireEvents(
      {
        dataDir: options.dataDir,
        region,
        retryDelaySeconds: options.retryDelaySeconds ?? 5,
        schedule: options.schedule ?? true,
        dlqName: stageName(BASE_NAMES.dlq, LOCAL_STAGE),
      },
      { localAws, clients, resources, functions, onHour: (at) => void ingest.run('scheduled', at) },
      teardown,
      log,
    );

    const endpoints: LocalStackEndpoints = {
      version: 1,
      pid: process.pid,
      startedAt: new Date(started).toISOString(),
      dataDir: options.dataDir,
      stage: LOCAL_STAGE,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      graphql: {
        url: graphqlUrl,
        apiKey: options.apiKey,
        operatorToken,
        ...(cacheUrl ? { cacheUrl } : {}),
        ...(realtimeUrl ? { realtimeUrl } : {}),
      },
      ...(graphqlUrl ? { web: { url: new URL('/', graphqlUrl).href } } : {}),
      endpoints: { ...localAws.endpoints, lambda: invokeServer.url, sns: servers.sns.url },
      env: { ...localAws.env(), AWS_ENDPOINT_URL_LAMBDA: invokeServer.url, AWS_ENDPOINT_URL_SNS: servers.sns.url },
      resources: {
        rawBucket: resources.rawBucket,
        curatedBucket: resources.curatedBucket,
        table: resources.table,
        queueUrl: resources.queueUrl,
        queueArn: resources.queueArn,
        dlqUrl: resources.dlqUrl,
        dlqArn: resources.dlqArn,
        functions: {
          ingest: functions.nameOf('ingest'),
          etl: functions.nameOf('etl'),
          api: functions.nameOf('api'),
          healthCheck: functions.nameOf('healthCheck'),
        },
        topics,
      },
      nsw: { endpoint: source.endpoint, label: source.label, timeZone },
      logFile,
      pids: { stack: process.pid, localAws: localAws.pid },
    };
    writeEndpointsFile(options.dataDir, endpoints);
    teardown.add('endpoints.json', () => removeEndpointsFile(options.dataDir));

    const startupMs = Date.now() - started;
    const initialHours = options.ingestOnStart ?? 1;
    if (initialHours === 1) void ingest.run('scheduled', Date.now());
    else if (initialHours > 1) void ingest.hours(latestHours(initialHours));

    const healthChecks = new HealthCheckRunner(functions, log, {
      region,
      ruleName: stageName(BASE_NAMES.healthCheckFunction, LOCAL_STAGE),
    });
    const healthEveryMs = options.healthCheckEveryMs ?? HEALTH_CHECK_RATE_MS;
    if (healthEveryMs > 0) {
      const healthSchedule = new RateSchedule(healthEveryMs, (at) => healthChecks.tick(at));
      healthSchedule.start();
      teardown.add('the health-check schedule', () => healthSchedule.stop());
    }

    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      functions,
      localAws,
      source,
      resources,
      startupMs,
      ingestHours: (hours) => ingest.hours(hours),
      ingestScheduled: (at = Date.now()) => ingest.run('scheduled', at),
      healthCheck: (at = Date.now()) => healthChecks.run(at),
      waitUntilDrained: (drainOptions) =>
        waitUntilDrained({ clients, queueUrl: resources.queueUrl, forwarder, poller }, drainOptions),
      stationHours: (hours) => countStationHours({ dynamo: clients.dynamo, table: resources.table, hours }),
      dlqDepth: async () => (await queueDepth(clients.sqs, resources.dlqUrl)).total,
      stop() {
        stopping ??= teardown.run();
        return stopping;
      },
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}
