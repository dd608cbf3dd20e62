/**
 * getAirQualityData latency on the local stack, beside the floor beneath it: the raw DynamoDB
 * Query the resolver performs, against the same dynalite and data, in the same run.
 *
 *   npx tsx packages/api/bench/get-air-quality-data.bench.ts [requestsPerLevel=2000]
 *
 * The API path is what a client of the local stack gets: HTTP (fetch) -> local GraphQL server
 * (auth, validation, event building) -> the real handler in-process -> one Query on dynalite ->
 * mapping -> JSON. Loopback only; fixed request counts; stops by itself.
 */
import { performance } from 'node:perf_hooks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inProcessInvoke, startGraphqlServer } from '@opendata-pulse/local/appsync';
import { ensureResources, startLocalAws } from '@opendata-pulse/local/aws';
import { createDynamoDocClient, LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { parseConfig } from '@opendata-pulse/shared/config';
import { createLogger } from '@opendata-pulse/shared/observability';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import { suburbReadingsQuery } from '../src/adapters/hot-aggregates-reader';
import { apiConfigSchema, buildRuntime } from '../src/composition';
import { resolveHourWindow } from '../src/domain/query-arguments';
import { createApiHandler, SERVICE_NAME } from '../src/handler';
import { seedStations, station } from '../tests/support/fixtures';

const REQUESTS = Number(process.argv[2] ?? 2000);
const WARMUP = 200;
const CONCURRENCY = [1, 8, 32];
const LIMIT = 100;
const SUBURB = 'Benchville';
const API_KEY = 'bench-api-key';

const out = (line = '') => process.stdout.write(`${line}\n`);

interface Stats {
  p50: number;
  p99: number;
  rps: number;
}

async function measure(total: number, concurrency: number, call: () => Promise<void>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), rps: (latencies.length / elapsed) * 1000 };
}

async function main() {
  const local = await startLocalAws();
  const resources = await ensureResources(local);
  const dynamo = createDynamoDocClient({
    region: local.region,
    endpoint: local.endpoints.dynamodb,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    // A month of hourly readings for two stations in one suburb, written as the ETL writes them.
    const now = Date.now();
    const lastHour = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
    const hours = Array.from({ length: 31 * 24 }, (_, i) => lastHour - i * HOUR_MS);
    const stations = [
      station(91_001, 'Benchville North', 'Bench Region', SUBURB),
      station(91_002, 'Benchville South', 'Bench Region', SUBURB),
    ];
    await seedStations(dynamo, resources.table, stations, hours);

    const logger = createLogger(SERVICE_NAME, 'SILENT');
    const config = parseConfig(apiConfigSchema, {
      AWS_REGION: local.region,
      DYNAMODB_TABLE: resources.table,
      LOG_LEVEL: 'SILENT',
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
    });
    const runtime = buildRuntime(config, logger, { dynamo });
    const handler = createApiHandler({ logger, runtime: () => runtime });
    const invoke = inProcessInvoke(handler);
    const server = await startGraphqlServer({ port: 0, apiKey: API_KEY, invoke });

    const body = JSON.stringify({
      query: `query($s: String!, $l: Int) { getAirQualityData(suburb: $s, limit: $l) {
        items { siteId hourStart category determiningPollutant measurements { parameter value unit category flags rolling { window value hours } } }
        nextToken } }`,
      variables: { s: SUBURB, l: LIMIT },
    });
    const apiCall = async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body,
      });
      const json = (await response.json()) as { data?: { getAirQualityData?: { items: unknown[] } }; errors?: unknown };
      if (json.errors || json.data?.getAirQualityData?.items.length !== LIMIT) {
        throw new Error(`unexpected answer: ${JSON.stringify(json).slice(0, 300)}`);
      }
    };

    // The same Query the reader sends for that request's first page (limit + 1 items).
    const window = resolveHourWindow({}, now);
    const query = suburbReadingsQuery(resources.table, SUBURB, window);
    if (!query) throw new Error('empty window');
    const rawInput = { ...query, Limit: LIMIT + 1 };
    const rawCall = async () => {
      const result = await dynamo.send(new QueryCommand(rawInput));
      if (result.Items?.length !== LIMIT + 1) throw new Error(`raw Query returned ${result.Items?.length} items`);
    };

    // The resolver Lambda alone, with the event AppSync (or the local server) would send.
    const event = {
      arguments: { suburb: SUBURB, limit: LIMIT },
      identity: null,
      source: null,
      request: { headers: { 'x-api-key': API_KEY } },
      prev: null,
      info: {
        parentTypeName: 'Query',
        fieldName: 'getAirQualityData',
        variables: {},
        selectionSetList: ['items', 'nextToken'],
      },
      stash: {},
    };
    const handlerCall = async () => {
      const result = (await invoke(event)) as { items: unknown[] };
      if (result.items.length !== LIMIT) throw new Error('handler answered a short page');
    };

    await measure(WARMUP, 8, apiCall);
    await measure(WARMUP, 8, handlerCall);
    await measure(WARMUP, 8, rawCall);

    out(
      `getAirQualityData(suburb, limit: ${LIMIT}) on the local stack (dynalite in memory), ${REQUESTS} requests per row`,
    );
    out(
      `seeded: ${stations.length} stations x ${hours.length} hours = ${stations.length * hours.length} readings; node ${process.version}`,
    );
    out();
    out('path                                 | concurrency | p50 ms | p99 ms | req/s | p50 / Query p50');
    out('------------------------------------ | ----------- | ------ | ------ | ----- | ---------------');
    for (const c of CONCURRENCY) {
      const rows: [string, Stats][] = [
        ['API over HTTP (local server)', await measure(REQUESTS, c, apiCall)],
        ['resolver Lambda in-process', await measure(REQUESTS, c, handlerCall)],
        ['raw DynamoDB Query (the floor)', await measure(REQUESTS, c, rawCall)],
      ];
      const floor = rows[2]?.[1].p50 ?? Number.NaN;
      for (const [name, st] of rows) {
        out(
          `${name.padEnd(36)} | ${String(c).padStart(11)} | ${st.p50.toFixed(2).padStart(6)} | ${st.p99.toFixed(2).padStart(6)} | ${st.rps.toFixed(0).padStart(5)} | ${(st.p50 / floor).toFixed(2).padStart(15)}`,
        );
      }
    }
    out();
    out(
      `window: ${new Date(window.fromMs).toISOString()} .. ${new Date(window.toMs).toISOString()} (${(window.toMs - window.fromMs) / DAY_MS} days)`,
    );
    await server.close();
  } finally {
    dynamo.destroy();
    await local.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
