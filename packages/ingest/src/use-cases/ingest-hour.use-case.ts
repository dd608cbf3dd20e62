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
 * Catching up: a snapshot only ever shows the newest hour, so when NSW publishes two hours between
 * two runs (it publishes irregularly; the schedule is not aligned to it) the one in between would
 * never be stored. After storing the snapshot's hour, the scheduled run therefore backfills any of
 * the `catchUpHours` hours before it that is missing from the raw zone (hours NSW has no label
 * for, like the repeated hour when daylight saving ends, are skipped). Catch-up failures are
 * logged and metered and do not fail the run: the next run, or `pulse gaps --fix`, retries them.
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
import { DAY_MS, HOUR_MS, nswHourToUtc, utcToNswHour } from '@opendata-pulse/shared/time';
import { INGEST_METRICS } from '../domain/ingest-metrics';
import { latestHourOf, observationHours } from '../domain/observation-hours';
import { INGEST_VERSION } from '../version';
import type { IngestDeps, NswResponse } from './ports';
import { refreshReferenceData } from './refresh-reference.use-case';

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
  /** scheduled runs only, when they filled earlier missing hours: the keys written */
  caughtUp?: string[];
}

type ObservationsResponse = NswResponse<NswObservation[]>;

export async function ingestHour(deps: IngestDeps, target: IngestTarget): Promise<IngestResult> {
  let result: IngestResult;
  if (target.kind === 'latest') {
    const { hourStart, response } = await fetchLatest(deps);
    result = await store(deps, hourStart, response);
    const caughtUp = await catchUp(deps, hourStart);
    if (caughtUp.length > 0) result.caughtUp = caughtUp;
  } else {
    assertComplete(deps, target.hourStart);
    const response = await fetchDay(deps, target.hourStart);
    result = await store(deps, target.hourStart, checkHourIn(deps, response, target.hourStart));
  }
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

function assertComplete(deps: IngestDeps, hourStart: number) {
  if (hourStart + HOUR_MS > deps.clock.now()) {
    throw new ValidationError(
      `Hour ${new Date(hourStart).toISOString()} has not ended yet; only complete hours can be backfilled`,
    );
  }
}

/** NSW's hourly observations for the local date that labels `hourStart` (queries take dates). */
async function fetchDay(deps: IngestDeps, hourStart: number): Promise<ObservationsResponse> {
  const { date } = utcToNswHour(hourStart, deps.source.timeZone);
  const nextDate = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return deps.nsw.getObservations(hourlyObservationQuery(date, nextDate));
}

function checkHourIn(deps: IngestDeps, response: ObservationsResponse, hourStart: number): ObservationsResponse {
  const { counts } = observationHours(response.data, deps.source.timeZone);
  if (!counts.has(hourStart)) {
    const { date, hour } = utcToNswHour(hourStart, deps.source.timeZone);
    throw new UpstreamError(
      `NSW returned ${response.data.length} observations for ${date} but none for ${new Date(hourStart).toISOString()} ` +
        `(Date ${date} Hour ${hour} in ${deps.source.timeZone}); nothing was written`,
      { details: { date, hour, hoursReturned: [...counts.keys()].map((h) => new Date(h).toISOString()) } },
    );
  }
  return response;
}

/** True when NSW labels this UTC hour (false for the repeated hour when daylight saving ends). */
function hasNswLabel(hourStart: number, timeZone: string): boolean {
  const { date, hour } = utcToNswHour(hourStart, timeZone);
  try {
    return Date.parse(nswHourToUtc(date, hour, timeZone)) === hourStart;
  } catch {
    return false;
  }
}

async function catchUp(deps: IngestDeps, latest: number): Promise<string[]> {
  const written: string[] = [];
  // Missing hours of one local date share one query.
  const days = new Map<string, Promise<ObservationsResponse>>();
  for (let h = latest - deps.catchUpHours * HOUR_MS; h < latest; h += HOUR_MS) {
    if (!hasNswLabel(h, deps.source.timeZone)) continue;
    const key = rawObjectKey(h);
    try {
      if (await deps.store.describe(key)) continue;
      const { date } = utcToNswHour(h, deps.source.timeZone);
      let day = days.get(date);
      if (!day) {
        day = fetchDay(deps, h);
        days.set(date, day);
      }
      const result = await store(deps, h, checkHourIn(deps, await day, h));
      written.push(result.key);
      deps.metrics.addMetric(INGEST_METRICS.hoursCaughtUp, MetricUnit.Count, 1);
    } catch (error) {
      deps.metrics.addMetric(INGEST_METRICS.catchUpFailures, MetricUnit.Count, 1);
      deps.logger.warn('catch-up of a missing earlier hour failed; the next run retries it', {
        key,
        error: error as Error,
      });
    }
  }
  return written;
}

async function store(deps: IngestDeps, hourStart: number, response: ObservationsResponse): Promise<IngestResult> {
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
