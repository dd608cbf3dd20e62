/**
 * `pulse local` (the README's `pnpm start`): resolve the settings from flags and environment,
 * start the stack, print the banner, then either run until Ctrl-C / SIGTERM, or with `--once`
 * ingest some hours, wait for the ETL to drain, print a summary and exit.
 */
import { join } from 'node:path';
import { DEFAULT_SOURCE_TIMEZONE } from '@opendata-pulse/shared/config';
import { toHourIso } from '@opendata-pulse/shared/time';
import pc from 'picocolors';
import { HEALTH_CHECK_RATE_MINUTES } from '../glue/rate-schedule';
import { SNS_DIR } from '../sns/sns-server';
import { resolveDataDir } from './data-dir';
import {
  DEFAULT_LOCAL_API_KEY,
  DEFAULT_LOCAL_OPERATOR_TOKEN,
  DEFAULT_LOCAL_PORT,
  hoursIngested,
  type IngestRun,
  type LocalStack,
  type LocalStackOptions,
  latestHours,
  startLocalStack,
  writtenKeysOf,
} from './local-stack';
import { STACK_PORT_COUNT } from './ports';
import { formatDuration, type StackLog, terminalLog } from './stack-log';

export interface RunLocalOptions {
  once?: boolean;
  /** hours to ingest at start (default 1: the latest complete hour) */
  backfillHours?: number;
  source?: string;
  port?: number | string;
  dataDir?: string;
  /** machine-readable output: the endpoints (running) or the summary (--once) as JSON on stdout */
  json?: boolean;
  /** give up waiting for the queue to drain after this long (--once) */
  drainTimeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  log?: StackLog;
  /** resolves when the stack should stop (default: SIGINT or SIGTERM) */
  stopSignal?: Promise<string>;
}

export class LocalSettingsError extends Error {
  override name = 'LocalSettingsError';
}

const MAX_BASE_PORT = 65_535 - (STACK_PORT_COUNT - 1);

function parsePort(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_BASE_PORT) {
    throw new LocalSettingsError(
      `${name} must be a port number from 0 to ${MAX_BASE_PORT} (the stack uses it and the next ${STACK_PORT_COUNT - 1}); got '${value}'`,
    );
  }
  return n;
}

/** PULSE_API_CACHE: `on` (default, as AppSync caches) or `off` (every query reaches the API function). */
function parseApiCache(value: string | undefined): boolean {
  const setting = value?.trim().toLowerCase() || 'on';
  if (setting !== 'on' && setting !== 'off') {
    throw new LocalSettingsError(`PULSE_API_CACHE must be 'on' or 'off'; got '${value}'`);
  }
  return setting === 'on';
}

/** Flags and environment -> the stack's options (flags win). */
export function resolveLocalStackOptions(options: RunLocalOptions): LocalStackOptions {
  const env = options.env ?? process.env;
  const backfill = options.backfillHours ?? 1;
  if (!Number.isInteger(backfill) || backfill < 0) {
    throw new LocalSettingsError(`--backfill-hours must be a whole number of hours; got '${options.backfillHours}'`);
  }
  return {
    dataDir: options.dataDir ?? resolveDataDir(env, options.cwd),
    port: parsePort(options.port, '--port') ?? parsePort(env.PULSE_PORT, 'PULSE_PORT') ?? DEFAULT_LOCAL_PORT,
    apiKey: env.PULSE_API_KEY?.trim() || DEFAULT_LOCAL_API_KEY,
    operatorToken: env.PULSE_OPERATOR_TOKEN?.trim() || DEFAULT_LOCAL_OPERATOR_TOKEN,
    source: options.source ?? 'auto',
    nswApiEndpoint: env.NSW_API_ENDPOINT?.trim() || undefined,
    timeZone: env.NSW_SOURCE_TIMEZONE?.trim() || DEFAULT_SOURCE_TIMEZONE,
    handlerLogLevel: env.LOG_LEVEL?.trim() || 'WARN',
    ingestOnStart: options.once ? 0 : backfill,
    schedule: !options.once,
    ...(options.once ? { healthCheckEveryMs: 0 } : {}),
    prewarmApi: !options.once,
    apiCache: parseApiCache(env.PULSE_API_CACHE),
    baseEnv: env,
  };
}

