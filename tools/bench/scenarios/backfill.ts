/**
 * Backfill on the local stack: days of NSW data for N stations pulled by the real ingest handler
 * from a fake NSW server (one backfill payload per NSW local date, as `pulse backfill` sends them,
 * a few at a time; each stores the date's whole answer once) and
 * carried by the stack's S3 event -> SQS -> ETL path into the table and the curated lake. Every
 * request the handlers send to S3, DynamoDB and SQS is counted (counting proxies, see
 * local-stack-session.ts), every invocation timed.
 *
 * Then a steady-state sample: the next hours one at a time as the hourly schedule ingests them
 * (the fake NSW's clock set to each hour, the snapshot stored as the hour's own object), each
 * drained before the next, so the ETL sees one object per invocation. Its per-hour
 * counts are what the monthly cost table prices.
 *
 * A year x 100 stations does not fit the 10-minute budget on a small machine: the span is a few
 * days, and the year is extrapolated from its rate (said so beside the figure).
 */

import { startFakeNsw, syntheticStations } from '@opendata-pulse/local/nsw';
import { type IngestRun, latestHours, writtenKeysOf } from '@opendata-pulse/local/stack';
import { TABLE_DEFINITION } from '@opendata-pulse/shared/infra';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import { bytesOf, dynamoItemSize, type RequestTally, requestsOf, startCountingProxy } from '../counting-proxy';
import { type Invocation, startStackSession } from '../local-stack-session';
import { type Figure, figure } from '../report';
import { lowLevelClient, type RawItem, scanAll } from './dynamo-items';

export const YEAR_HOURS = 365 * 24;

export interface BackfillOptions {
  stations: number;
  /** hours backfilled (a year does not fit the time budget: the year is extrapolated) */
  hours: number;
  /** hours ingested one at a time after the backfill (the steady-state sample) */
  steadyHours: number;
  drainTimeoutMs: number;
  /** BatchWriteItem rate (station-hours/s) measured on the same dynalite: the floor */
  floorRate: number;
}

export interface PhaseCounts {
  hours: number;
  stationHours: number;
  seconds: number;
  tally: RequestTally;
  invocations: Invocation[];
  /** index write units: writes to items that sit in the GSI */
  gsiWriteUnits: number;
}

export interface TableSize {
  items: number;
  /** item bytes + DynamoDB's 100 bytes of overhead per item, table and index */
  bytes: number;
  indexBytes: number;
  /** each item written once, in write units (table + index): the floor for the writes */
  writeUnitsIfWrittenOnce: number;
}

export interface BackfillResult {
  figures: Figure[];
  notes: string[];
  backfill: PhaseCounts;
  steady: PhaseCounts;
  table: TableSize;
  /** station-hours the table holds: whole local days of the backfill, plus the steady hours */
  storedStationHours: number;
  rawBucket: string;
  curatedBucket: string;
}

/** Every UTC hour the day object a backfill run stored holds (the ingest's answer says). */
function heldHours(run: IngestRun): number[] {
  const hours = (run.result as { hours?: unknown } | undefined)?.hours;
  return Array.isArray(hours) ? hours.map((h) => Date.parse(String(h))) : [];
}

const hashKeyOf = (schema: ReadonlyArray<{ AttributeName: string; KeyType: string }>) =>
  schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
const TABLE_KEYS = TABLE_DEFINITION.KeySchema.map((k) => k.AttributeName);
const INDEX_HASH = hashKeyOf(TABLE_DEFINITION.GlobalSecondaryIndexes[0]?.KeySchema ?? []);
const ITEM_OVERHEAD = 100;

function sizeOf(items: readonly RawItem[]): { size: TableSize; indexKeys: Set<string> } {
  const indexKeys = new Set<string>();
  let bytes = 0;
  let indexBytes = 0;
  let units = 0;
  for (const item of items) {
    const size = dynamoItemSize(item as unknown as Record<string, Record<string, unknown>>);
    const once = Math.max(1, Math.ceil(size / 1024));
    bytes += size + ITEM_OVERHEAD;
    units += once;
    if (item[INDEX_HASH]) {
      indexKeys.add(JSON.stringify(TABLE_KEYS.map((k) => item[k] ?? null)));
      indexBytes += size + ITEM_OVERHEAD;
      units += once;
    }
  }
  return {
    size: { items: items.length, bytes: bytes + indexBytes, indexBytes, writeUnitsIfWrittenOnce: units },
    indexKeys,
  };
}

