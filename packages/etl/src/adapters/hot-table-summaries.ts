/**
 * Latest, daily and region-hour items: figures recomputed from stored hours, so each is written
 * conditionally on DERIVED_VERSION_ATTRIBUTE and a recomputation from a staler view of the
 * stored hours never replaces one from a fresher view.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DERIVED_VERSION_ATTRIBUTE, dailyToItem, latestToItem, regionHourToItem } from '@opendata-pulse/shared/keys';
import type { HotTable } from '../use-cases/ports';
import { conditional, type Item } from './conditional-writes';

const DV = DERIVED_VERSION_ATTRIBUTE;

type SummaryItems = Pick<HotTable, 'putDaily' | 'putRegionHour' | 'putLatest'>;

export function createSummaryItems(db: DynamoDBDocumentClient, tableName: string): SummaryItems {
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
    putDaily: (summary, version) => putVersioned(dailyToItem(summary), version),

    putRegionHour: (summary, version) => putVersioned(regionHourToItem(summary), version),

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
  };
}
