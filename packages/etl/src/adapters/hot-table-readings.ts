/**
 * Hourly reading items, one at a time: the conditional path for a reading whose hour has a newer
 * fetch than the batch's (a reading is replaced only by a newer-or-equal fetch; the usual path is
 * hot-table-fetches' BatchWrites), its derived figures only by a derivation from a fresher view of
 * the stored hours, and the window reads the derivations stand on.
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@opendata-pulse/shared/dynamo';
import {
  DERIVED_VERSION_ATTRIBUTE,
  keys,
  RETIRED_READING_INDEX_ATTRIBUTES,
  readingFromItem,
  readingToItem,
  type TableKey,
} from '@opendata-pulse/shared/keys';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import type { HotTable, StoredFetch } from '../use-cases/ports';
import { conditional, type Item, updateOf, withoutKey } from './conditional-writes';
import type { HotTableOptions } from './hot-table-options';

const DV = DERIVED_VERSION_ATTRIBUTE;
const READING_DERIVED_ATTRIBUTES = new Set(['measurements', 'category', 'determiningPollutant']);
const OPTIONAL_READING_ATTRIBUTES = ['category', 'determiningPollutant'] as const;

const versionOf = (item: Item): number | undefined => (typeof item[DV] === 'number' ? (item[DV] as number) : undefined);

type ReadingItems = Pick<HotTable, 'writeReading' | 'stationHours' | 'stationFetches' | 'writeDerived' | 'readingsAt'>;

export function createReadingItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: HotTableOptions,
): ReadingItems {
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

  /** A station's stored hours in [from, to], strongly consistent, every page; projected if asked. */
  async function stationRange(
    siteId: number,
    from: number,
    to: number,
    projection?: { expression: string; names: Record<string, string> },
  ): Promise<Item[]> {
    const out: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ...(projection ? { ProjectionExpression: projection.expression } : {}),
          ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', ...projection?.names },
          ExpressionAttributeValues: { ':pk': keys.site(siteId), ':from': keys.hourSk(from), ':to': keys.hourSk(to) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  return {
    async writeReading(reading, derivedVersion) {
      const key = keys.reading(reading.siteId, reading.hourStart);
      const item = withoutKey(readingToItem(reading), key);
      const fetchedAt = { '#src': 'source', '#fa': 'fetchedAt' };
      // A reading stored while readings were indexed leaves the index as it is rewritten.
      const absent = [
        ...OPTIONAL_READING_ATTRIBUTES.filter((a) => item[a] === undefined),
        ...RETIRED_READING_INDEX_ATTRIBUTES,
      ];
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
      const refreshed = await update(key, names, RETIRED_READING_INDEX_ATTRIBUTES, '#src.#fa = :fa', fetchedAt, {
        ':fa': reading.source.fetchedAt,
      });
      return refreshed ? 'refreshed' : 'older';
    },

    async stationHours(siteId, from, to) {
      const items = await stationRange(siteId, from, to);
      return items.map((item) => ({ reading: readingFromItem(item), version: versionOf(item) }));
    },

    async stationFetches(siteId, from, to) {
      const items = await stationRange(siteId, from, to, {
        expression: '#hour, #src.#fa, #dv',
        names: { '#hour': 'hourStart', '#src': 'source', '#fa': 'fetchedAt', '#dv': DV },
      });
      return items.map(
        (item): StoredFetch => ({
          hourStart: Date.parse(String(item.hourStart)),
          fetchedAt: String((item.source as { fetchedAt?: unknown } | undefined)?.fetchedAt),
          version: versionOf(item),
        }),
      );
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

    async readingsAt(at) {
      const unique = [...new Map(at.map((a) => [`${a.siteId}|${a.hourStart}`, a])).values()];
      // Strongly consistent: a region summary must see the readings this worker just wrote.
      const items = await batchGetAll(
        db,
        tableName,
        unique.map((a) => ({ ...keys.reading(a.siteId, a.hourStart) })),
        {
          consistentRead: true,
          projection: {
            expression: '#site, #hour, #region, #cat, #dv',
            names: { '#site': 'siteId', '#hour': 'hourStart', '#region': 'region', '#cat': 'category', '#dv': DV },
          },
          maxAttempts: options.maxBatchAttempts,
        },
      );
      return items
        .map((item) => ({
          siteId: item.siteId as number,
          hourStart: Date.parse(item.hourStart as string),
          region: item.region as string,
          ...(item.category ? { category: item.category as HourlyReading['category'] } : {}),
          version: typeof item[DV] === 'number' ? (item[DV] as number) : 0,
        }))
        .sort((a, b) => a.hourStart - b.hourStart || a.siteId - b.siteId);
    },
  };
}