function gsiUnits(tally: RequestTally, indexKeys: Set<string>): number {
  let units = 0;
  for (const [key, u] of tally.dynamo.writeUnitsByKey) if (indexKeys.has(key)) units += u;
  return units;
}

export async function measureBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const stations = syntheticStations(options.stations);
  const nsw = await startFakeNsw({ stations });
  const proxies = {
    s3: await startCountingProxy({ service: 's3' }),
    dynamodb: await startCountingProxy({ service: 'dynamodb', keyNames: TABLE_KEYS }),
    sqs: await startCountingProxy({ service: 'sqs' }),
  };
  const resetAll = () => ({
    s3: proxies.s3.reset(),
    dynamodb: proxies.dynamodb.reset(),
    sqs: proxies.sqs.reset(),
  });
  const merged = (t: ReturnType<typeof resetAll>): RequestTally => ({
    requests: new Map([...t.s3.requests, ...t.dynamodb.requests, ...t.sqs.requests]),
    bytes: t.s3.bytes,
    dynamo: t.dynamodb.dynamo,
  });
  try {
    const session = await startStackSession({ source: nsw.endpoint, graphql: false, proxies });
    const { stack } = session;
    try {
      // A span ending two days ago: complete, settled hours.
      const total = options.hours + options.steadyHours;
      const hours = latestHours(total, Date.now() - 2 * DAY_MS);
      const backfillHours = hours.slice(0, options.hours);
      const steadyHours = hours.slice(options.hours);
      resetAll();

      const phase = async (label: string, run: () => Promise<void>, phaseHours: number[]): Promise<PhaseCounts> => {
        const before = session.invocations.length;
        const t0 = performance.now();
        await run();
        const seconds = (performance.now() - t0) / 1000;
        const invocations = session.invocations.slice(before);
        const failed = invocations.filter((i) => !i.ok);
        if (failed.length) throw new Error(`${label}: ${failed.length} invocation(s) failed`);
        return {
          hours: phaseHours.length,
          stationHours: phaseHours.length * options.stations,
          seconds,
          tally: merged(resetAll()),
          invocations,
          gsiWriteUnits: 0,
        };
      };
      const drainRuns = async (runs: IngestRun[]) => {
        const failed = runs.filter((r) => !r.ok);
        if (failed.length) throw new Error(`ingest failed for ${failed.length} run(s): ${failed[0]?.error}`);
        const drain = await stack.waitUntilDrained({
          expectKeys: writtenKeysOf(runs),
          timeoutMs: options.drainTimeoutMs,
        });
        if (!drain.drained) throw new Error(`the ETL did not drain within ${options.drainTimeoutMs} ms`);
      };

      // A backfill stores each NSW local date the hours fall on once, whole: the ETL writes every
      // hour those days hold, so those are the hours the phase is measured by.
      let backfillRuns: IngestRun[] = [];
      const backfillPhase = async () => {
        backfillRuns = await stack.ingestHours(backfillHours);
        await drainRuns(backfillRuns);
      };
      const backfill = await phase('backfill', backfillPhase, backfillHours);
      const held = [...new Set(backfillRuns.flatMap(heldHours))].sort((a, b) => a - b);
      backfill.hours = held.length;
      backfill.stationHours = held.length * options.stations;
      // The hourly schedule: each hour's snapshot, stored as the hour's own object, one at a time.
      const steady = await phase(
        'steady state',
        async () => {
          for (const h of steadyHours) {
            nsw.setNow(() => h + HOUR_MS + 5 * 60_000);
            await drainRuns([await stack.ingestScheduled(h + HOUR_MS + 5 * 60_000)]);
          }
          nsw.setNow(() => Date.now());
        },
        steadyHours,
      );

      const storedHours = [...new Set([...held, ...steadyHours])];
      const stored = await stack.stationHours(storedHours);
      if (stored !== storedHours.length * options.stations || (await stack.dlqDepth()) > 0) {
        throw new Error(`backfill stored ${stored} of ${storedHours.length * options.stations} station-hours`);
      }
      const client = lowLevelClient(stack.localAws);
      let items: RawItem[];
      try {
        items = await scanAll(client, stack.resources.table);
      } finally {
        client.destroy();
      }
      const { size, indexKeys } = sizeOf(items);
      backfill.gsiWriteUnits = gsiUnits(backfill.tally, indexKeys);
      steady.gsiWriteUnits = gsiUnits(steady.tally, indexKeys);

      const raw = stack.resources.rawBucket;
      const curated = stack.resources.curatedBucket;
      const rate = backfill.stationHours / backfill.seconds;
      const yearStationHours = YEAR_HOURS * options.stations;
      const storedStationHours = storedHours.length * options.stations;
      const curatedBytes = bytesOf(backfill.tally, 'PutObject', curated) + bytesOf(steady.tally, 'PutObject', curated);
      const perStationHour = (n: number) => n / backfill.stationHours;
      const writeRequests = (t: RequestTally) =>
        ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].reduce((n, op) => n + requestsOf(t, op), 0);
      const writeUnits = backfill.tally.dynamo.writeUnits + backfill.gsiWriteUnits;
      const mb = (b: number) => b / 1024 / 1024;
      const days = backfill.hours / 24;
      const span = `${days >= 1 ? `${days.toFixed(days % 1 ? 1 : 0)} d` : `${backfill.hours} h`} x ${options.stations} stations`;

      const figures: Figure[] = [
        figure({
          id: 'backfill.stationHoursPerSec',
          section: 'backfill',
          name: `backfill: ingest (fake NSW) + ETL on the local stack, ${span}`,
          value: rate,
          unit: 'station-h/s',
          better: 'higher',
          floor: { name: "BatchWriteItem of the ETL's items (etl end to end floor)", value: options.floorRate },
        }),
        figure({
          id: 'backfill.yearMinutes',
          section: 'backfill',
          name: `backfill of a year x ${options.stations} stations (EXTRAPOLATED from ${span})`,
          value: yearStationHours / rate / 60,
          unit: 'min',
          better: 'lower',
          floor: { name: 'the same at the BatchWriteItem rate', value: yearStationHours / options.floorRate / 60 },
        }),
        figure({
          id: 'backfill.tableMb',
          section: 'backfill',
          name: `table size after ${storedHours.length} h x ${options.stations} stations (${size.items} items, incl. GSI)`,
          value: mb(size.bytes),
          unit: 'MB',
          better: 'lower',
          floor: { name: 'the same hours as curated Parquet', value: mb(curatedBytes) },
        }),
        figure({
          id: 'backfill.tableYearMb',
          section: 'backfill',
          name: `table size for a year x ${options.stations} stations (EXTRAPOLATED; nothing expires)`,
          value: mb((size.bytes / storedStationHours) * yearStationHours),
          unit: 'MB',
          better: 'lower',
          floor: {
            name: 'a year as curated Parquet (extrapolated)',
            value: mb((curatedBytes / storedStationHours) * yearStationHours),
          },
        }),
        figure({
          id: 'backfill.writeRequestsPerStationHour',
          section: 'backfill',
          name: 'DynamoDB write requests per station-hour (backfill)',
          value: perStationHour(writeRequests(backfill.tally)),
          unit: 'req',
          better: 'lower',
          floor: {
            name: 'BatchWriteItem of the stored items, 25 per request',
            value: size.items / 25 / storedStationHours,
          },
        }),
        figure({
          id: 'steady.writeUnitsPerStationHour',
          section: 'backfill',
          name: 'DynamoDB write units per station-hour, table + GSI (steady state: one hour per invocation)',
          value: (steady.tally.dynamo.writeUnits + steady.gsiWriteUnits) / steady.stationHours,
          unit: 'WRU',
          better: 'lower',
          floor: { name: 'each stored item written once', value: size.writeUnitsIfWrittenOnce / storedStationHours },
        }),
        figure({
          id: 'backfill.writeUnitsPerStationHour',
          section: 'backfill',
          name: 'DynamoDB write units per station-hour, table + GSI (backfill)',
          value: perStationHour(writeUnits),
          unit: 'WRU',
          better: 'lower',
          floor: { name: 'each stored item written once', value: size.writeUnitsIfWrittenOnce / storedStationHours },
        }),
      ];
      const reads =
        requestsOf(backfill.tally, 'Query') +
        requestsOf(backfill.tally, 'GetItem') +
        requestsOf(backfill.tally, 'BatchGetItem');
      const notes = [
        `Backfill: ${backfill.hours} hours x ${options.stations} stations in ${backfill.seconds.toFixed(1)} s ` +
          `(${backfill.invocations.filter((i) => i.key === 'ingest').length} ingest and ${backfill.invocations.filter((i) => i.key === 'etl').length} ETL invocations). ` +
          `A year x ${options.stations} stations (${yearStationHours.toLocaleString('en-AU')} station-hours) did not fit the 10-minute budget on this machine: ` +
          `the year figures are extrapolated linearly from this span's rate and size, which assumes the rate holds as the table grows.`,
        `Backfill requests per station-hour: ${perStationHour(writeRequests(backfill.tally)).toFixed(2)} DynamoDB writes ` +
          `(${requestsOf(backfill.tally, 'UpdateItem')} UpdateItem, ${requestsOf(backfill.tally, 'PutItem')} PutItem, ${requestsOf(backfill.tally, 'BatchWriteItem')} BatchWriteItem in all), ` +
          `${perStationHour(reads).toFixed(2)} reads, ${backfill.tally.dynamo.failedConditionalWrites} failed conditional writes; ` +
          `S3: ${requestsOf(backfill.tally, 'PutObject')} PUT, ${requestsOf(backfill.tally, 'GetObject')} GET, ${requestsOf(backfill.tally, 'HeadObject')} HEAD, ${requestsOf(backfill.tally, 'ListObjects')} LIST ` +
          `for ${backfill.hours} hours. A backfill stores each NSW local date once, as one day object (${backfillRuns.length} here, ${(bytesOf(backfill.tally, 'PutObject', raw) / Math.max(1, backfillRuns.length) / 1024 / 1024).toFixed(1)} MB each).`,
        `Table after ${storedHours.length} hours: ${size.items} items, ${mb(size.bytes).toFixed(1)} MB with the GeographicIndex copy (${mb(size.indexBytes).toFixed(1)} MB) and DynamoDB's 100 bytes per item: ` +
          `${(size.bytes / storedStationHours).toFixed(0)} bytes per station-hour, which docs/cost.md prices per station-year (no item expires, so the table only grows).`,
        `Steady-state sample: ${steady.hours} hours ingested one at a time after the backfill as the hourly schedule does (each hour's snapshot as its own object), ${(steady.seconds / steady.hours).toFixed(1)} s per hour end to end; its per-hour counts price the month. ` +
          `Per hour it sends ${(writeRequests(steady.tally) / steady.hours).toFixed(0)} DynamoDB write requests (${(requestsOf(steady.tally, 'BatchWriteItem') / steady.hours).toFixed(1)} of them BatchWriteItem: the hour's readings and the station items, re-put though they carry no history and rarely change) ` +
          `and ${((requestsOf(steady.tally, 'Query') + requestsOf(steady.tally, 'BatchGetItem') + requestsOf(steady.tally, 'GetItem')) / steady.hours).toFixed(0)} reads; ` +
          `alone in its invocation an hour pays the derived recomputation (latest, daily, region hour) that a backfill batch of 10 shares.`,
      ];
      return {
        figures,
        notes,
        backfill,
        steady,
        table: size,
        storedStationHours,
        rawBucket: raw,
        curatedBucket: curated,
      };
    } finally {
      await session.stop();
    }
  } finally {
    await Promise.all([proxies.s3.close(), proxies.dynamodb.close(), proxies.sqs.close(), nsw.close()]);
  }
}
