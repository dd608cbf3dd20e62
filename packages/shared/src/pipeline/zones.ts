/**
 * What operations read of the pipeline outside the table, defined once: the newest hour in the raw
 * zone and a queue's depth. The API's `systemHealth`, the health-check Lambda, `pulse` and the
 * local stack all use these, so they cannot disagree about "fresh" or "empty".
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { hourOfRawKey, RAW_PREFIX, rawDayPrefix } from '../keys';
import { DAY_MS, utcDateOf } from '../time';

export interface ListedObject {
  key: string;
  size: number;
  lastModified?: Date;
}

/** Every object under a prefix (all pages). */
export async function listObjects(s3: Pick<S3Client, 'send'>, bucket: string, prefix: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (o.Key)
        out.push({ key: o.Key, size: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified } : {}) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** How many UTC days back `newestRawHour` looks day by day before it lists the whole zone. */
export const RAW_LOOKBACK_DAYS = 7;

export interface RawHour {
  /** UTC start of the hour, epoch ms */
  hourStart: number;
  /** when the newest object for that hour was written */
  writtenAt?: number;
}

/**
 * The newest hour in the raw zone at or before `now`: the day prefixes from today backwards (one
 * small listing each, the usual case being today), and only when RAW_LOOKBACK_DAYS hold nothing,
 * the whole zone. Delimiter listings would be fewer requests on AWS, but s3rver does not return
 * keys nested below a common prefix, so they cannot be relied on locally.
 */
export async function newestRawHour(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  now: number,
): Promise<RawHour | undefined> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (let day = 0; day < RAW_LOOKBACK_DAYS; day++) {
    const newest = newestOf(await listObjects(s3, bucket, rawDayPrefix(utcDateOf(today - day * DAY_MS))), now);
    if (newest) return newest;
  }
  return newestOf(await listObjects(s3, bucket, RAW_PREFIX), now);
}

function newestOf(objects: readonly ListedObject[], now: number): RawHour | undefined {
  let newest: RawHour | undefined;
  for (const o of objects) {
    const hourStart = hourOfRawKey(o.key);
    if (hourStart === undefined || hourStart > now) continue;
    const writtenAt = o.lastModified?.getTime();
    if (
      !newest ||
      hourStart > newest.hourStart ||
      (hourStart === newest.hourStart && (writtenAt ?? 0) > (newest.writtenAt ?? 0))
    ) {
      newest = { hourStart, ...(writtenAt !== undefined ? { writtenAt } : {}) };
    }
  }
  return newest;
}

/**
 * A queue's depth. `total` is what "depth" means everywhere in this project: every message the
 * queue still holds, whether visible, in flight (received, not yet deleted or returned) or delayed.
 * Counting only visible messages would call a queue empty while a consumer or a peek holds them.
 */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export async function queueDepth(sqs: Pick<SQSClient, 'send'>, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const visible = Number(a.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, delayed, total: visible + inFlight + delayed };
}
