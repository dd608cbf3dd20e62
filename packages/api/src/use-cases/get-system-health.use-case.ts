import type { Logger } from '@opendata-pulse/shared/observability';
import {
  FRESHNESS_CRITICAL_MINUTES,
  FRESHNESS_WARN_MINUTES,
  freshnessVerdict,
  minutesSinceHourEnded,
} from '@opendata-pulse/shared/pipeline';
import { parseHourStart } from '@opendata-pulse/shared/time';
import type { HotAggregatesReader, PipelineProbes } from './ports';

export interface SystemHealthReport {
  checkedAt: string;
  lastIngestHour: string | null;
  lastIngestAt: string | null;
  lastEtlHour: string | null;
  lastEtlFetchedAt: string | null;
  dataAgeMinutes: number | null;
  stationCount: number;
  stationsReporting: number;
  dlqDepth: number | null;
  problems: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What operators need at a glance: the newest raw hour, the newest hour in the table, how stale
 * that is, and the DLQ. Each probe fails alone: its failure becomes a problem line (details logged).
 * Staleness is judged by shared `/pipeline`'s thresholds, the ones the health check and alarm use.
 */
export async function systemHealth(deps: {
  reader: HotAggregatesReader;
  probes: PipelineProbes;
  now: () => number;
  logger: Pick<Logger, 'error'>;
}): Promise<SystemHealthReport> {
  const now = deps.now();
  const tableState = async () => {
    const stations = await deps.reader.stations();
    const latest = [...(await deps.reader.latestFor(stations.map((s) => s.siteId))).values()];
    const newest = latest.reduce<(typeof latest)[number] | undefined>(
      (best, r) => (!best || parseHourStart(r.hourStart) > parseHourStart(best.hourStart) ? r : best),
      undefined,
    );
    const newestMs = newest ? parseHourStart(newest.hourStart) : undefined;
    return {
      stationCount: stations.length,
      newestMs,
      fetchedAt: newest?.source?.fetchedAt ?? null,
      reporting: latest.filter((r) => parseHourStart(r.hourStart) === newestMs).length,
    };
  };
  const [raw, dlq, table] = await Promise.allSettled([
    deps.probes.newestRawHour(now),
    deps.probes.dlqDepth(),
    tableState(),
  ]);

  const problems: string[] = [];
  const failed = (what: string, result: PromiseRejectedResult) => {
    deps.logger.error(`systemHealth: ${what} failed`, result.reason as Error);
    problems.push(`${what} failed (see the API's logs)`);
  };

  let lastIngest: { hourStart: number; writtenAt?: number } | null = null;
  if (raw.status === 'rejected') failed('listing the raw bucket', raw);
  else if (raw.value === undefined) problems.push('raw bucket not configured (S3_BUCKET)');
  else if (raw.value === null) problems.push('no hour in the raw zone');
  else lastIngest = raw.value;

  let dlqDepth: number | null = null;
  if (dlq.status === 'rejected') failed('reading the dead-letter queue', dlq);
  else if (dlq.value === undefined) problems.push('dead-letter queue not configured (DLQ_URL)');
  else {
    dlqDepth = dlq.value;
    if (dlqDepth > 0) problems.push(`${dlqDepth} message(s) in the dead-letter queue`);
  }

  let state: Awaited<ReturnType<typeof tableState>> | undefined;
  if (table.status === 'rejected') failed('reading the table', table);
  else state = table.value;
  const dataAgeMinutes = state?.newestMs === undefined ? null : minutesSinceHourEnded(state.newestMs, now);
  if (state && state.newestMs === undefined) problems.push('no station has a reading in the table');
  if (dataAgeMinutes !== null) {
    const verdict = freshnessVerdict(dataAgeMinutes);
    if (verdict === 'STALE') {
      problems.push(`newest data is ${dataAgeMinutes} minutes old (limit ${FRESHNESS_CRITICAL_MINUTES})`);
    } else if (verdict === 'LAGGING') {
      problems.push(
        `newest data is ${dataAgeMinutes} minutes old (lagging past ${FRESHNESS_WARN_MINUTES}, limit ${FRESHNESS_CRITICAL_MINUTES})`,
      );
    }
  }
  if (lastIngest && state?.newestMs !== undefined && lastIngest.hourStart > state.newestMs) {
    problems.push(`raw hour ${iso(lastIngest.hourStart)} is not in the table yet`);
  }

  return {
    checkedAt: iso(now),
    lastIngestHour: lastIngest ? iso(lastIngest.hourStart) : null,
    lastIngestAt: lastIngest?.writtenAt === undefined ? null : iso(lastIngest.writtenAt),
    lastEtlHour: state?.newestMs === undefined ? null : iso(state.newestMs),
    lastEtlFetchedAt: state?.fetchedAt ?? null,
    dataAgeMinutes,
    stationCount: state?.stationCount ?? 0,
    stationsReporting: state?.reporting ?? 0,
    dlqDepth,
    problems,
  };
}
