/**
 * The monthly AWS cost of running the pipeline for the measured number of stations, from the
 * request counts and invocation times the bench measured on the local stack, priced with the
 * published Sydney prices (prices.ts). Also the cost of a million getAirQualityData queries.
 * Rendered as docs/cost.md by every full `pnpm bench`.
 */
import { bytesOf, type RequestTally, requestsOf } from '../counting-proxy';
import type { Invocation } from '../local-stack-session';
import { sum } from '../stats';
import { PRICE_REGION, PRICES, PRICES_AS_OF, type PriceName } from './prices';

/** A 30-day month of hourly runs. */
export const MONTH_HOURS = 720;
/** A 365-day year of stored hours: the unit the table's storage grows by, per station. */
export const YEAR_HOURS = 8760;
/** Years of history the storage growth table shows. */
const HISTORY_YEARS = [1, 5, 10] as const;
const GIB = 1024 ** 3;
/** Documented ESM behaviour, not measured: five pollers long-polling (20 s) an idle queue. */
const ESM_IDLE_RECEIVES_PER_MONTH = 5 * 3 * 60 * MONTH_HOURS;

export interface FunctionSizing {
  memoryMb: number;
  architecture: string;
}

export interface CostInputs {
  stations: number;
  /** the steady-state sample: hours processed one at a time */
  steady: { hours: number; tally: RequestTally; invocations: Invocation[]; gsiWriteUnits: number };
  rawBucket: string;
  curatedBucket: string;
  /** table bytes (items, their GeographicIndex copies, 100 bytes of overhead each) per stored station-hour */
  tableBytesPerStationHour: number;
  functions: { ingest: FunctionSizing; etl: FunctionSizing; api: FunctionSizing };
  /** one getAirQualityData: the resolver's time and its Query's read units */
  apiQuery: { lambdaMs: number; readUnits: number };
  /** the month with every stored item written once (BatchWriteItem): write units per hour */
  floorWriteUnitsPerHour: number;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  price: PriceName;
  usd: number;
  basis: string;
}

/**
 * What keeping history costs. No item expires (every hour the raw zone holds is served), so the
 * table grows by one station-year per station per year and its storage bill grows with it.
 */
export interface StationYearStorage {
  bytesPerStationHour: number;
  /** bytesPerStationHour x YEAR_HOURS, in GB (2^30 bytes, as DynamoDB bills) */
  gbPerStationYear: number;
  /** keeping one station-year stored for a month */
  usdPerMonth: number;
  /** keeping one station-year stored for a year */
  usdPerYear: number;
  /** the measured number of stations after this many years of history */
  growth: { years: number; gb: number; usdPerMonth: number }[];
}

export interface CostReport {
  region: string;
  pricesAsOf: string;
  stations: number;
  monthHours: number;
  month: CostLine[];
  monthUsd: number;
  /** the same month if DynamoDB writes were each stored item written once */
  monthFloorUsd: number;
  perMillionQueries: CostLine[];
  perMillionQueriesUsd: number;
  storagePerStationYear: StationYearStorage;
  assumptions: string[];
}

export function stationYearStorage(bytesPerStationHour: number, stations: number): StationYearStorage {
  const gbPerStationYear = (bytesPerStationHour * YEAR_HOURS) / GIB;
  const usdPerMonth = gbPerStationYear * PRICES.dynamoStorageGbMonth.usd;
  return {
    bytesPerStationHour,
    gbPerStationYear,
    usdPerMonth,
    usdPerYear: usdPerMonth * 12,
    growth: HISTORY_YEARS.map((years) => ({
      years,
      gb: gbPerStationYear * stations * years,
      usdPerMonth: usdPerMonth * stations * years,
    })),
  };
}

const line = (item: string, quantity: number, unit: string, price: PriceName, basis: string): CostLine => ({
  item,
  quantity,
  unit,
  price,
  usd: quantity * PRICES[price].usd,
  basis,
});

const gbSecondPrice = (f: FunctionSizing): PriceName =>
  f.architecture === 'arm64' ? 'lambdaGbSecondArm' : 'lambdaGbSecondX86';

