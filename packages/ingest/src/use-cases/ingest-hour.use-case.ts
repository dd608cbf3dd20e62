/**
 * Ingest into the raw zone (docs/architecture.md, "Raw zone keys").
 *
 * Which hour: the scheduled run asks NSW for its current snapshot (POST, empty body) and stores it
 * under the latest hour the snapshot's observations are labelled with, converted to UTC with
 * NSW_SOURCE_TIMEZONE. The clock is not consulted: NSW publishes late and irregularly, and a key
 * derived from "the previous hour" would file an older snapshot under a newer hour.
 *
 * Backfill of hour H: NSW answers dated queries by whole local days, so the backfill asks for H's
 * local date once and stores that answer exactly as received as the date's DAY object (the ETL
 * turns it into hours). It fails, writing nothing, when the answer holds no observation for H.
 * When the date's newest stored day object already holds H, NSW is not asked again ("unchanged"):
 * a backfill of N local days then sends N requests however many of their hours it is asked for,
 * and a day stored while still in progress is fetched again for an hour it lacks.
 *
 * Catching up: a snapshot only ever shows the newest hour, so when NSW publishes two hours between
 * two runs (it publishes irregularly; the schedule is not aligned to it) the one in between would
 * never be stored. After storing the snapshot's hour, the scheduled run therefore fills any of the
 * `catchUpHours` hours before it that no stored object holds (no hour version, and no day object
 * of its date holding it), as an hour object cut from one query per local date (hours NSW has no
 * label for, like the repeated hour when daylight saving ends, are skipped). Catch-up failures
 * are logged and metered and do not fail the run: the next run, or `pulse gaps --fix`, retries
 * them.
 *
 * Writing, for hours and days alike: nothing NSW sent is ever overwritten. The first fetch goes to
 * the plain key (`HH.json`, `days/YYYY-MM-DD.json`); a later fetch is compared with the NEWEST
 * stored version (the last in a listing of the versions prefix): the same content hash writes
 * nothing ("unchanged"), different content is stored beside it under a revision key naming its
 * fetch time and hash. A failed or invalid fetch throws before anything is written.
 */
import { UpstreamError, ValidationError } from '@opendata-pulse/shared/errors';
import {
  rawDayKey,
  rawDayRevisionKey,
  rawDayVersionsPrefix,
  rawHourVersionsPrefix,
  rawObjectKey,
  rawRevisionKey,
} from '@opendata-pulse/shared/keys';
import { hourlyObservationQuery, type NswObservation } from '@opendata-pulse/shared/nsw';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { buildRawDayEnvelope, buildRawEnvelope, parseRawObject, type RawDayEnvelope } from '@opendata-pulse/shared/raw';
import { DAY_MS, HOUR_MS, nswHourToUtc, utcToNswHour } from '@opendata-pulse/shared/time';
import { INGEST_METRICS } from '../domain/ingest-metrics';
import { latestHourOf, observationHours } from '../domain/observation-hours';
import { INGEST_VERSION } from '../version';
import type { IngestDeps, NswResponse, RawObject } from './ports';
import { refreshReferenceData } from './refresh-reference.use-case';

export type IngestTarget = { kind: 'latest' } | { kind: 'hour'; hourStart: number };

