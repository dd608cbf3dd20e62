/**
 * Station items. Those from the sites reference carry no history, so they go unconditionally in
 * BatchWrite calls (shared batchWriteAll retries the unprocessed rest); a fallback station only
 * fills a gap and never replaces a station item.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '@opendata-pulse/shared/dynamo';
import { GSI_NAME, keys, stationToItem } from '@opendata-pulse/shared/keys';
import type { HotTable } from '../use-cases/ports';
import { conditional } from './conditional-writes';
import type { HotTableOptions } from './hot-table-options';

type StationItems = Pick<HotTable, 'stationsInRegion' | 'putStations' | 'putFallbackStation'>;

export function createStationItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: HotTableOptions,
): StationItems {
  return {
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

    async putStations(stations) {
      const unique = [...new Map(stations.map((s) => [s.siteId, s])).values()];
      await batchWriteAll(
        db,
        tableName,
        unique.map((s) => ({ PutRequest: { Item: stationToItem(s) } })),
        { maxAttempts: options.maxBatchAttempts },
      );
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
