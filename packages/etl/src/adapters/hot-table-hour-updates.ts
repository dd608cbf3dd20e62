/**
 * What live updates read from the hot-aggregates table: a region's newest region-hour item (one
 * Query, newest first, Limit 1) and the stored readings at station-hours (BatchGetItem), both
 * strongly consistent so they see what this worker just wrote. Keys from shared/keys.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@opendata-pulse/shared/dynamo';
import { keys, readingFromItem } from '@opendata-pulse/shared/keys';
import type { HourUpdateSource } from '../use-cases/ports';
import type { HotTableOptions } from './hot-table-options';

/** Bounds of every hour a region partition can hold. */
const FIRST_HOUR = keys.hourSk(0);
const LAST_HOUR = keys.hourSk(Date.UTC(9999, 11, 31, 23));

export function createHourUpdateSource(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: HotTableOptions = {},
): HourUpdateSource {
  return {
    async newestRegionHour(region) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :first AND :last',
          ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#hour': 'hourStart' },
          ExpressionAttributeValues: { ':pk': keys.region(region), ':first': FIRST_HOUR, ':last': LAST_HOUR },
          ProjectionExpression: '#hour',
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const hourStart = page.Items?.[0]?.hourStart;
      return typeof hourStart === 'string' ? Date.parse(hourStart) : undefined;
    },

    async readingsAt(at) {
      const items = await batchGetAll(
        db,
        tableName,
        at.map((a) => ({ ...keys.reading(a.siteId, a.hourStart) })),
        { consistentRead: true, maxAttempts: options.maxBatchAttempts },
      );
      return items.map(readingFromItem);
    },
  };
}
