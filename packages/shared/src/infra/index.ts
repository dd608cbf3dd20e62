/**
 * Resource names and definitions shared by serverless.yml (through `${file(...)}` on the JSON
 * files in packages/shared/infra) and the local servers, so both build the same table and queues.
 */

import functions from '../../infra/functions.json' with { type: 'json' };
import table from '../../infra/hot-aggregates-table.json' with { type: 'json' };
import queues from '../../infra/queues.json' with { type: 'json' };

export const BASE_NAMES = {
  ingestFunction: 'opendata-pulse-ingest',
  etlFunction: 'opendata-pulse-etl',
  apiFunction: 'opendata-pulse-api',
  healthCheckFunction: 'opendata-pulse-health-check',
  hourlyRule: 'opendata-pulse-hourly-ingestion',
  rawBucket: 'opendata-pulse-raw-data',
  curatedBucket: 'opendata-pulse-curated-data',
  /** the ops service's bucket: CloudWatch Logs exports (`pulse logs export`) */
  opsBucket: 'opendata-pulse-ops',
  processingQueue: queues.processing.baseName,
  dlq: queues.dlq.baseName,
  table: 'opendata-pulse-hot-aggregates',
  userPool: 'opendata-pulse-users',
  userPoolClient: 'opendata-pulse-api',
  criticalTopic: 'critical-alerts',
  incidentTopic: 'incident-alerts',
} as const;

/** Stage `prod` uses the base names; any other stage appends `-<stage>` (docs/architecture.md, "Names"). */
export function stageName(base: string, stage: string): string {
  return stage === 'prod' ? base : `${base}-${stage}`;
}

/** Bucket names carry the account id: `opendata-pulse-raw-data-<account>[-<stage>]`. */
export function bucketName(base: string, accountId: string, stage: string): string {
  return stageName(`${base}-${accountId}`, stage);
}

export const TABLE_DEFINITION = table;
export const QUEUE_DEFINITIONS = queues;

/**
 * Each function's timeout, memory and concurrency, as deployed: every serverless.yml reads them
 * from infra/functions.json, and the local Lambda host runs each function with the same.
 */
export interface FunctionSettings {
  timeoutSeconds: number;
  memoryMb: number;
  reservedConcurrency?: number;
  /** the ETL's queue event source mapping: at most this many concurrent invocations */
  maxQueueConcurrency?: number;
  /**
   * the ETL's queue event source mapping: at most this many raw objects per invocation. A backfill
   * stores NSW local days, each 24 hours of table work: 3 days at 100 stations take 11-13 s on a
   * 2-core machine, 10 took up to 44 s of the 50 s timeout (packages/etl/README.md, "Time budget").
   */
  queueBatchSize?: number;
}
export const FUNCTION_SETTINGS: Readonly<Record<'ingest' | 'etl' | 'api' | 'healthCheck', FunctionSettings>> =
  functions;