export function costReport(input: CostInputs): CostReport {
  const { steady } = input;
  const perHour = (n: number) => n / steady.hours;
  const month = (n: number) => perHour(n) * MONTH_HOURS;
  const inv = (key: Invocation['key']) => steady.invocations.filter((i) => i.key === key);
  const gbSeconds = (list: Invocation[], f: FunctionSizing) =>
    (sum(list.map((i) => Math.ceil(i.durationMs))) / 1000) * (f.memoryMb / 1024);
  const t = steady.tally;
  const rawObjects = requestsOf(t, 'PutObject', input.rawBucket);
  const etlInvocations = inv('etl').length;
  const s3Puts =
    requestsOf(t, 'PutObject') +
    requestsOf(t, 'CopyObject') +
    requestsOf(t, 'ListObjects') +
    requestsOf(t, 'PostObject');
  const s3Gets = requestsOf(t, 'GetObject') + requestsOf(t, 'HeadObject');
  const s3Bytes = bytesOf(t, 'PutObject');
  const handlerSqs = [...t.requests]
    .filter(([k]) => !k.includes(' ') && /Message|Queue/.test(k))
    .reduce((n, [, c]) => n + c, 0);
  const writeUnits = t.dynamo.writeUnits + steady.gsiWriteUnits;
  const storageAddedGb = (input.tableBytesPerStationHour * input.stations * MONTH_HOURS) / GIB;

  const monthLines: CostLine[] = [
    line(
      'Lambda requests (ingest + ETL)',
      month(inv('ingest').length + etlInvocations),
      'requests',
      'lambdaRequest',
      `${perHour(inv('ingest').length).toFixed(2)} ingest + ${perHour(etlInvocations).toFixed(2)} ETL invocations per hour, measured`,
    ),
    line(
      `Lambda ingest duration (${input.functions.ingest.memoryMb} MB ${input.functions.ingest.architecture})`,
      month(gbSeconds(inv('ingest'), input.functions.ingest)),
      'GB-s',
      gbSecondPrice(input.functions.ingest),
      `${perHour(sum(inv('ingest').map((i) => i.durationMs))).toFixed(0)} ms per hour, measured locally`,
    ),
    line(
      `Lambda ETL duration (${input.functions.etl.memoryMb} MB ${input.functions.etl.architecture})`,
      month(gbSeconds(inv('etl'), input.functions.etl)),
      'GB-s',
      gbSecondPrice(input.functions.etl),
      `${perHour(sum(inv('etl').map((i) => i.durationMs))).toFixed(0)} ms per hour, measured locally`,
    ),
    line(
      'DynamoDB writes (table + GeographicIndex)',
      month(writeUnits),
      'WRU',
      'dynamoWriteUnit',
      `${perHour(writeUnits).toFixed(0)} WRU per hour: ${perHour(t.dynamo.writeUnits).toFixed(0)} table (as dynalite sized them) + ${perHour(steady.gsiWriteUnits).toFixed(0)} index, ` +
        `${perHour(t.dynamo.failedConditionalWrites).toFixed(1)} failed conditional writes at 1 WRU`,
    ),
    line(
      'DynamoDB reads',
      month(t.dynamo.readUnits),
      'RRU',
      'dynamoReadUnit',
      `${perHour(t.dynamo.readUnits).toFixed(0)} RRU per hour (${perHour(requestsOf(t, 'Query')).toFixed(0)} Query, ${perHour(requestsOf(t, 'BatchGetItem') + requestsOf(t, 'GetItem')).toFixed(1)} Get/BatchGet)`,
    ),
    line(
      'DynamoDB storage added in a month',
      storageAddedGb,
      'GB-month',
      'dynamoStorageGbMonth',
      `table + index, ${(input.tableBytesPerStationHour / 1024).toFixed(2)} KB per station-hour measured; nothing expires, so every month adds this for good (see storage per station-year)`,
    ),
    line(
      'S3 PUT/LIST requests (raw, curated, reference)',
      month(s3Puts),
      'requests',
      's3PutRequest',
      `${perHour(s3Puts).toFixed(1)} per hour, measured`,
    ),
    line(
      'S3 GET/HEAD requests',
      month(s3Gets),
      'requests',
      's3GetRequest',
      `${perHour(s3Gets).toFixed(1)} per hour, measured`,
    ),
    line(
      'S3 storage added in a month',
      month(s3Bytes) / 1024 ** 3,
      'GB-month',
      's3StorageGbMonth',
      `${(perHour(s3Bytes) / 1024).toFixed(0)} KB written per hour (raw + curated), held a month`,
    ),
    line(
      'SQS requests for the pipeline',
      month(rawObjects + 2 * etlInvocations + handlerSqs),
      'requests',
      'sqsRequest',
      `per raw object 1 SendMessage (EventBridge), per ETL batch 1 ReceiveMessage + 1 DeleteMessageBatch${handlerSqs ? `, ${perHour(handlerSqs).toFixed(1)} by the handlers` : ''}`,
    ),
    line(
      'SQS idle polling by the event source mapping (assumed)',
      ESM_IDLE_RECEIVES_PER_MONTH,
      'requests',
      'sqsRequest',
      'not measured: 5 pollers x 3 long polls a minute, as AWS documents the SQS event source mapping',
    ),
  ];
  const monthUsd = sum(monthLines.map((l) => l.usd));
  const writeLine = monthLines[3] as CostLine;
  const floorWrites = input.floorWriteUnitsPerHour * MONTH_HOURS * PRICES.dynamoWriteUnit.usd;

  const million = 1e6;
  const apiLines: CostLine[] = [
    line('AppSync queries', million, 'queries', 'appsyncQuery', 'one getAirQualityData each, no cache hit'),
    line(
      'Lambda requests (resolver)',
      million,
      'requests',
      'lambdaRequest',
      'one direct Lambda resolver call per query',
    ),
    line(
      `Lambda resolver duration (${input.functions.api.memoryMb} MB ${input.functions.api.architecture})`,
      (Math.ceil(input.apiQuery.lambdaMs) / 1000) * (input.functions.api.memoryMb / 1024) * million,
      'GB-s',
      gbSecondPrice(input.functions.api),
      `${input.apiQuery.lambdaMs.toFixed(1)} ms per query (local median, concurrency 1)`,
    ),
    line(
      'DynamoDB reads (the Query)',
      input.apiQuery.readUnits * million,
      'RRU',
      'dynamoReadUnit',
      `${input.apiQuery.readUnits} RRU per query, as dynalite sized it`,
    ),
  ];
  return {
    region: PRICE_REGION,
    pricesAsOf: PRICES_AS_OF,
    stations: input.stations,
    monthHours: MONTH_HOURS,
    month: monthLines,
    monthUsd,
    monthFloorUsd: monthUsd - writeLine.usd + floorWrites,
    perMillionQueries: apiLines,
    perMillionQueriesUsd: sum(apiLines.map((l) => l.usd)),
    storagePerStationYear: stationYearStorage(input.tableBytesPerStationHour, input.stations),
    assumptions: [
      `Counts come from a steady-state sample of ${steady.hours} hour(s) on the local stack (each raw hour alone through the ETL, as the hourly schedule runs), scaled to ${MONTH_HOURS} hours.`,
      "The steady-state sample ingests through the scheduled path: each hour's NSW snapshot, stored as the hour's own raw object.",
      'Lambda GB-s use local wall time. A Lambda below 1,769 MB gets a fraction of a vCPU, so CPU-bound work (the ETL parse and transform) runs longer there: read these as lower bounds.',
      'Not included: the health-check Lambda (every 5 minutes, not measured), CloudWatch logs, metrics and alarms, the AppSync cache (an hourly instance charge when enabled), data transfer, DynamoDB point-in-time recovery, free tiers.',
      'S3 events reach EventBridge and the hourly schedule runs at no charge (AWS service events on the default bus and scheduled rules are free).',
    ],
  };
}