export function banner(stack: LocalStack, colour = pc.isColorSupported): string {
  const p = pc.createColors(colour);
  const e = stack.endpoints;
  const query = '{ getAirQualityData(suburb: \\"Rozelle\\", limit: 3) { items { siteName hourStart category } } }';
  const source =
    e.nsw.label === 'sample'
      ? `${p.yellow('SAMPLE DATA')} — ${stack.source.reason}`
      : `${e.nsw.label} — ${e.nsw.endpoint} (${stack.source.reason})`;
  const lines = [
    '',
    `${p.bold('OpenData Pulse')} local stack is up ${p.dim(`(${formatDuration(stack.startupMs)})`)}`,
    '',
    ...(e.web ? [`  Dashboard  ${p.cyan(e.web.url)}  ${p.dim('(the map; packages/web)')}`] : []),
    `  GraphQL    ${p.cyan(e.graphql.url)}  ${p.dim('(GraphiQL in a browser)')}`,
    `  API key    ${p.cyan(e.graphql.apiKey)}  ${p.dim('(header x-api-key; PULSE_API_KEY to change)')}`,
    `  Operator   ${p.cyan(e.graphql.operatorToken)}  ${p.dim("(header Authorization: a Cognito user in 'operators'; PULSE_OPERATOR_TOKEN)")}`,
    `  NSW data   ${source}`,
    `  API cache  ${e.graphql.cacheUrl ? `as appsync.yml says  ${p.dim('(pnpm pulse api-cache flush --local; PULSE_API_CACHE=off)')}` : 'off'}`,
    `  Data dir   ${e.dataDir}  ${p.dim('(kept across restarts; endpoints.json inside)')}`,
    `  AWS        ${p.dim(`S3 ${e.endpoints.s3}  DynamoDB ${e.endpoints.dynamodb}  SQS ${e.endpoints.sqs}  Lambda ${e.endpoints.lambda}  SNS ${e.endpoints.sns}`)}`,
    `  Alerts     ${join(e.dataDir, SNS_DIR, '<topic>.jsonl')}  ${p.dim(`(the health check runs every ${HEALTH_CHECK_RATE_MINUTES} min; unhealthy -> critical-alerts)`)}`,
    '',
    `  Try   curl -s ${e.graphql.url} -H 'x-api-key: ${e.graphql.apiKey}' -H 'content-type: application/json' \\`,
    `          -d '{"query":"${query}"}'`,
    `  Ops   pnpm pulse <command> --local          Stop  Ctrl-C`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export interface OnceSummary {
  hoursRequested: number;
  hoursIngested: number;
  failedHours: Array<{ hourStart: string; error: string }>;
  stationHours: number;
  dlqDepth: number;
  drained: boolean;
  /** stations the GraphQL API lists after the run (null: it did not answer) */
  apiStations: number | null;
  source: string;
  elapsedMs: number;
}

export function formatSummary(summary: OnceSummary): string {
  const lines = [
    '',
    `Hours ingested      ${summary.hoursIngested} of ${summary.hoursRequested} (${summary.source})`,
    `Station-hours       ${summary.stationHours}`,
    `DLQ depth           ${summary.dlqDepth}`,
    `Queue drained       ${summary.drained ? 'yes' : 'NO (gave up waiting)'}`,
    `GraphQL API         ${summary.apiStations === null ? 'NO ANSWER' : `answers (${summary.apiStations} stations)`}`,
    `Took                ${formatDuration(summary.elapsedMs)}`,
    ...summary.failedHours.map((f) => `  failed ${f.hourStart}: ${f.error}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function defaultStopSignal(log: StackLog): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const on = (signal: NodeJS.Signals) => {
      if (received) {
        log.line('stack', 'warn', `${signal} again: exiting now`);
        process.exit(130);
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Ask the GraphQL API, over HTTP with the key, how many stations it lists. */
async function listStations(stack: LocalStack, log: StackLog): Promise<number | null> {
  const { url, apiKey } = stack.endpoints.graphql;
  if (!url) return null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: '{ listStations { siteId } }' }),
    });
    const body = (await res.json()) as { data?: { listStations?: unknown[] }; errors?: Array<{ message: string }> };
    if (res.ok && Array.isArray(body.data?.listStations)) return body.data.listStations.length;
    log.line('api', 'error', `listStations answered HTTP ${res.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
  } catch (error) {
    log.line('api', 'error', `listStations failed: ${(error as Error).message}`);
  }
  return null;
}

async function runOnce(stack: LocalStack, options: RunLocalOptions, log: StackLog): Promise<OnceSummary> {
  const t0 = Date.now();
  const hours = latestHours(options.backfillHours ?? 1);
  log.line(
    'stack',
    'info',
    `ingesting ${hours.length} hour(s): ${toHourIso(hours[0] ?? 0)} .. ${toHourIso(hours.at(-1) ?? 0)}`,
  );
  const runs: IngestRun[] = await stack.ingestHours(hours);
  log.line('stack', 'info', 'waiting for the ETL to drain the processing queue');
  const drain = await stack.waitUntilDrained({
    expectKeys: writtenKeysOf(runs),
    timeoutMs: options.drainTimeoutMs ?? 300_000,
  });
  for (const key of drain.missingEvents) log.line('s3', 'warn', `no S3 event seen for ${key}`);
  return {
    hoursRequested: hours.length,
    hoursIngested: runs.flatMap(hoursIngested).length,
    failedHours: runs.flatMap((r) => {
      const held = new Set(hoursIngested(r));
      const error = r.error ?? 'the day NSW answered does not hold this hour';
      return (r.hours ?? [r.at]).filter((h) => !held.has(h)).map((h) => ({ hourStart: toHourIso(h), error }));
    }),
    stationHours: await stack.stationHours(hours),
    dlqDepth: await stack.dlqDepth(),
    drained: drain.drained,
    apiStations: await listStations(stack, log),
    source: stack.source.label,
    elapsedMs: Date.now() - t0,
  };
}

/** Run the command; resolves with the process exit code. */
export async function runLocalStack(options: RunLocalOptions = {}): Promise<number> {
  const log = options.log ?? terminalLog();
  const out = options.stdout ?? process.stdout;
  const env = options.env ?? process.env;
  // The AWS SDK warns once per thread that a future release needs Node 22; the project supports
  // Node 20 (package.json `engines`), and the warning would bury the banner.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const settings = resolveLocalStackOptions({ ...options, env });
  const stopSignal = options.stopSignal ?? defaultStopSignal(log);

  let stopRequested: string | undefined;
  void stopSignal.then((signal) => {
    stopRequested = signal;
  });

  log.line('stack', 'info', `starting (data in ${settings.dataDir})`);
  const stack = await startLocalStack({ ...settings, log });
  const unhandled = (reason: unknown) =>
    log.line('stack', 'error', `unexpected error (the stack keeps running): ${(reason as Error)?.stack ?? reason}`);
  process.on('unhandledRejection', unhandled);
  try {
    if (options.once) {
      const summary = await Promise.race([runOnce(stack, options, log), stopSignal.then(() => undefined)]);
      if (!summary) {
        log.line('stack', 'warn', `${stopRequested}: stopped before the run finished`);
        return 130;
      }
      out.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      const problem =
        summary.failedHours.length > 0 || summary.dlqDepth > 0 || !summary.drained || summary.apiStations === null;
      return problem ? 1 : 0;
    }
    out.write(options.json ? `${JSON.stringify(stack.endpoints, null, 2)}\n` : banner(stack));
    if (!stopRequested) await stopSignal;
    log.line('stack', 'info', `${stopRequested}: stopping`);
    return 0;
  } finally {
    const t0 = Date.now();
    await stack.stop();
    process.off('unhandledRejection', unhandled);
    log.line('stack', 'info', `stopped (${formatDuration(Date.now() - t0)})`);
  }
}
