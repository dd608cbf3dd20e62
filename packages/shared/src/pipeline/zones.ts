/**
 * What operations read of the pipeline outside the table, defined once: the newest hour in the raw
 * zone and a queue's depth. The API's `systemHealth`, the health-check Lambda, `pulse` and the
 * local stack all use these, so they cannot disagree about "fresh" or "empty".
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { hourOfRawKey, parseRawKey, RAW_PREFIX, rawDayPrefix, rawDayVersionsPrefix } from '../keys';
import { RAW_OBJECT_METADATA } from '../raw/metadata';
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
 * The newest hour in the raw zone at or before `now`, whether an hour object (the scheduled run's
 * snapshots and their revisions) or a day object (a backfill's NSW local date) holds it.
 *
 * Hour objects: the day prefixes from today backwards (one small listing each, the usual case
 * being today), and only when RAW_LOOKBACK_DAYS hold nothing, the whole zone. Delimiter listings
 * would be fewer requests on AWS, but s3rver does not return keys nested below a common prefix, so
 * they cannot be relied on locally.
 *
 * Day objects: only one that could hold a newer hour is looked at. A local date is within a day of
 * the UTC date of its hours, so the dates from tomorrow back to the day before the newest hour
 * object's are listed, newest first; the first date with a stored version answers with its newest
 * version's `last-hour` metadata (one HEAD). Day objects older than the lookback are not looked for.
 */
export async function newestRawHour(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  now: number,
): Promise<RawHour | undefined> {
  const fromHours = await newestHourObject(s3, bucket, now);
  const fromDays = await newestDayObjectHour(s3, bucket, now, fromHours?.hourStart);
  if (!fromDays) return fromHours;
  if (!fromHours || fromDays.hourStart > fromHours.hourStart) return fromDays;
  return fromHours;
}

async function newestHourObject(s3: Pick<S3Client, 'send'>, bucket: string, now: number) {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (let day = 0; day < RAW_LOOKBACK_DAYS; day++) {
    const newest = newestOf(await listObjects(s3, bucket, rawDayPrefix(utcDateOf(today - day * DAY_MS))), now);
    if (newest) return newest;
  }
  return newestOf(await listObjects(s3, bucket, RAW_PREFIX), now);
}

async function newestDayObjectHour(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  now: number,
  newestHour: number | undefined,
): Promise<RawHour | undefined> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const oldest = Math.max(
    today - RAW_LOOKBACK_DAYS * DAY_MS,
    newestHour === undefined ? -Infinity : newestHour - DAY_MS,
  );
  for (let day = today + DAY_MS; day >= oldest; day -= DAY_MS) {
    const versions = (await listObjects(s3, bucket, rawDayVersionsPrefix(utcDateOf(day))))
      .filter((o) => parseRawKey(o.key)?.kind === 'day')
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const newest = versions.at(-1);
    if (!newest) continue;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: newest.key }));
    const lastHour = Date.parse(head.Metadata?.[RAW_OBJECT_METADATA.lastHour] ?? '');
    // Written without the metadata: it cannot say which hours it holds without being read.
    if (Number.isNaN(lastHour) || lastHour > now) return undefined;
    const writtenAt = newest.lastModified?.getTime();
    return { hourStart: lastHour, ...(writtenAt !== undefined ? { writtenAt } : {}) };
  }
  return undefined;
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