export interface IngestResult {
  status: 'written' | 'unchanged';
  /** UTC start of the stored hour, or of the hour a backfill asked for (ISO, as the model spells hourStart) */
  hourStart: string;
  /** the key written, or the newest stored version's key when unchanged */
  key: string;
  /** backfills: the NSW local date whose answer was stored */
  localDate?: string;
  /** backfills: the UTC hours (ISO, ascending) the stored day holds observations for */
  hours?: string[];
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
    result = await storeHour(deps, hourStart, response);
    const caughtUp = await catchUp(deps, hourStart);
    if (caughtUp.length > 0) result.caughtUp = caughtUp;
  } else {
    assertComplete(deps, target.hourStart);
    const stored = await storedDayHolding(deps, target.hourStart);
    if (stored) {
      deps.metrics.addMetric(INGEST_METRICS.daysUnchanged, MetricUnit.Count, 1);
      deps.logger.info('day already stored with this hour; NSW not asked', {
        key: stored.key,
        localDate: stored.localDate,
      });
      result = stored;
    } else {
      const response = await fetchDay(deps, target.hourStart);
      result = await storeDay(deps, target.hourStart, checkHourIn(deps, response, target.hourStart));
    }
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

/**
 * The "unchanged" result when the newest stored version of hourStart's local date holds that hour;
 * undefined when NSW must be asked (nothing stored, or a version without it).
 */
async function storedDayHolding(deps: IngestDeps, hourStart: number): Promise<IngestResult | undefined> {
  const { date } = utcToNswHour(hourStart, deps.source.timeZone);
  const newest = await deps.store.newestVersion(rawDayVersionsPrefix(date));
  if (!newest) return undefined;
  // The metadata's span rules most misses out without reading a day's answer (MBs).
  if (newest.firstHour && newest.lastHour) {
    if (hourStart < Date.parse(newest.firstHour) || hourStart > Date.parse(newest.lastHour)) return undefined;
  }
  let parsed: { envelope: RawDayEnvelope; observations: NswObservation[] };
  try {
    parsed = parseRawObject(await deps.store.read(newest.key), 'day');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Unreadable: ask NSW, and the good answer is stored beside it.
    deps.logger.warn('stored day object is unreadable; asking NSW again', { key: newest.key, error });
    return undefined;
  }
  const { envelope, observations } = parsed;
  const held = [...observationHours(observations, envelope.source.timeZone).counts.keys()];
  if (!held.includes(hourStart)) return undefined;
  return {
    status: 'unchanged',
    hourStart: new Date(hourStart).toISOString(),
    key: newest.key,
    localDate: date,
    hours: held.map((h) => new Date(h).toISOString()),
    recordCount: envelope.recordCount,
    contentSha256: envelope.contentSha256,
    fetchedAt: envelope.fetchedAt,
  };
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
      if (await deps.store.newestVersion(rawHourVersionsPrefix(h))) continue;
      // a backfilled day object holding the hour counts too: each NSW response is stored once
      if (await storedDayHolding(deps, h)) continue;
      const { date } = utcToNswHour(h, deps.source.timeZone);
      let day = days.get(date);
      if (!day) {
        day = fetchDay(deps, h);
        days.set(date, day);
      }
      const result = await storeHour(deps, h, checkHourIn(deps, await day, h));
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

function sourceOf(deps: IngestDeps, response: ObservationsResponse) {
  return {
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
  };
}

async function storeHour(deps: IngestDeps, hourStart: number, response: ObservationsResponse): Promise<IngestResult> {
  const envelope = buildRawEnvelope({ hourStart: new Date(hourStart).toISOString(), ...sourceOf(deps, response) });
  const stored = await storeVersioned(deps, response, {
    unit: 'hour',
    versionsPrefix: rawHourVersionsPrefix(hourStart),
    firstKey: rawObjectKey(hourStart),
    revisionKey: rawRevisionKey(hourStart, envelope.fetchedAt, envelope.contentSha256),
    object: { kind: 'hour', envelope },
  });
  return { hourStart: envelope.hourStart, ...stored };
}

async function storeDay(deps: IngestDeps, hourStart: number, response: ObservationsResponse): Promise<IngestResult> {
  const { date } = utcToNswHour(hourStart, deps.source.timeZone);
  const hours = [...observationHours(response.data, deps.source.timeZone).counts.keys()].map((h) =>
    new Date(h).toISOString(),
  );
  const envelope = buildRawDayEnvelope({ localDate: date, ...sourceOf(deps, response) });
  const stored = await storeVersioned(deps, response, {
    unit: 'day',
    versionsPrefix: rawDayVersionsPrefix(date),
    firstKey: rawDayKey(date),
    revisionKey: rawDayRevisionKey(date, envelope.fetchedAt, envelope.contentSha256),
    // checkHourIn made sure the answer holds at least hourStart
    object: { kind: 'day', envelope, firstHour: hours[0] as string, lastHour: hours.at(-1) as string },
  });
  const { status, key, ...rest } = stored;
  return { status, hourStart: new Date(hourStart).toISOString(), key, localDate: date, hours, ...rest };
}

interface Placement {
  unit: 'hour' | 'day';
  /** lists every stored version of this hour or day, oldest first */
  versionsPrefix: string;
  /** where the first fetch goes */
  firstKey: string;
  /** where this fetch goes when an older, different version exists */
  revisionKey: string;
  object: RawObject;
}

/** One fetch into the raw zone, never overwriting: unchanged, the first version, or a revision. */
async function storeVersioned(deps: IngestDeps, response: ObservationsResponse, placement: Placement) {
  const { envelope } = placement.object;
  const metric =
    placement.unit === 'hour'
      ? { written: INGEST_METRICS.hoursWritten, unchanged: INGEST_METRICS.hoursUnchanged }
      : { written: INGEST_METRICS.daysWritten, unchanged: INGEST_METRICS.daysUnchanged };
  const base = { recordCount: envelope.recordCount, contentSha256: envelope.contentSha256 };

  const newest = await deps.store.newestVersion(placement.versionsPrefix);
  if (newest?.contentSha256 === envelope.contentSha256) {
    deps.metrics.addMetric(metric.unchanged, MetricUnit.Count, 1);
    deps.logger.info(`${placement.unit} unchanged; nothing written`, {
      ...base,
      key: newest.key,
      storedFetchedAt: newest.fetchedAt,
    });
    return {
      status: 'unchanged' as const,
      key: newest.key,
      ...base,
      fetchedAt: newest.fetchedAt ?? envelope.fetchedAt,
    };
  }
  const key = newest ? placement.revisionKey : placement.firstKey;
  await deps.store.putRaw(key, placement.object);
  deps.metrics.addMetric(metric.written, MetricUnit.Count, 1);
  deps.metrics.addMetric(INGEST_METRICS.recordsIngested, MetricUnit.Count, envelope.recordCount);
  deps.logger.info(
    newest ? `${placement.unit} revised: stored beside the earlier fetch` : `${placement.unit} written`,
    {
      ...base,
      key,
      ...(newest ? { previousKey: newest.key } : {}),
      bucket: deps.store.bucket,
      fetchedAt: envelope.fetchedAt,
      attempts: response.attempts,
      upstreamLatencyMs: response.latencyMs,
    },
  );
  return { status: 'written' as const, key, ...base, fetchedAt: envelope.fetchedAt };
}
