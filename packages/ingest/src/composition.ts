/**
 * The ingest's wiring. Per handler instance (a cold start): the environment is parsed once, the
 * S3 client and raw store are built once, the logger at the first invocation. Per invocation: an
 * NSW client whose deadline is the Lambda's remaining time less a reserve, so retries never run
 * the function into its timeout. Nothing below this file reads the environment
 * (docs/architecture.md, "Configuration and errors").
 */
import { createS3Client } from '@opendata-pulse/shared/aws/s3';
import { awsSettings, configOnce, ingestEnvSchema, logLevelFrom } from '@opendata-pulse/shared/config';
import { lazyLogger } from '@opendata-pulse/shared/lambda';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import { createLogger, createMetrics, type Logger, type Metrics } from '@opendata-pulse/shared/observability';
import * as z from 'zod';
import { reportAttempts } from './adapters/attempt-reporting';
import { createNswClient } from './adapters/nsw-client';
import { createRawStore } from './adapters/raw-store';
import { systemClock } from './adapters/system-clock';
import type { IngestRequestDeps } from './use-cases/handle-ingest-request.use-case';
import type { Clock, RawStore } from './use-cases/ports';
import { SERVICE_NAME } from './version';

/**
 * The shared ingest schema plus the backoff knobs, which only this service has. Tests and the
 * local stack shorten them so fault runs take milliseconds.
 */
export const ingestConfigSchema = lazySchema(() =>
  ingestEnvSchema.extend({
    /** ceiling of the first retry's delay; each retry doubles it (full jitter below the ceiling) */
    NSW_BACKOFF_BASE_MS: z.coerce.number().int().nonnegative().default(500),
    NSW_BACKOFF_MAX_MS: z.coerce.number().int().nonnegative().default(8_000),
    /** scheduled runs fill missing raw hours up to this many hours before the snapshot's (0 = off) */
    INGEST_CATCH_UP_HOURS: z.coerce.number().int().min(0).max(24).default(3),
    /** time kept back from the Lambda's remaining time for the S3 writes after the NSW calls */
    INGEST_RESERVE_MS: z.coerce.number().int().nonnegative().default(5_000),
  }),
);

export type IngestConfig = z.output<typeof ingestConfigSchema>;

export interface IngestHandlerOptions {
  /** where config is read from (default: process.env), once per handler instance */
  env?: () => Record<string, string | undefined>;
  clock?: Clock;
  /** jitter source, [0, 1) */
  random?: () => number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface IngestComposition {
  getLogger: () => Logger;
  metrics: Metrics;
  /** One invocation's dependencies; `remainingMs` is the Lambda's time left (none when run in-process). */
  dependencies(remainingMs: number | undefined): IngestRequestDeps;
}

export function composeIngest(options: IngestHandlerOptions = {}): IngestComposition {
  const env = options.env ?? (() => process.env);
  const metrics = options.metrics ?? createMetrics(SERVICE_NAME);
  const clock = options.clock ?? systemClock;
  const config = configOnce(ingestConfigSchema, env);
  const given = options.logger;
  // Built at the first invocation, not at import: the local stack may set LOG_LEVEL after
  // importing the handler.
  const getLogger = given ? () => given : lazyLogger(() => createLogger(SERVICE_NAME, logLevelFrom(env())));
  let store: RawStore | undefined;

  function rawStore(parsed: IngestConfig): RawStore {
    if (!store) {
      // Only the S3 factory: clientsFor would bundle the Lambda, DynamoDB and SQS clients too.
      const { region, endpoints } = awsSettings(parsed);
      store = createRawStore(createS3Client({ region, endpoint: endpoints.s3 }), parsed.S3_BUCKET);
    }
    return store;
  }

  return {
    getLogger,
    metrics,
    dependencies(remainingMs) {
      const parsed = config();
      const logger = getLogger();
      const nsw = createNswClient({
        endpoint: parsed.NSW_API_ENDPOINT,
        timeoutMs: parsed.NSW_TIMEOUT_MS,
        retry: {
          maxAttempts: parsed.NSW_MAX_ATTEMPTS,
          baseDelayMs: parsed.NSW_BACKOFF_BASE_MS,
          maxDelayMs: parsed.NSW_BACKOFF_MAX_MS,
        },
        clock,
        random: options.random,
        // Keep time back for the S3 writes, so retries never run the function into its timeout.
        deadline: remainingMs === undefined ? undefined : clock.now() + remainingMs - parsed.INGEST_RESERVE_MS,
        onAttempt: reportAttempts(logger, metrics),
      });
      return {
        circuitBreaker: parsed.CIRCUIT_BREAKER,
        nsw,
        store: rawStore(parsed),
        source: { label: parsed.NSW_SOURCE_LABEL, timeZone: parsed.NSW_SOURCE_TIMEZONE },
        catchUpHours: parsed.INGEST_CATCH_UP_HOURS,
        clock,
        logger,
        metrics,
      };
    },
  };
}
