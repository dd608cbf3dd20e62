/**
 * Issue 14's queries on the local stack (HTTP -> local GraphQL server -> the resolver worker ->
 * dynalite / s3rver), resolver cache off as in every API row:
 * - `nearestStations` p50 beside `listStations` p50, over the same station directory (`stations`
 *   synthetic stations with coordinates), each after a warm-up, the two alternating per round;
 * - one 366-day `exportAirQualityData` for one station whose year of hourly readings is seeded
 *   straight into dynalite with the ETL's own transform and shared's item mappers: wall time of the
 *   call, the function's own time, rows, and the size of the CSV downloaded from its pre-signed URL.
 */
import { transformRawHour } from '@opendata-pulse/etl/hour-readings';
import { stationDirectory } from '@opendata-pulse/etl/station-directory';
import { batchWriteAll } from '@opendata-pulse/shared/dynamo';
import { latestToItem, readingToItem, stationToItem } from '@opendata-pulse/shared/keys';
import { stationFromSite } from '@opendata-pulse/shared/model';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import type { StackSession } from '../local-stack-session';
import { BENCH_API_KEY } from '../local-stack-session';
import { median, percentile } from '../stats';
import { sampleHours, TIME_ZONE } from './sample-hours';

export interface ApiAdditionsOptions {
  stations: number;
  /** queries per operation, after `warmup` each */
  queries: number;
  warmup: number;
  exportDays: number;
}

export interface ApiAdditionsResult {
  listStations: { p50: number; p90: number };
  nearestStations: { p50: number; p90: number };
  export: {
    days: number;
    seededReadings: number;
    seedSeconds: number;
    wallMs: number;
    functionMs: number;
    rows: number;
    csvBytes: number;
    downloadMs: number;
  };
}

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 300)}`);
  return json.data ?? {};
}

const LIST = 'query { listStations { siteId name suburb region latitude longitude } }';
const NEAREST = `query($lat: Float!, $lon: Float!) {
  nearestStations(latitude: $lat, longitude: $lon) { distanceKm station { siteId name suburb region latitude longitude } } }`;
const EXPORT = `query($s: String!, $from: AWSDateTime!, $to: AWSDateTime!) {
  exportAirQualityData(suburb: $s, from: $from, to: $to) { url expiresAt rows } }`;

export async function measureApiAdditions(
  session: StackSession,
  options: ApiAdditionsOptions,
): Promise<ApiAdditionsResult> {
  const { stack } = session;
  const url = stack.endpoints.graphql.url;
  const table = stack.resources.table;
  const { dynamo } = stack.localAws.clients();
  try {
    // The directory: every station with coordinates, each with a latest item.
    const directory = sampleHours(options.stations);
    const stations = directory.sites.map(stationFromSite);
    await batchWriteAll(
      dynamo,
      table,
      stations.map((s) => ({ PutRequest: { Item: stationToItem(s) } })),
    );

    // A year of hourly readings for the first station, as the ETL builds them.
    const one = sampleHours(1);
    const site = one.sites[0];
    if (!site) throw new Error('no sample site');
    const siteDirectory = stationDirectory(one.sites, '2026-01-01T00:00:00.000Z');
    const to = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const from = to - options.exportDays * DAY_MS;
    const seedStart = performance.now();
    let seeded = 0;
    let newest: ReturnType<typeof transformRawHour>['readings'][number] | undefined;
    for (let day = from; day < to; day += DAY_MS) {
      const items = [];
      for (let h = day; h < Math.min(day + DAY_MS, to); h += HOUR_MS) {
        const hour = transformRawHour({
          observations: one.observations(h),
          hourStart: h,
          timeZone: TIME_ZONE,
          stations: siteDirectory,
          source: { rawKey: 'bench', fetchedAt: new Date(h + HOUR_MS + 300_000).toISOString() },
        });
        for (const r of hour.readings) {
          items.push({ PutRequest: { Item: readingToItem(r) } });
          newest = r;
          seeded++;
        }
      }
      await batchWriteAll(dynamo, table, items);
    }
    if (newest) await batchWriteAll(dynamo, table, [{ PutRequest: { Item: latestToItem(newest) } }]);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    // nearestStations beside listStations: warm-up, then alternate one of each per round.
    const points = Array.from({ length: options.queries + options.warmup }, (_, i) => ({
      lat: -33.5 - (i % 10) / 10 + 0.013 * (i % 3),
      lon: 150.5 + (i % 7) / 10 + 0.017 * (i % 5),
    }));
    const times = { list: [] as number[], nearest: [] as number[] };
    for (const [i, p] of points.entries()) {
      const t0 = performance.now();
      const listed = (await gql(url, LIST, {})).listStations as unknown[];
      const t1 = performance.now();
      const near = (await gql(url, NEAREST, p)).nearestStations as unknown[];
      const t2 = performance.now();
      if (listed.length < options.stations || near.length !== 5) {
        throw new Error(`listStations answered ${listed.length}, nearestStations ${near.length}`);
      }
      if (i >= options.warmup) {
        times.list.push(t1 - t0);
        times.nearest.push(t2 - t1);
      }
    }

    // One export of the whole seeded range.
    const suburb = stationFromSite(site).suburb;
    const before = session.invocations.length;
    const e0 = performance.now();
    const answer = (
      await gql(url, EXPORT, { s: suburb, from: new Date(from).toISOString(), to: new Date(to).toISOString() })
    ).exportAirQualityData as { url: string; rows: number };
    const wallMs = performance.now() - e0;
    const functionMs = median(
      session.invocations
        .slice(before)
        .filter((i) => i.key === 'api')
        .map((i) => i.durationMs),
    );
    const d0 = performance.now();
    const csv = Buffer.from(await (await fetch(answer.url)).arrayBuffer());
    const downloadMs = performance.now() - d0;
    const lines = csv
      .toString('utf8')
      .split('\r\n')
      .filter((l) => l !== '').length;
    if (lines !== answer.rows + 1) throw new Error(`the CSV holds ${lines - 1} rows, the answer says ${answer.rows}`);

    return {
      listStations: { p50: percentile(times.list, 0.5), p90: percentile(times.list, 0.9) },
      nearestStations: { p50: percentile(times.nearest, 0.5), p90: percentile(times.nearest, 0.9) },
      export: {
        days: options.exportDays,
        seededReadings: seeded,
        seedSeconds,
        wallMs,
        functionMs,
        rows: answer.rows,
        csvBytes: csv.length,
        downloadMs,
      },
    };
  } finally {
    dynamo.destroy();
  }
}
