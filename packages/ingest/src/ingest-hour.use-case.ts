/**
 * Ingest one hour into the raw zone.
 *
 * Which hour: the scheduled run asks NSW for its current snapshot (POST, empty body) and stores it
 * under the latest hour the snapshot's observations are labelled with, converted to UTC with
 * NSW_SOURCE_TIMEZONE. The clock is not consulted: NSW publishes late and irregularly, and a key
 * derived from "the previous hour" would file an older snapshot under a newer hour. A backfill of
 * hour H asks for H's local date (NSW queries take dates), stores that response exactly as
 * received under H's key (the ETL keeps only H's observations) and fails if it holds none for H.
 *
 * Writing: the object is the NSW body untouched inside the shared raw envelope. If an object with
 * the same content hash is already stored the run writes nothing ("unchanged"); different content
 * overwrites it (the ETL orders versions by fetchedAt). A failed or invalid fetch throws before
 * anything is written.
 */
import { UpstreamError, ValidationError } from '@opendata-pulse/shared/errors';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { hourlyObservationQuery, type NswObservation } from '@opendata-pulse/shared/nsw';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { buildRawEnvelope } from '@opendata-pulse/shared/raw';
import { DAY_MS, HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import type { IngestDeps } from './ingest-deps';
import { INGEST_METRICS } from './metrics';
import type { NswResponse } from './nsw-client';
import { latestHourOf, observationHours } from './observation-hours';
import { refreshReferenceData } from './refresh-reference.use-case';
import { INGEST_VERSION } from './version';

export type IngestTarget = { kind: 'latest' } | { kind: 'hour'; hourStart: number };

export interface IngestResult {
  status: 'written' | 'unchanged';
  /** UTC start of the stored hour (ISO, as the model spells hourStart) */
  hourStart: string;
  key: string;
  /** observations in the stored body */
  recordCount: number;
  contentSha256: string;
  /** when the stored content was fetched: this run's fetch, or the earlier one when unchanged */
  fetchedAt: string;
}

export async function ingestHour(deps: IngestDeps, target: IngestTarget): Promise<IngestResult> {
  const { hourStart, response } =
    target.kind === 'latest' ? await fetchLatest(deps) : await fetchHour(deps, target.hourStart);
  const result = await store(deps, hourStart, response);
  await refreshReferenceData(deps);
  return result;
}

async function fetchLatest(deps: IngestDeps) {
  const response = await deps.nsw.getObservations('snapshot');
  const hourStart = latestHourOf(response.data, deps.source.timeZone);
  const { counts } = observationHours(response.data, deps.source.timeZone);
  if (counts.size > 1) {
    // Kept as received; the ETL decides what an older hour's rows in a newer object are worth.
    deps.logger.warn('NSW snapshot spans several hours; stored under the latest', {
      hours: Object.fromEntries([...counts].map(([h, n]) => [new Date(h).toISOString(), n])),
    });
  }
  return { hourStart, response };
}

async function fetchHour(deps: IngestDeps, hourStart: number) {
  const hourIso = new Date(hourStart).toISOString();
  if (hourStart + HOUR_MS > deps.clock.now()) {
    throw new ValidationError(`Hour ${hourIso} has not ended yet; only complete hours can be backfilled`);
  }
  const { date, hour } = utcToNswHour(hourStart, deps.source.timeZone);
  const nextDate = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const response = await deps.nsw.getObservations(hourlyObservationQuery(date, nextDate));
  const { counts } = observationHours(response.data, deps.source.timeZone);
  if (!counts.has(hourStart)) {
    throw new UpstreamError(
      `NSW returned ${response.data.length} observations for ${date} but none for ${hourIso} ` +
        `(Date ${date} Hour ${hour} in ${deps.source.timeZone}); nothing was written`,
      { details: { date, hour, hoursReturned: [...counts.keys()].map((h) => new Date(h).toISOString()) } },
    );
  }
  return { hourStart, response };
}

async function store(
  deps: IngestDeps,
  hourStart: number,
  response: NswResponse<NswObservation[]>,
): Promise<IngestResult> {
  const key = rawObjectKey(hourStart);
  const envelope = buildRawEnvelope({
    hourStart: new Date(hourStart).toISOString(),
    source: {
      url: response.url,
      operation: response.operation,
      label: deps.source.label,
      timeZone: deps.source.timeZone,
    },
    request: response.request,
    fetchedAt: response.fetchedAt,
    recordCount: response.data.length,
    ingestVersion: INGEST_VERSION,
    response: { status: response.status, contentType: response.contentType, body: response.bodyText },
  });
  const base = {
    hourStart: envelope.hourStart,
    key,
    recordCount: envelope.recordCount,
    contentSha256: envelope.contentSha256,
  };

  const stored = await deps.store.describe(key);
  if (stored?.contentSha256 === envelope.contentSha256) {
    deps.metrics.addMetric(INGEST_METRICS.hoursUnchanged, MetricUnit.Count, 1);
    deps.logger.info('hour unchanged; nothing written', { ...base, storedFetchedAt: stored.fetchedAt });
    return { status: 'unchanged', ...base, fetchedAt: stored.fetchedAt ?? envelope.fetchedAt };
  }
  await deps.store.putRaw(key, envelope);
  deps.metrics.addMetric(INGEST_METRICS.hoursWritten, MetricUnit.Count, 1);
  deps.metrics.addMetric(INGEST_METRICS.recordsIngested, MetricUnit.Count, envelope.recordCount);
  deps.logger.info(stored ? 'hour rewritten with new content' : 'hour written', {
    ...base,
    bucket: deps.store.bucket,
    fetchedAt: envelope.fetchedAt,
    attempts: response.attempts,
    upstreamLatencyMs: response.latencyMs,
  });
  return { status: 'written', ...base, fetchedAt: envelope.fetchedAt };
}
