/**
 * The hot-aggregates table as the ETL writes it. Keys and item shapes come from shared/keys (the
 * only place that spells them); this module adds the write rules:
 * - a reading is replaced only by a newer-or-equal fetch (conditional writes: BatchWrite has no
 *   conditions, and a read-then-write would race with a parallel Lambda);
 * - derived figures (rolling averages and the hour's category, latest, daily, region hour) are
 *   written conditionally on DERIVED_VERSION_ATTRIBUTE, so a recomputation from a staler view of
 *   the stored hours never replaces one from a fresher view;
 * - station items, which carry no history, go in BatchWrite calls of 25 with the unprocessed rest
 *   retried with backoff.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { backoffMs, sleep } from '@opendata-pulse/shared/async';
import { UpstreamError } from '@opendata-pulse/shared/errors';
import {
  DERIVED_VERSION_ATTRIBUTE,
  dailyToItem,
  GSI_NAME,
  keys,
  latestToItem,
  readingFromItem,
  readingToItem,
  regionHourToItem,
  stationToItem,
  type TableKey,
} from '@opendata-pulse/shared/keys';
import type {
  DailySummary,
  HourlyReading,
  RegionHourSummary,
  RollingAverage,
  Station,
} from '@opendata-pulse/shared/model';

type Item = Record<string, unknown>;

export type ReadingWrite = 'written' | 'refreshed' | 'older';

export interface StoredReading {
  reading: HourlyReading;
  /** the derived version stored with it; undefined before its first derived write */
  version: number | undefined;
}

export interface DerivedWrite {
  /** rolling average per measurement index */
  rolling: ReadonlyMap<number, RollingAverage>;
  category?: HourlyReading['category'];
  determiningPollutant?: string;
  version: number;
}

export interface RegionHourInput {
  siteId: number;
  /** epoch ms of the reading's hour start */
  hourStart: number;
  region: string;
  category?: HourlyReading['category'];
  version: number;
}

export interface HotTable {
  readonly tableName: string;
  /**
   * Write a reading; never over a newer fetch. A new or newer fetch replaces the item, with the
   * derived figures the reading carries stamped `derivedVersion`; the same fetch again refreshes
   * only the station's names (its values are the same).
   */
  writeReading(reading: HourlyReading, derivedVersion: number): Promise<ReadingWrite>;
  /** a station's stored readings with hour starts in [from, to] (epoch ms), oldest first */
  stationHours(siteId: number, from: number, to: number): Promise<StoredReading[]>;
  /** false when the stored reading changed since it was read, or a fresher derivation is stored */
  writeDerived(stored: HourlyReading, derived: DerivedWrite): Promise<boolean>;
  putDaily(summary: DailySummary, version: number): Promise<boolean>;
  /** false when the stored latest is a later hour, or the same hour from a fresher derivation */
  putLatest(reading: HourlyReading, version: number): Promise<boolean>;
  putRegionHour(summary: RegionHourSummary, version: number): Promise<boolean>;
  /** site ids of the station items indexed under a region */
  stationsInRegion(region: string): Promise<number[]>;
  /** the stored readings at these station-hours (only those that exist): region, category, version */
  readingsAt(at: readonly { siteId: number; hourStart: number }[]): Promise<RegionHourInput[]>;
  /** station items from the sites reference (unconditional: they carry no history) */
  putStations(stations: readonly Station[]): Promise<void>;
  /** a fallback station item, only where no station item exists yet */
  putFallbackStation(station: Station): Promise<boolean>;
}

export interface HotTableOptions {
  ttlDays: number;
  /** attempts for BatchWrite/BatchGet leftovers before giving up (the SDK retries throttles too) */
  maxBatchAttempts?: number;
}

const DV = DERIVED_VERSION_ATTRIBUTE;
const READING_DERIVED_ATTRIBUTES = new Set(['measurements', 'category', 'determiningPollutant']);
const OPTIONAL_READING_ATTRIBUTES = ['category', 'determiningPollutant'] as const;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

