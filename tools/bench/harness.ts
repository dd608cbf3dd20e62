/**
 * One run of every benchmark, in an order that keeps them from disturbing each other: bundles and
 * cold imports (CPU only), the pure ETL transform, the local stack's start-up and the pulse CLI, then the local stack twice — once plain (ETL
 * end to end and the API's latency), once with counting proxies (backfill and the steady-state
 * sample the cost table prices).
 */

import { LOCAL_FUNCTION_SPECS } from '@opendata-pulse/local/lambda';
import { type BenchSize, describeSize } from './config';
import { costReport, type FunctionSizing } from './cost/cost-model';
import { startStackSession } from './local-stack-session';
import { machineInfo } from './machine';
import type { BenchReport, Figure } from './report';
import { measureApiLatency } from './scenarios/api-latency';
import { measureBackfill } from './scenarios/backfill';
import { type FunctionBundle, measureBundles } from './scenarios/bundles';
import { measureCli } from './scenarios/cli';
import { measureEtlEndToEnd } from './scenarios/etl-end-to-end';
import { measureEtlTransform } from './scenarios/etl-transform';
import { measureLocalStartup } from './scenarios/local-startup';
import { measureWebDashboard } from './scenarios/web-dashboard';

export type Log = (line: string) => void;

function sizing(
  bundles: readonly FunctionBundle[],
  fn: 'ingest' | 'etl' | 'api',
): FunctionSizing & { assumed: boolean } {
  const b = bundles.find((x) => x.function === fn);
  if (b && !b.memoryAssumed) return { memoryMb: b.memoryMb, architecture: b.architecture, assumed: false };
  const local = LOCAL_FUNCTION_SPECS.find((s) => s.key === fn);
  return { memoryMb: local?.memoryMb ?? 256, architecture: b?.architecture ?? 'arm64', assumed: true };
}

/** Why a figure sits where it does above its floor, from what the run measured. */
function causeOf(
  f: Figure,
  context: { bundles: FunctionBundle[]; writeRequestsPerStationHour: number; readsPerStationHour: number },
): string {
  if (f.id.startsWith('bundle.') && f.id.endsWith('.sizeKb')) {
    const b = context.bundles.find((x) => f.id === `bundle.${x.function}.sizeKb`);
    return `the bundled AWS SDK is ${((b?.sdkShare ?? 0) * 100).toFixed(0)}% of the bundle`;
  }
  if (f.id.endsWith('externalSdkImportMs')) {
    return 'with the SDK left out, Node loads it from node_modules file by file (hundreds of small modules, and every client shared/aws names, used or not) instead of one pre-linked file';
  }
  if (f.id.startsWith('bundle.')) {
    return "importing runs every module's top-level code (SDK client classes and schemas, zod schemas, Powertools) on top of parsing it, and compiles again each lazily wrapped module it initialises (see each bundle's composition below)";
  }
  if (f.id.startsWith('etl.transform')) {
    return 'each observation is validated by zod (envelope and NSW schemas), the body is hashed (sha256) to check the envelope, and each reading is normalised (UTC hour via Intl, units, AQC categories); Parquet encoding adds a columnar pass';
  }
  if (f.id === 'web.bundleGzipKb') {
    return "Leaflet and uPlot are most of the bundle; the rest is the dashboard's own code, the NSW outline and the CSS";
  }
  if (f.id.startsWith('web.')) {
    return 'after the data arrives the browser still parses and runs the bundle, lays out the page, draws the markers (or builds the panel and draws two uPlot charts per pollutant) on the same two cores as the stack';
  }
  if (f.id.startsWith('cli.')) {
    return 'pnpm starts node for the script, which loads the prebuilt CLI chunk by chunk; health --local also loads the AWS SDK clients and makes one round of requests to the local servers';
  }
  if (f.id.startsWith('local.')) {
    return 'the stack starts a second process for dynalite, s3rver and local-aws-sqs, one worker thread per function with its own copy of its bundle (SDK included), and graphql-yoga before the first answer';
  }
  if (f.id.startsWith('api.')) {
    return "the local server (graphql-yoga over graphql-js) completes and serialises about 2,300 fields per answer (48 readings and their measurements), each checked against its auth directives, on the thread the bench's client also runs on; the answer crosses to and from the resolver's worker thread as JSON (69 KB, stringified there and parsed back), and the worker's own work beyond the Query is mapping and that serialisation — all on the same two cores as dynalite";
  }
  if (f.id === 'backfill.tableMb' || f.id === 'backfill.tableYearMb') {
    return "every reading is its own DynamoDB item (attribute names and the station's names repeated per item, rolling averages at full precision, 100 bytes of overhead); Parquet stores the same readings columnar and compressed";
  }
  return (
    `readings go in BatchWriteItem, but per station and batch the ETL still reads its stored ±24 h window (a Query of up to 49 full readings) and reads it back as fetch times (a projected Query), and writes the daily summary and the latest reading with PutItems conditional on derivedVersion ` +
    `(${context.writeRequestsPerStationHour.toFixed(2)} write requests and ${context.readsPerStationHour.toFixed(2)} reads per station-hour); with small batches (the local stack's poller hands the ETL a few hours at a time) those per-station requests dominate, each a round trip to dynalite, which answers one at a time`
  );
}

