/**
 * Read side of the hot-aggregates table (the use cases' HotAggregatesReader port). Every request is
 * a Query, GetItem or BatchGetItem built from shared's key builders and answered through shared's
 * item mappers; attribute names come from the shared table definition. Nothing here spells a key
 * (docs/architecture.md, "Hot aggregates table: key design").
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@opendata-pulse/shared/dynamo';
import { TABLE_DEFINITION } from '@opendata-pulse/shared/infra';
import {
  dailyFromItem,
  GSI_NAME,
  keys,
  latestFromItem,
  readingFromItem,
  regionHourFromItem,
  stationFromItem,
} from '@opendata-pulse/shared/keys';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { datesIn, type HourWindow, hourStartsIn } from '../domain/query-arguments';
import type { HotAggregatesReader, Page, StartKey } from '../use-cases/ports';

type Item = Record<string, unknown>;

const keyNames = (schema: ReadonlyArray<{ AttributeName: string; KeyType: string }>) => {
  const hash = schema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (!hash || !range) throw new Error('table definition lacks a hash or range key');
  return { hash, range };
};
const TABLE_KEYS = keyNames(TABLE_DEFINITION.KeySchema);
const INDEX_DEFINITION = TABLE_DEFINITION.GlobalSecondaryIndexes.find((i) => i.IndexName === GSI_NAME);
if (!INDEX_DEFINITION) throw new Error(`table definition lacks the ${GSI_NAME} index`);
const INDEX_KEYS = keyNames(INDEX_DEFINITION.KeySchema);

/**
 * Fewer than shared's default: a caller is waiting on the resolver, so a table that keeps
 * throttling answers a retryable Upstream error after about three seconds of backoff at most.
 */
const BATCH_GET_MAX_ATTEMPTS = 6;

type KeyRange = { lo: string; hi: string };

/** Descending order of key strings, compared as DynamoDB compares them (by code unit, not locale). */
const compareDesc = (a: unknown, b: unknown): number => {
  const [x, y] = [String(a), String(b)];
  return x < y ? 1 : x > y ? -1 : 0;
};

function partitionQuery(tableName: string, partition: string, range?: KeyRange): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': TABLE_KEYS.hash, ...(range ? { '#sk': TABLE_KEYS.range } : {}) },
    ExpressionAttributeValues: { ':pk': partition, ...(range ? { ':lo': range.lo, ':hi': range.hi } : {}) },
  };
}

function indexQuery(tableName: string, partition: string, range?: KeyRange): QueryCommandInput {
  return {
    ...partitionQuery(tableName, partition, range),
    IndexName: GSI_NAME,
    ExpressionAttributeNames: {
      '#pk': INDEX_KEYS.hash,
      ...(range ? { '#sk': INDEX_KEYS.range } : {}),
    },
  };
}

/** Where a page of readings ended: the table key of its last reading. */
interface ReadingPosition {
  site: string;
  hour: number;
}

function readingPosition(startKey: StartKey): ReadingPosition {
  const site = startKey[TABLE_KEYS.hash];
  const sk = startKey[TABLE_KEYS.range];
  const hour = typeof sk === 'string' ? keys.hourOfSk(sk) : undefined;
  if (typeof site !== 'string' || hour === undefined) throw new Error('a readings page resumes from a reading key');
  return { site, hour };
}

/**
 * The Query behind getAirQualityData for one of the suburb's stations, newest first (before paging
 * adds Limit); undefined when the window, or what is left of it after `after`, holds no whole
 * hour. Readings order by hour, then station (highest first): resuming after the reading of
 * station S at hour H, a station above or at S continues with the hour before H, one below S with
 * H itself. Exported for the benchmark, which measures it bare.
 */
export function stationReadingsQuery(
  tableName: string,
  siteId: number,
  window: HourWindow,
  after?: ReadingPosition,
): QueryCommandInput | undefined {
  const hours = hourStartsIn(window);
  if (!hours) return undefined;
  const site = keys.site(siteId);
  const last = after ? Math.min(hours.last, site < after.site ? after.hour : after.hour - HOUR_MS) : hours.last;
  if (last < hours.first) return undefined;
  const range = { lo: keys.hourSk(hours.first), hi: keys.hourSk(last) };
  return { ...partitionQuery(tableName, site, range), ScanIndexForward: false };
}

export interface ReaderOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

