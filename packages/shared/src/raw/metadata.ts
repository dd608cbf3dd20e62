/**
 * The S3 user metadata (sent as x-amz-meta-*) the ingest writes beside every raw and reference
 * object, so a reader can tell what an object holds without downloading it: the ingest compares
 * hashes, operations and freshness read a day object's span of hours.
 */
export const RAW_OBJECT_METADATA = {
  contentSha256: 'content-sha256',
  recordCount: 'record-count',
  hourStart: 'hour-start',
  fetchedAt: 'fetched-at',
  /** day objects: the NSW local date, and the UTC hours (ISO) of its first and last observations */
  localDate: 'local-date',
  firstHour: 'first-hour',
  lastHour: 'last-hour',
} as const;
