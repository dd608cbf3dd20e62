/**
 * Reading a whole local table back (the bench's own view, not a request path) and writing items
 * with plain BatchWriteItem: the floor the ETL's writes are measured against.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { LocalAws } from '@opendata-pulse/local/aws';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';

export type RawItem = Record<string, AttributeValue>;

export function lowLevelClient(local: LocalAws): DynamoDBClient {
  return new DynamoDBClient({
    region: local.region,
    endpoint: local.endpoints.dynamodb,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 8,
  });
}

export async function scanAll(client: DynamoDBClient, table: string): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let start: RawItem | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** BatchWriteItem in requests of 25, `concurrency` in flight, unprocessed items retried. */
export async function batchWriteAll(
  client: DynamoDBClient,
  table: string,
  items: readonly RawItem[],
  concurrency: number,
): Promise<{ requests: number }> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25) {
    batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
  }
  let next = 0;
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let pending: WriteRequest[] | undefined = batches[next++];
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt > 8) throw new Error('BatchWriteItem left items unprocessed after 8 retries');
          requests++;
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = out.UnprocessedItems?.[table];
        }
      }
    }),
  );
  return { requests };
}