export function createHotAggregatesReader(options: ReaderOptions): HotAggregatesReader {
  const { client, tableName } = options;

  /**
   * One page of `limit` items, newest first. Reads one item past the page so that the last page
   * carries no token, and resumes after the page's last item rather than where DynamoDB stopped.
   */
  async function queryPage<T>(
    input: QueryCommandInput,
    limit: number,
    startKey: StartKey | undefined,
    map: (item: Item) => T,
  ): Promise<Page<T>> {
    const pageKeys = input.IndexName
      ? [TABLE_KEYS.hash, TABLE_KEYS.range, INDEX_KEYS.hash, INDEX_KEYS.range]
      : [TABLE_KEYS.hash, TABLE_KEYS.range];
    const items: Item[] = [];
    let start = startKey;
    do {
      const out = await client.send(
        new QueryCommand({
          ...input,
          ScanIndexForward: false,
          Limit: limit + 1 - items.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as Item[]));
      start = out.LastEvaluatedKey;
    } while (start && items.length <= limit);
    if (items.length <= limit) return { items: items.map(map) };
    const page = items.slice(0, limit);
    const last = page[page.length - 1] as Item;
    return { items: page.map(map), nextKey: Object.fromEntries(pageKeys.map((k) => [k, last[k]])) };
  }

  async function queryAll<T>(input: QueryCommandInput, map: (item: Item) => T): Promise<T[]> {
    const out: T[] = [];
    let start: StartKey | undefined;
    do {
      const page = await client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) out.push(map(item as Item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  return {
    async readingsOfStations(siteIds, window, limit, startKey) {
      const after = startKey ? readingPosition(startKey) : undefined;
      const inputs = [...new Set(siteIds)].flatMap((id) => stationReadingsQuery(tableName, id, window, after) ?? []);
      // One page of each station, merged: the page is the newest `limit` of them all, and more
      // follow if any station had more or the merge holds more than a page.
      const pages = await Promise.all(inputs.map((input) => queryPage(input, limit, undefined, (item) => item)));
      const merged = pages
        .flatMap((p) => p.items)
        .sort(
          (a, b) =>
            compareDesc(a[TABLE_KEYS.range], b[TABLE_KEYS.range]) ||
            compareDesc(a[TABLE_KEYS.hash], b[TABLE_KEYS.hash]),
        );
      const page = merged.slice(0, limit);
      const more = merged.length > limit || pages.some((p) => p.nextKey);
      const last = page[page.length - 1];
      if (!more || !last) return { items: page.map(readingFromItem) };
      return {
        items: page.map(readingFromItem),
        nextKey: { [TABLE_KEYS.hash]: last[TABLE_KEYS.hash], [TABLE_KEYS.range]: last[TABLE_KEYS.range] },
      };
    },

    async regionHours(region, window, limit, startKey) {
      const hours = hourStartsIn(window);
      if (!hours) return { items: [] };
      const range = { lo: keys.hourSk(hours.first), hi: keys.hourSk(hours.last) };
      return queryPage(partitionQuery(tableName, keys.region(region), range), limit, startKey, regionHourFromItem);
    },

    async dailySummaries(siteId, window, limit, startKey) {
      const dates = datesIn(window);
      if (!dates) return { items: [] };
      const range = { lo: keys.daySk(dates.first), hi: keys.daySk(dates.last) };
      return queryPage(partitionQuery(tableName, keys.site(siteId), range), limit, startKey, dailyFromItem);
    },

    stations(region) {
      return region === undefined
        ? queryAll(partitionQuery(tableName, keys.stationsPartition), stationFromItem)
        : queryAll(indexQuery(tableName, keys.stationIndex(region)), stationFromItem);
    },

    async station(siteId) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.station(siteId) }));
      return out.Item ? stationFromItem(out.Item) : undefined;
    },

    latestByRegion(region) {
      return queryAll(indexQuery(tableName, keys.latestIndex(region)), latestFromItem);
    },

    async latestFor(siteIds) {
      const latestKeys = [...new Set(siteIds)].map((id) => ({ ...keys.latest(id) }));
      const items = await batchGetAll(client, tableName, latestKeys, { maxAttempts: BATCH_GET_MAX_ATTEMPTS });
      const found = new Map<number, HourlyReading>();
      for (const item of items) {
        const reading = latestFromItem(item);
        found.set(reading.siteId, reading);
      }
      return found;
    },
  };
}
