/**
 * Figures the stack reports about its own pipeline: station-hours stored for some hours (read
 * back from the table, through the shared key builders).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@opendata-pulse/shared/keys';

/** Every item of one partition whose sort key lies in [from, to] (all pages), sort keys only. */
async function sortKeys(
  dynamo: DynamoDBDocumentClient,
  table: string,
  pk: string,
  range?: { from: string; to: string },
): Promise<string[]> {
  const out: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: range ? 'PK = :pk AND SK BETWEEN :from AND :to' : 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(range ? { ':from': range.from, ':to': range.to } : {}) },
        ProjectionExpression: 'SK',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) out.push(String(item.SK));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}

/**
 * Hourly readings stored in the table for these hours: for every station item (the station
 * directory's partition), a Query on the station's partition over the hours' range, counting the
 * hours asked for.
 */
export async function countStationHours(input: {
  dynamo: DynamoDBDocumentClient;
  table: string;
  hours: readonly number[];
}): Promise<number> {
  if (input.hours.length === 0) return 0;
  const wanted = new Set(input.hours.map((h) => keys.hourSk(h)));
  const range = { from: keys.hourSk(Math.min(...input.hours)), to: keys.hourSk(Math.max(...input.hours)) };
  let count = 0;
  // A station item's sort key is its readings' partition key (both are shared `siteKey`).
  for (const stationSk of await sortKeys(input.dynamo, input.table, keys.stationsPartition)) {
    for (const sk of await sortKeys(input.dynamo, input.table, stationSk, range)) if (wanted.has(sk)) count++;
  }
  return count;
}