const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
const qty = (n: number) =>
  n >= 1000 ? Math.round(n).toLocaleString('en-AU') : n >= 1 ? n.toFixed(1) : n.toPrecision(2);

function table(lines: readonly CostLine[]): string[] {
  return [
    '| item | quantity | unit price | cost (USD) | basis |',
    '|---|---:|---|---:|---|',
    ...lines.map(
      (l) => `| ${l.item} | ${qty(l.quantity)} ${l.unit} | ${PRICES[l.price].listed} | ${usd(l.usd)} | ${l.basis} |`,
    ),
  ];
}

/** What history costs to keep, with the arithmetic written out so a reader can redo it. */
function storageSection(cost: CostReport): string[] {
  const s = cost.storagePerStationYear;
  const price = PRICES.dynamoStorageGbMonth;
  const bytes = Math.round(s.bytesPerStationHour).toLocaleString('en-AU');
  const gb = s.gbPerStationYear.toFixed(4);
  return [
    '## Storage per station-year',
    '',
    'Nothing in the table expires: every hour the raw zone holds is served, whatever its age, so each station adds a station-year of items every year and the storage bill grows with the history kept.',
    '',
    `- Measured: ${bytes} bytes per station-hour, the bench's backfill table (readings, latest, daily, region-hour and station items with DynamoDB's 100 bytes of overhead each, plus their GeographicIndex copies) divided by the station-hours it holds.`,
    `- One station-year: ${bytes} bytes x ${YEAR_HOURS.toLocaleString('en-AU')} hours / 1024³ = ${gb} GB.`,
    `- Priced at DynamoDB standard storage, ${price.listed}: ${gb} GB x $${price.usd} = ${usd(s.usdPerMonth)} a month to keep one station-year, ${usd(s.usdPerYear)} a year.`,
    '',
    '| history kept | table + index | storage per month |',
    '|---|---:|---:|',
    ...s.growth.map(
      (g) =>
        `| ${g.years} year${g.years === 1 ? '' : 's'} x ${cost.stations} stations | ${g.gb.toFixed(2)} GB | ${usd(g.usdPerMonth)} |`,
    ),
    '',
    "Ignored, as in the month above: the first 25 GB of an account's DynamoDB storage are free, and point-in-time recovery (billed on the table's size) comes on top.",
    '',
  ];
}

