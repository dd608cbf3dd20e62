/**
 * API: `getAirQualityData(suburb)` over HTTP against the local stack's GraphQL server (API key,
 * schema validation, the AppSync-shaped event, the real resolver handler in its Lambda-like
 * worker, one Query on dynalite, mapping, JSON), at concurrency 1, 8 and 32 — beside the raw
 * DynamoDB Query that resolver sends, on the same table and data, in the same run. Fixed request
 * counts; warm-up first; the two paths alternate per concurrency level.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { stationReadingsQuery } from '@opendata-pulse/api/hot-aggregates-reader';
import { QUERY_LIMITS, resolveHourWindow } from '@opendata-pulse/api/query-arguments';
import { stationFromSite } from '@opendata-pulse/shared/model';
import type { StackSession } from '../local-stack-session';
import { BENCH_API_KEY } from '../local-stack-session';
import { type Figure, figure } from '../report';
import { median, percentile } from '../stats';
import type { SampleHours } from './sample-hours';

export interface ApiLatencyOptions {
  requests: number;
  warmup: number;
  concurrency: readonly number[];
}

export interface LevelStats {
  concurrency: number;
  p50: number;
  p99: number;
  rps: number;
}

export interface ApiLatencyResult {
  figures: Figure[];
  notes: string[];
  api: LevelStats[];
  query: LevelStats[];
  /** what one answered query costs the resolver Lambda (median worker time) and DynamoDB */
  perQuery: { lambdaMs: number; readUnits: number; items: number };
}

async function measure(total: number, concurrency: number, call: () => Promise<void>): Promise<LevelStats> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const s = performance.now();
        await call();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = performance.now() - t0;
  return {
    concurrency,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    rps: (latencies.length / elapsed) * 1000,
  };
}

export async function measureApiLatency(
  session: StackSession,
  sample: SampleHours,
  expectedItems: number,
  options: ApiLatencyOptions,
): Promise<ApiLatencyResult> {
  const { stack } = session;
  const site = sample.sites[0];
  if (!site) throw new Error('no station to ask for');
  const station = stationFromSite(site);
  const suburb = station.suburb;
  const url = stack.endpoints.graphql.url;
  const body = JSON.stringify({
    query: `query($s: String!) { getAirQualityData(suburb: $s) {
      items { siteId siteName hourStart category determiningPollutant measurements { parameter value unit category flags } }
      nextToken } }`,
    variables: { s: suburb },
  });
  const items = Math.min(expectedItems, QUERY_LIMITS.defaultLimit);
  const apiCall = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY },
      body,
    });
    const json = (await res.json()) as { data?: { getAirQualityData?: { items: unknown[] } }; errors?: unknown };
    if (json.errors || json.data?.getAirQualityData?.items.length !== items) {
      throw new Error(`getAirQualityData answered ${JSON.stringify(json).slice(0, 300)}`);
    }
  };

  // The Query the resolver sends for the first page (the suburb's one station): its window, the
  // default limit plus one.
  const { dynamo } = stack.localAws.clients();
  try {
    const input = stationReadingsQuery(stack.resources.table, station.siteId, resolveHourWindow({}, Date.now()));
    if (!input) throw new Error('the default window holds no hour');
    const query = { ...input, Limit: QUERY_LIMITS.defaultLimit + 1 };
    const rawCall = async () => {
      const out = await dynamo.send(new QueryCommand(query));
      if (out.Items?.length !== items)
        throw new Error(`the raw Query returned ${out.Items?.length} items, not ${items}`);
    };
    const consumed = await dynamo.send(new QueryCommand({ ...query, ReturnConsumedCapacity: 'TOTAL' }));

    await measure(options.warmup, 8, apiCall);
    await measure(options.warmup, 8, rawCall);
    const api: LevelStats[] = [];
    const raw: LevelStats[] = [];
    // A Lambda serves one request at a time: its billed time is the resolver's time at concurrency 1.
    let lambdaMs = Number.NaN;
    for (const c of options.concurrency) {
      const before = session.invocations.length;
      api.push(await measure(options.requests, c, apiCall));
      const times = session.invocations
        .slice(before)
        .filter((i) => i.key === 'api')
        .map((i) => i.durationMs);
      if (c === 1 || Number.isNaN(lambdaMs)) lambdaMs = median(times);
      raw.push(await measure(options.requests, c, rawCall));
    }

    const figures: Figure[] = [];
    for (const [i, a] of api.entries()) {
      const q = raw[i] as LevelStats;
      const c = a.concurrency;
      figures.push(
        figure({
          id: `api.c${c}.p50Ms`,
          section: 'api',
          name: `getAirQualityData p50, concurrency ${c}`,
          value: a.p50,
          unit: 'ms',
          better: 'lower',
          floor: { name: 'the raw DynamoDB Query it sends, p50', value: q.p50 },
        }),
        figure({
          id: `api.c${c}.p99Ms`,
          section: 'api',
          name: `getAirQualityData p99, concurrency ${c}`,
          value: a.p99,
          unit: 'ms',
          better: 'lower',
          floor: { name: 'the raw DynamoDB Query it sends, p99', value: q.p99 },
        }),
        figure({
          id: `api.c${c}.reqPerSec`,
          section: 'api',
          name: `getAirQualityData throughput, concurrency ${c}`,
          value: a.rps,
          unit: 'req/s',
          better: 'higher',
          floor: { name: 'the raw DynamoDB Query it sends', value: q.rps },
        }),
      );
    }
    return {
      figures,
      api,
      query: raw,
      perQuery: { lambdaMs, readUnits: consumed.ConsumedCapacity?.CapacityUnits ?? 0, items },
      notes: [
        `API: getAirQualityData(suburb: "${suburb}") answering ${items} readings (all the station's loaded hours), ` +
          `${options.requests} requests per level after ${options.warmup} warm-up; HTTP -> local GraphQL server -> resolver worker -> dynalite. ` +
          `The resolver's own time (its worker, concurrency 1) is ${lambdaMs.toFixed(1)} ms at the median; its Query reads ${consumed.ConsumedCapacity?.CapacityUnits ?? 0} read units.`,
      ],
    };
  } finally {
    dynamo.destroy();
  }
}
