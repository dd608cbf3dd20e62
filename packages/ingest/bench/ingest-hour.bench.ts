/**
 * How long one hour takes to go from the (local, fake) NSW API into (local) S3 through the real
 * handler: a scheduled run per hour, each writing a new object, then a few backfills of past hours.
 * Prints figures; asserts nothing.
 *
 *   pnpm --filter @opendata-pulse/ingest bench            # 20 runs
 *   RUNS=50 BACKFILL_RUNS=10 STATIONS=100 pnpm --filter @opendata-pulse/ingest bench
 */
import { performance } from 'node:perf_hooks';
import { ensureResources, startLocalAws } from '@opendata-pulse/local/aws';
import { startFakeNsw, syntheticStations } from '@opendata-pulse/local/nsw';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { toHourIso } from '@opendata-pulse/shared/time';
import type { Context } from 'aws-lambda';
import { createIngestHandler } from '../src/handler';
import type { IngestResult } from '../src/use-cases/ingest-hour.use-case';

const RUNS = Number(process.env.RUNS ?? 20);
const STATIONS = process.env.STATIONS ? Number(process.env.STATIONS) : undefined;
const START = Date.UTC(2026, 9, 1, 0, 5);
const HOUR = 3_600_000;
const BACKFILL_RUNS = Number(process.env.BACKFILL_RUNS ?? 5);

function summary(values: number[], fmt: (ms: number) => string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? (sorted[(n - 1) / 2] ?? 0) : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2;
  const p90 = sorted[Math.min(n - 1, Math.floor(0.9 * n))] ?? 0;
  return `median ${fmt(median)}  min ${fmt(sorted[0] ?? 0)}  p90 ${fmt(p90)}  max ${fmt(sorted.at(-1) ?? 0)}`;
}

// s3rver accepts only its own key pair; metrics would print an EMF line per run.
process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const local = await startLocalAws();
const nsw = await startFakeNsw({
  now: () => START,
  ...(STATIONS ? { stations: syntheticStations(STATIONS) } : {}),
});
try {
  const resources = await ensureResources(local, `bench${Date.now()}`);
  const handler = createIngestHandler({
    env: () => ({
      AWS_REGION: local.region,
      AWS_ENDPOINT_URL_S3: local.endpoints.s3,
      S3_BUCKET: resources.rawBucket,
      NSW_API_ENDPOINT: nsw.endpoint,
      NSW_SOURCE_LABEL: 'sample',
      LOG_LEVEL: 'SILENT',
    }),
  });
  const event = { source: 'aws.events', 'detail-type': 'Scheduled Event' };

  async function timed(hour: number, backfill = false) {
    nsw.setNow(() => START + hour * HOUR);
    const started = performance.now();
    const payload = backfill ? { backfill: true, timestamp: toHourIso(START - hour * HOUR) } : event;
    const result = (await handler(payload, {} as Context)) as IngestResult;
    const ms = performance.now() - started;
    if (result.status !== 'written') throw new Error(`run ${hour} did not write: ${JSON.stringify(result)}`);
    return { ms, records: result.recordCount };
  }

  // The first run is a cold start, fills the earlier hours (catch-up) and stores the reference
  // lists: reported on its own.
  const first = await timed(0);
  const samples: number[] = [];
  let records = 0;
  for (let i = 1; i <= RUNS; i++) {
    const { ms, records: n } = await timed(i);
    samples.push(ms);
    records = n;
  }
  // A backfill asks for the hour's whole local day (24x the rows) and stores it under the hour.
  const backfills: number[] = [];
  let dayRecords = 0;
  for (let i = 1; i <= BACKFILL_RUNS; i++) {
    const { ms, records: n } = await timed(i * 24, true);
    backfills.push(ms);
    dayRecords = n;
  }
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const lines = [
    `ingest one hour, fake NSW -> s3rver, ${records} observations per hour, ${RUNS} warm runs`,
    `  first (cold start; also catches up earlier hours and stores the reference lists): ${fmt(first.ms)}`,
    `  scheduled: ${summary(samples, fmt)}`,
    `  backfill (${dayRecords} observations, ${BACKFILL_RUNS} runs): ${summary(backfills, fmt)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await nsw.close();
  await local.stop();
}