/** docs/cost.md, regenerated by `pnpm bench`. */
export function renderCostMarkdown(
  cost: CostReport,
  context: { generatedAt: string; machine: string; command: string },
): string {
  const sources = [...new Set([...cost.month, ...cost.perMillionQueries].map((l) => l.price))].map(
    (p) => `- ${PRICES[p].per}: ${PRICES[p].listed} — ${PRICES[p].source}`,
  );
  return [
    '# What OpenData Pulse costs on AWS',
    '',
    `Generated by \`${context.command}\` on ${context.generatedAt} (${context.machine}) — do not edit by hand; run the bench again.`,
    `Region ${cost.region}, on-demand prices in USD as recorded in \`tools/bench/cost/prices.ts\` on ${cost.pricesAsOf} (not re-checked online by the run: verify before quoting).`,
    '',
    `## A month of the pipeline, ${cost.stations} stations, ${cost.monthHours} hourly runs`,
    '',
    ...table(cost.month),
    `| **total** | | | **${usd(cost.monthUsd)}** | |`,
    '',
    `Floor: the same month with DynamoDB writes at one write per stored item (what BatchWriteItem of the final items would cost) comes to ${usd(cost.monthFloorUsd)}.`,
    '',
    ...storageSection(cost),
    '## A million getAirQualityData queries',
    '',
    ...table(cost.perMillionQueries),
    `| **total** | | | **${usd(cost.perMillionQueriesUsd)}** | |`,
    '',
    '## How the quantities were measured',
    '',
    ...cost.assumptions.map((a) => `- ${a}`),
    "- Requests were counted by proxies between the handlers and the local servers (dynalite, s3rver, local SQS); DynamoDB capacity units are the ones dynalite reports for each request (its sizing follows DynamoDB's), plus an index write for every write to an item the GeographicIndex holds.",
    '',
    '## Price sources',
    '',
    ...sources,
    '',
  ].join('\n');
}
