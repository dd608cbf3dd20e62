import type { Logger, Metrics } from '@opendata-pulse/shared/observability';
import type { NswClient } from '../adapters/nsw-client';
import type { RawStore } from '../adapters/raw-store';
import type { Clock } from '../adapters/system-clock';

/** What the ingest use cases work with; the handler builds it once per invocation. */
export interface IngestDeps {
  nsw: NswClient;
  store: RawStore;
  source: {
    /** recorded in every envelope: live NSW, the bundled sample, or another endpoint */
    label: 'live' | 'sample' | 'custom';
    /** NSW_SOURCE_TIMEZONE: the zone the source's Date/Hour labels are read in */
    timeZone: string;
  };
  /** how many hours before the snapshot's a scheduled run checks for, and fills when missing */
  catchUpHours: number;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}