/** An UpdateExpression that SETs every given attribute and REMOVEs the listed ones. */
function updateOf(attributes: Item, remove: readonly string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(attributes).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  const removes = remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return { expression, names, values };
}

function withoutKey(item: Item, key: TableKey): Item {
  const copy: Item = { ...item };
  for (const k of Object.keys(key)) delete copy[k];
  return copy;
}

export function createHotTable(db: DynamoDBDocumentClient, tableName: string, options: HotTableOptions): HotTable {
  const maxBatchAttempts = options.maxBatchAttempts ?? 8;

  async function conditional(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async function update(
    key: TableKey,
    attributes: Item,
    remove: readonly string[],
    condition: string,
    cNames: Record<string, string>,
    cValues: Record<string, unknown>,
  ) {
    const u = updateOf(attributes, remove);
    return conditional(() =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: u.expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: { ...u.names, ...cNames },
          ExpressionAttributeValues: { ...u.values, ...cValues },
        }),
      ),
    );
  }

  async function putVersioned(item: Item, version: number): Promise<boolean> {
    return conditional(() =>
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...item, [DV]: version },
          ConditionExpression: 'attribute_not_exists(#dv) OR #dv <= :dv',
          ExpressionAttributeNames: { '#dv': DV },
          ExpressionAttributeValues: { ':dv': version },
        }),
      ),
    );
  }

  return {
    tableName,

    async writeReading(reading, derivedVersion) {
      const key = keys.reading(reading.siteId, reading.hourStart);
      const item = withoutKey(readingToItem(reading, options.ttlDays), key);
      const fetchedAt = { '#src': 'source', '#fa': 'fetchedAt' };
      const absent = OPTIONAL_READING_ATTRIBUTES.filter((a) => item[a] === undefined);
      const replaced = await update(
        key,
        { ...item, [DV]: derivedVersion },
        absent,
        'attribute_not_exists(#src) OR #src.#fa < :fa',
        fetchedAt,
        {
          ':fa': reading.source.fetchedAt,
        },
      );
      if (replaced) return 'written';
      // The same fetch again (a replay): its values are the same; only the station's names may have
      // changed (a sites reference that arrived since), so those are refreshed and nothing else.
      const names = Object.fromEntries(Object.entries(item).filter(([a]) => !READING_DERIVED_ATTRIBUTES.has(a)));
      const refreshed = await update(key, names, [], '#src.#fa = :fa', fetchedAt, { ':fa': reading.source.fetchedAt });
      return refreshed ? 'refreshed' : 'older';
    },

    async stationHours(siteId, from, to) {
      const out: StoredReading[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK' },
            ExpressionAttributeValues: { ':pk': keys.site(siteId), ':from': keys.hourSk(from), ':to': keys.hourSk(to) },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const version = item[DV];
          out.push({ reading: readingFromItem(item), version: typeof version === 'number' ? version : undefined });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return out;
    },

    async writeDerived(stored, derived) {
      const names: Record<string, string> = { '#src': 'source', '#fa': 'fetchedAt', '#dv': DV };
      const values: Record<string, unknown> = { ':fa': stored.source.fetchedAt, ':dv': derived.version };
      const sets: string[] = ['#dv = :dv'];
      const removes: string[] = [];
      for (const [index, average] of derived.rolling) {
        names['#m'] = 'measurements';
        names['#ro'] = 'rolling';
        sets.push(`#m[${index}].#ro = :ro${index}`);
        values[`:ro${index}`] = [average];
      }
      for (const attribute of OPTIONAL_READING_ATTRIBUTES) {
        names[`#${attribute}`] = attribute;
        const value = derived[attribute];
        if (value === undefined) removes.push(`#${attribute}`);
        else {
          sets.push(`#${attribute} = :${attribute}`);
          values[`:${attribute}`] = value;
        }
      }
      return conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.reading(stored.siteId, stored.hourStart),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            // Only onto the reading it was computed from, and never over a fresher derivation.
            ConditionExpression: '#src.#fa = :fa AND (attribute_not_exists(#dv) OR #dv <= :dv)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },

    putDaily: (summary, version) => putVersioned(dailyToItem(summary, options.ttlDays), version),

    putRegionHour: (summary, version) => putVersioned(regionHourToItem(summary, options.ttlDays), version),

    putLatest(reading, version) {
      return conditional(() =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...latestToItem(reading), [DV]: version },
            // Latest only moves forward in time; for the same hour, a fresher derivation wins.
            ConditionExpression:
              'attribute_not_exists(#h) OR #h < :h OR (#h = :h AND (attribute_not_exists(#dv) OR #dv <= :dv))',
            ExpressionAttributeNames: { '#h': 'hourStart', '#dv': DV },
            ExpressionAttributeValues: { ':h': reading.hourStart, ':dv': version },
          }),
        ),
      );
    },

    async stationsInRegion(region) {
      const out: number[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: GSI_NAME,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': 'GSI1PK', '#site': 'siteId' },
            ExpressionAttributeValues: { ':pk': keys.stationIndex(region) },
            ProjectionExpression: '#site',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) if (typeof item.siteId === 'number') out.push(item.siteId);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return out;
    },

    async readingsAt(at) {
      const unique = [...new Map(at.map((a) => [`${a.siteId}|${a.hourStart}`, a])).values()];
      const chunks: (typeof unique)[] = [];
      for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
      const parts = await Promise.all(
        chunks.map(async (chunk) => {
          const out: RegionHourInput[] = [];
          let pending: Record<string, unknown>[] = chunk.map((a) => ({ ...keys.reading(a.siteId, a.hourStart) }));
          for (let attempt = 0; pending.length > 0; attempt++) {
            if (attempt >= maxBatchAttempts) {
              throw new UpstreamError(
                `DynamoDB left ${pending.length} keys unread after ${attempt} BatchGet attempts`,
                {
                  retryable: true,
                },
              );
            }
            if (attempt > 0) await sleep(backoffMs(attempt));
            const got = await db.send(
              new BatchGetCommand({
                RequestItems: {
                  [tableName]: {
                    Keys: pending,
                    ConsistentRead: true,
                    ProjectionExpression: '#site, #hour, #region, #cat, #dv',
                    ExpressionAttributeNames: {
                      '#site': 'siteId',
                      '#hour': 'hourStart',
                      '#region': 'region',
                      '#cat': 'category',
                      '#dv': DV,
                    },
                  },
                },
              }),
            );
            for (const item of got.Responses?.[tableName] ?? []) {
              out.push({
                siteId: item.siteId as number,
                hourStart: Date.parse(item.hourStart as string),
                region: item.region as string,
                ...(item.category ? { category: item.category as HourlyReading['category'] } : {}),
                version: typeof item[DV] === 'number' ? (item[DV] as number) : 0,
              });
            }
            pending = (got.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
          }
          return out;
        }),
      );
      return parts.flat().sort((a, b) => a.hourStart - b.hourStart || a.siteId - b.siteId);
    },

    async putStations(stations) {
      const unique = [...new Map(stations.map((s) => [s.siteId, s])).values()];
      for (let i = 0; i < unique.length; i += 25) {
        let pending = unique.slice(i, i + 25).map((s) => ({ PutRequest: { Item: stationToItem(s) } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt >= maxBatchAttempts) {
            throw new UpstreamError(
              `DynamoDB left ${pending.length} station items unwritten after ${attempt} BatchWrite attempts`,
              {
                retryable: true,
              },
            );
          }
          if (attempt > 0) await sleep(backoffMs(attempt));
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    },

    putFallbackStation(station) {
      return conditional(() =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: stationToItem(station),
            ConditionExpression: 'attribute_not_exists(#site)',
            ExpressionAttributeNames: { '#site': 'siteId' },
          }),
        ),
      );
    },
  };
}
