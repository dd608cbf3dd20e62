/**
 * Figures the stack reports about its own pipeline: station-hours stored for some hours (read
 * back from the table, through the shared key builders).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bodyToString } from '@opendata-pulse/shared/aws';
import { keys, rawObjectKey } from '@opendata-pulse/shared/keys';
import { parseRawObject } from '@opendata-pulse/shared/raw';

/** Site ids in the raw objects of these hours (an hour with no raw object contributes none). */
async function siteIdsOf(s3: S3Client, bucket: string, hours: readonly number[]): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const hour of hours) {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: rawObjectKey(hour) }));
      const { observations } = parseRawObject(await bodyToString(object.Body));
      for (const o of observations) ids.add(o.Site_Id);
    } catch {
      // no raw object for the hour, or one the ETL rejects: nothing stored for it either
    }
  }
  return ids;
}

/**
 * Hourly readings stored in the table for these hours: for every station the hours' raw objects
 * name, a Query on the station's partition over the hours' range, counting the hours asked for.
 */
export async function countStationHours(input: {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  rawBucket: string;
  table: string;
  hours: readonly number[];
}): Promise<number> {
  if (input.hours.length === 0) return 0;
  const wanted = new Set(input.hours.map((h) => keys.hourSk(h)));
  const from = keys.hourSk(Math.min(...input.hours));
  const to = keys.hourSk(Math.max(...input.hours));
  let count = 0;
  for (const siteId of await siteIdsOf(input.s3, input.rawBucket, input.hours)) {
    const pk = keys.site(siteId);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await input.dynamo.send(
        new QueryCommand({
          TableName: input.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
          ProjectionExpression: 'SK',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (wanted.has(String(item.SK))) count++;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return count;
}
