/**
 * How big a run is. `full` is `pnpm bench`: sized to finish in well under 10 minutes on a 2-core
 * machine from a fresh clone. `smoke` is the test suite's run: every figure, tiny sizes.
 */
import type { ServiceId } from '@opendata-pulse/deploy-tools/services';

export interface BenchSize {
  name: 'full' | 'smoke';
  services: ServiceId[];
  packageWithSls: boolean;
  importRuns: number;
  /** launches of the local stack (each cold, then warm) */
  localStartupRuns: number;
  /** hours the local stack backfills at start for its memory after a backfill */
  localBackfillHours: number;
  /** runs of each `pnpm pulse` command timed (alternating with the floor) */
  cliRuns: number;
  transform: { stations: number; hours: number };
  endToEnd: { stations: number; hours: number };
  api: { requests: number; warmup: number; concurrency: number[] };
  backfill: { stations: number; hours: number; steadyHours: number };
  /** the dashboard: sample hours ingested, page loads, station panels opened */
  web: { hours: number; loads: number; panels: number };
  drainTimeoutMs: number;
}

export const FULL: BenchSize = {
  name: 'full',
  services: ['ingest', 'etl', 'api', 'ops'],
  packageWithSls: true,
  importRuns: 10,
  localStartupRuns: 3,
  localBackfillHours: 48,
  cliRuns: 5,
  // A generated month (31 days) for 100 stations.
  transform: { stations: 100, hours: 31 * 24 },
  endToEnd: { stations: 100, hours: 48 },
  api: { requests: 500, warmup: 100, concurrency: [1, 8, 32] },
  // A week, extrapolated to the year the issue asks for (a year takes over an hour here).
  backfill: { stations: 100, hours: 7 * 24, steadyHours: 6 },
  web: { hours: 7 * 24, loads: 5, panels: 5 },
  drainTimeoutMs: 600_000,
};

export const SMOKE: BenchSize = {
  name: 'smoke',
  services: ['ingest'],
  packageWithSls: false,
  // A cold import is a difference of two process times: the median of 3 keeps one process slowed
  // by a busy machine from making it come out at or below zero (which leaves it without a ratio).
  importRuns: 3,
  localStartupRuns: 1,
  localBackfillHours: 2,
  cliRuns: 1,
  transform: { stations: 3, hours: 2 },
  endToEnd: { stations: 3, hours: 2 },
  api: { requests: 4, warmup: 2, concurrency: [1, 8, 32] },
  backfill: { stations: 3, hours: 3, steadyHours: 1 },
  web: { hours: 2, loads: 1, panels: 1 },
  drainTimeoutMs: 120_000,
};

export function describeSize(size: BenchSize): Record<string, number | string | string[]> {
  return {
    name: size.name,
    services: size.services,
    importRuns: size.importRuns,
    localStartupRuns: size.localStartupRuns,
    localBackfillHours: size.localBackfillHours,
    cliRuns: size.cliRuns,
    transform: `${size.transform.hours} h x ${size.transform.stations} stations`,
    endToEnd: `${size.endToEnd.hours} h x ${size.endToEnd.stations} stations`,
    api: `${size.api.requests} requests per level at concurrency ${size.api.concurrency.join('/')}`,
    backfill: `${size.backfill.hours} h x ${size.backfill.stations} stations + ${size.backfill.steadyHours} steady-state h`,
    web: `${size.web.hours} sample h, ${size.web.loads} page loads, ${size.web.panels} panels`,
  };
}
