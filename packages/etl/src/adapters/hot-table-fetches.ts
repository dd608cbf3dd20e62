/**
 * Readings written without a condition, and the hour fetches items that keep that safe
 * (docs/architecture.md, "Write path"): before writing an hour's readings a worker adds its raw
 * object to the hour's fetches (one UpdateItem per hour, answered with every fetch so far); after
 * writing it reads them back, and any newer fetch it finds there ran beside it and may have been
 * overwritten, so the worker processes that object again.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '@opendata-pulse/shared/async';
import { BATCH_WRITE_MAX_ITEMS, batchGetAll, batchWriteAll } from '@opendata-pulse/shared/dynamo';
import {
  DERIVED_VERSION_ATTRIBUTE,
  FETCH_CLAIMS_ATTRIBUTE,
  type FetchClaim,
  fetchClaim,
  keys,
  parseFetchClaim,
  readingToItem,
} from '@opendata-pulse/shared/keys';
import type { HotTable } from '../use-cases/ports';
import type { HotTableOptions } from './hot-table-options';

type FetchItems = Pick<HotTable, 'claimHours' | 'hourFetches' | 'putReadings'>;

/** BatchWriteItem requests in flight. */
const WRITES_IN_FLIGHT = 4;

function claimsOf(item: Record<string, unknown> | undefined): FetchClaim[] {
  const set = item?.[FETCH_CLAIMS_ATTRIBUTE];
  const values = set instanceof Set ? [...set] : Array.isArray(set) ? set : [];
  return values.map((v) => parseFetchClaim(String(v)));
}

export function createFetchItems(db: DynamoDBDocumentClient, tableName: string, options: HotTableOptions): FetchItems {
  return {
    async claimHours(claims, concurrency) {
      const out = new Map<number, FetchClaim[]>();
      await mapLimit(claims, concurrency, async ({ hourStart, claim }) => {
        const answer = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.hourFetches(hourStart),
            UpdateExpression: 'ADD #claims :claim SET #type = :type',
            ExpressionAttributeNames: { '#claims': FETCH_CLAIMS_ATTRIBUTE, '#type': 'itemType' },
            ExpressionAttributeValues: { ':claim': new Set([fetchClaim(claim)]), ':type': 'hourFetches' },
            ReturnValues: 'ALL_NEW',
          }),
        );
        out.set(hourStart, claimsOf(answer.Attributes));
      });
      return out;
    },

    async hourFetches(hours) {
      const hourOf = new Map([...new Set(hours)].map((h) => [keys.hourFetches(h).PK, h]));
      const items = await batchGetAll(
        db,
        tableName,
        [...hourOf.values()].map((h) => ({ ...keys.hourFetches(h) })),
        { consistentRead: true, maxAttempts: options.maxBatchAttempts },
      );
      const out = new Map<number, FetchClaim[]>();
      for (const item of items) {
        const hour = hourOf.get(String(item.PK));
        if (hour !== undefined) out.set(hour, claimsOf(item));
      }
      return out;
    },

    async putReadings(readings) {
      const requests = readings.map(({ reading, version }) => ({
        PutRequest: { Item: { ...readingToItem(reading), [DERIVED_VERSION_ATTRIBUTE]: version } },
      }));
      const chunks: (typeof requests)[] = [];
      for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX_ITEMS) {
        chunks.push(requests.slice(i, i + BATCH_WRITE_MAX_ITEMS));
      }
      await mapLimit(chunks, WRITES_IN_FLIGHT, (chunk) =>
        batchWriteAll(db, tableName, chunk, { maxAttempts: options.maxBatchAttempts }),
      );
    },
  };
}
