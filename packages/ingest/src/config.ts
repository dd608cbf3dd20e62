/**
 * The ingest's configuration: the shared ingest schema plus the backoff knobs, which only this
 * service has. Tests and the local stack shorten them so fault runs take milliseconds.
 */
import { ingestEnvSchema } from '@opendata-pulse/shared/config';
import * as z from 'zod';

export const ingestConfigSchema = ingestEnvSchema.extend({
  /** ceiling of the first retry's delay; each retry doubles it (full jitter below the ceiling) */
  NSW_BACKOFF_BASE_MS: z.coerce.number().int().nonnegative().default(500),
  NSW_BACKOFF_MAX_MS: z.coerce.number().int().nonnegative().default(8_000),
  /** scheduled runs fill missing raw hours up to this many hours before the snapshot's (0 = off) */
  INGEST_CATCH_UP_HOURS: z.coerce.number().int().min(0).max(24).default(3),
  /** time kept back from the Lambda's remaining time for the S3 writes after the NSW calls */
  INGEST_RESERVE_MS: z.coerce.number().int().nonnegative().default(5_000),
});

export type IngestConfig = z.output<typeof ingestConfigSchema>;
