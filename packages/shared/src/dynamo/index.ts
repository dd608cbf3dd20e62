/**
 * BatchGetItem and BatchWriteItem with their leftovers retried: DynamoDB may answer part of a batch
 * (UnprocessedKeys / UnprocessedItems) under load, and the SDK does not resend those itself.
 * The one retry loop every service uses; an exhausted loop throws a retryable UpstreamError.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoffMs, sleep } from '../async';
import { UpstreamError } from '../errors';

export type Item = Record<string, unknown>;
type Db = Pick<DynamoDBDocumentClient, 'send'>;

/** The API's limits: keys per BatchGetItem, requests per BatchWriteItem. */
export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;
export const DEFAULT_BATCH_ATTEMPTS = 8;

export interface BatchGetOptions {
  consistentRead?: boolean;
  projection?: { expression: string; names: Record<string, string> };
  maxAttempts?: number;
}

/** Every item found for `keys` (any order), in chunks of 100 read side by side. */
export async function batchGetAll(db: Db, tableName: string, keys: readonly Item[], options: BatchGetOptions = {}) {
  const maxAttempts = options.maxAttempts ?? DEFAULT_BATCH_ATTEMPTS;
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_MAX_KEYS));
  const parts = await Promise.all(
    chunks.map(async (chunk) => {
      const found: Item[] = [];
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= maxAttempts) {
          throw new UpstreamError(`DynamoDB left ${pending.length} keys unread after ${attempt} BatchGet attempts`, {
            retryable: true,
          });
        }
        if (attempt > 0) await sleep(backoffMs(attempt));
        const out = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.consistentRead ? { ConsistentRead: true } : {}),
                ...(options.projection
                  ? {
                      ProjectionExpression: options.projection.expression,
                      ExpressionAttributeNames: options.projection.names,
                    }
                  : {}),
              },
            },
          }),
        );
        found.push(...((out.Responses?.[tableName] ?? []) as Item[]));
        pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
      }
      return found;
    }),
  );
  return parts.flat();
}

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** Every request written, 25 at a time, one batch after another. */
export async function batchWriteAll(
  db: Db,
  tableName: string,
  requests: readonly WriteRequest[],
  options: { maxAttempts?: number } = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_BATCH_ATTEMPTS;
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX_ITEMS) {
    let pending = requests.slice(i, i + BATCH_WRITE_MAX_ITEMS);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxAttempts) {
        throw new UpstreamError(
          `DynamoDB left ${pending.length} items unwritten after ${attempt} BatchWrite attempts`,
          { retryable: true },
        );
      }
      if (attempt > 0) await sleep(backoffMs(attempt));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
}