export async function runBench(size: BenchSize, log: Log): Promise<BenchReport> {
  const started = new Date();
  const t0 = performance.now();
  const figures: Figure[] = [];
  const notes: string[] = [];
  const step = (what: string) => log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${what}`);

  step('1/6 bundles and cold imports');
  const bundles = await measureBundles({
    services: size.services,
    importRuns: size.importRuns,
    packageWithSls: size.packageWithSls,
    log: (l) => step(`    ${l}`),
  });
  figures.push(...bundles.figures);
  const packagingBundlesSdk = bundles.bundles.every((b) => b.sdkBundled);
  notes.push(
    `Cold start: median of ${size.importRuns} fresh \`node\` processes per variant, interleaved, minus an empty process; Node ${process.version} here, nodejs24.x on Lambda. ` +
      `The packaging ${packagingBundlesSdk ? 'BUNDLES the AWS SDK' : 'leaves the AWS SDK to the runtime'} (serverless.yml custom.esbuild \`exclude: []\`): ` +
      'workspace packages are TypeScript source and everything is bundled so nothing is installed at deploy, the SDK version is the one tested, and tree-shaking keeps only the clients a function uses. ' +
      `Measured here: ${bundles.bundles
        .map(
          (b) =>
            `${b.function} ${b.sizeKb.toFixed(0)} KB / ${b.importMs.toFixed(0)} ms bundled vs ${b.externalSdkSizeKb.toFixed(0)} KB / ${b.externalSdkImportMs.toFixed(0)} ms with the SDK from node_modules`,
        )
        .join('; ')} — the bundle is bigger but starts faster, so the packaging's choice stands.`,
    ...bundles.notes,
  );

  step('2/6 ETL pure transform');
  const transform = measureEtlTransform({
    stations: size.transform.stations,
    hours: size.transform.hours,
    firstHour: Date.parse('2026-01-01T00:00:00Z'),
  });
  figures.push(...transform.figures);
  notes.push(...transform.notes);

  step('3/6 local stack start-up, then the pulse CLI');
  const startup = await measureLocalStartup({ runs: size.localStartupRuns, backfillHours: size.localBackfillHours });
  figures.push(...startup.figures);
  notes.push(...startup.notes);
  const cli = await measureCli({ runs: size.cliRuns });
  figures.push(...cli.figures);
  notes.push(...cli.notes);

  step('4/6 local stack: ETL end to end, the API, then the dashboard');
  const plain = await startStackSession({ source: 'sample', graphql: true });
  let endToEnd: Awaited<ReturnType<typeof measureEtlEndToEnd>>;
  let api: Awaited<ReturnType<typeof measureApiLatency>>;
  try {
    endToEnd = await measureEtlEndToEnd(plain, {
      stations: size.endToEnd.stations,
      hours: size.endToEnd.hours,
      putConcurrency: 8,
      floorConcurrency: 4,
      drainTimeoutMs: size.drainTimeoutMs,
    });
    figures.push(...endToEnd.figures);
    notes.push(...endToEnd.notes);
    step('    API latency');
    api = await measureApiLatency(plain, endToEnd.sample, endToEnd.hours.length, size.api);
    figures.push(...api.figures);
    notes.push(...api.notes);
    step('    dashboard in Chromium');
    const web = await measureWebDashboard(plain, { ...size.web, drainTimeoutMs: size.drainTimeoutMs });
    figures.push(...web.figures);
    notes.push(...web.notes);
  } finally {
    await plain.stop();
  }

  step('5/6 local stack with counting proxies: backfill and steady state');
  const backfill = await measureBackfill({
    stations: size.backfill.stations,
    hours: size.backfill.hours,
    steadyHours: size.backfill.steadyHours,
    drainTimeoutMs: size.drainTimeoutMs,
    floorRate: endToEnd.floorRate,
  });
  figures.push(...backfill.figures);
  notes.push(...backfill.notes);

  notes.push(
    'Machine load: dynalite, s3rver, the handlers, the fake NSW server and the bench share the same cores, and anything else running on the machine moves the absolute figures (2x between runs is common on a busy 2-core box); the ratios to floors measured in the same run move much less.',
    "Not measured: AppSync itself (the local GraphQL server stands in for it: its latency is not AppSync's), Lambda cold starts on AWS (the import time is the part the bundle controls), real DynamoDB/S3 latency, and the health-check Lambda's running cost.",
  );

  step('6/6 cost');
  const ingest = sizing(bundles.bundles, 'ingest');
  const etl = sizing(bundles.bundles, 'etl');
  const apiFn = sizing(bundles.bundles, 'api');
  // A backfill stores whole local days, so the table holds more hours than were asked for.
  const { storedStationHours } = backfill;
  const cost = costReport({
    stations: size.backfill.stations,
    steady: backfill.steady,
    rawBucket: backfill.rawBucket,
    curatedBucket: backfill.curatedBucket,
    tableBytesPerStationHour: backfill.table.bytes / storedStationHours,
    functions: { ingest, etl, api: apiFn },
    apiQuery: { lambdaMs: api.perQuery.lambdaMs, readUnits: api.perQuery.readUnits },
    floorWriteUnitsPerHour: (backfill.table.writeUnitsIfWrittenOnce / storedStationHours) * size.backfill.stations,
  });
  for (const [name, f] of Object.entries({ ingest, etl, api: apiFn })) {
    if (f.assumed)
      notes.push(
        `Cost: ${name} memory ${f.memoryMb} MB taken from the local stack (no packaged config measured in this run).`,
      );
  }
  figures.push(
    {
      id: 'cost.monthUsd',
      section: 'cost',
      name: `AWS per month, pipeline, ${size.backfill.stations} stations (docs/cost.md)`,
      value: cost.monthUsd,
      unit: 'USD',
      better: 'lower',
      floor: { name: 'same month, DynamoDB writes at one per stored item', value: cost.monthFloorUsd },
      ratio: cost.monthUsd / cost.monthFloorUsd,
    },
    {
      id: 'cost.perMillionQueriesUsd',
      section: 'cost',
      name: 'AWS per million getAirQualityData queries',
      value: cost.perMillionQueriesUsd,
      unit: 'USD',
      better: 'lower',
      floor: { name: "AppSync's own charge per million queries", value: cost.perMillionQueries[0]?.usd ?? 0 },
      ratio: cost.perMillionQueriesUsd / (cost.perMillionQueries[0]?.usd ?? 1),
    },
  );

  const b = backfill.backfill;
  const writeRequests = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].reduce(
    (n, op) => n + (b.tally.requests.get(op) ?? 0),
    0,
  );
  const reads = ['Query', 'GetItem', 'BatchGetItem'].reduce((n, op) => n + (b.tally.requests.get(op) ?? 0), 0);
  const context = {
    bundles: bundles.bundles,
    writeRequestsPerStationHour: writeRequests / b.stationHours,
    readsPerStationHour: reads / b.stationHours,
  };
  const ranked = figures
    .filter((f) => f.ratio !== undefined && Number.isFinite(f.ratio))
    .sort((x, y) => (y.ratio ?? 0) - (x.ratio ?? 0))
    .map((f) => ({ id: f.id, name: f.name, ratio: f.ratio ?? 0, cause: causeOf(f, context) }));
  // The largest few, one per cause.
  const topOverheads = ranked.filter((o, i) => ranked.findIndex((x) => x.cause === o.cause) === i).slice(0, 3);
  const finished = new Date();
  return {
    version: 1,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    machine: machineInfo(),
    size: describeSize(size),
    figures,
    notes,
    cost,
    topOverheads,
    ...(ranked[0] ? { largestOverhead: ranked[0] } : {}),
  };
}
