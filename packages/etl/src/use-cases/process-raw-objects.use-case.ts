/**
 * Process raw objects: validate each, keep the observations of its hour (an hour object) or split
 * them into the hours of its NSW local date (a day object), write each hour's curated Parquet
 * file, then write the readings of all the objects given and recompute the derived figures they
 * touch (together: a backfill batch of adjacent hours shares its reads and summaries).
 *
 * Replaying any object any number of times, in any order, leaves the same data: a reading or a
 * curated file is only replaced by one from a newer-or-equal fetch, and derived figures are
 * recomputed from what is stored, never accumulated.
 */

import { mapLimit } from '@opendata-pulse/shared/async';
import type { ObjectRef } from '@opendata-pulse/shared/events';
import { type FetchClaim, parseRawKey } from '@opendata-pulse/shared/keys';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { parseSitesReference } from '@opendata-pulse/shared/raw';
import { parseHourStart } from '@opendata-pulse/shared/time';
import { curatedRows, encodeCuratedHour } from '../domain/curated-parquet';
import type { HourTransform, HourTransformCounts } from '../domain/hour-readings';
import { emptyDirectory, type StationDirectory, stationDirectory } from '../domain/station-directory';
import type { CuratedWrite, EtlDeps, ReadingWrite } from './ports';
import { publishHourUpdates } from './publish-hour-updates.use-case';
import { transformRawObject } from './transform-raw-object';
import { type HotAggregatesResult, updateHotAggregates } from './update-hot-aggregates.use-case';

export const ETL_METRICS = {
  objectsProcessed: 'RawObjectsProcessed',
  objectsFailed: 'RawObjectsFailed',
  /** invocations that failed as a whole (bad config, circuit breaker, a plain S3 event's failed objects) */
  invocationsFailed: 'EtlFailures',
  observationsKept: 'ObservationsKept',
  observationsOtherHours: 'ObservationsOutsideHour',
  observationsUnplaceable: 'ObservationsUnplaceable',
  observationsFlagged: 'ObservationsFlagged',
  readingsOlder: 'ReadingsSkippedOlder',
  stationsUnresolved: 'StationsUnresolved',
} as const;

export interface ProcessedObject {
  status: 'processed';
  bucket: string;
  key: string;
  /** what the object stands for: an hour (snapshot or revision) or an NSW local day (first fetch or revision) */
  kind: 'hour' | 'day';
  /** an hour object's hour (ISO) */
  hourStart?: string;
  /** a day object's NSW local date (YYYY-MM-DD) */
  localDate?: string;
  /** the UTC hours whose readings the object gave (ISO, ascending): an hour object's own hour */
  hours: string[];
  fetchedAt: string;
  /** the object's observations: kept, left for other hours (or dates), unplaceable, duplicated, flagged */
  counts: HourTransformCounts;
  /** station-hour readings the object holds, and how they were written */
  readings: number;
  written: Record<ReadingWrite, number>;
  /** one curated file per hour, in the order of `hours` */
  curated: { key: string; outcome: CuratedWrite; rows: number }[];
  /** site ids that were not in the sites reference (named `Station <id>`, region Unknown) */
  unresolvedStations: number[];
  reference: StationDirectory['state'];
}

export interface SkippedObject {
  status: 'skipped';
  bucket: string;
  key: string;
  reason: string;
}

export interface FailedObjectOutcome {
  status: 'failed';
  bucket: string;
  key: string;
  error: unknown;
}

export type ObjectOutcome = ProcessedObject | SkippedObject;

export interface ProcessOptions {
  /** the sites reference, loaded once for a batch of objects; loaded here when absent */
  stations?: Promise<StationDirectory>;
  /** objects read, parsed and written to the lake side by side */
  concurrency?: number;
}

export interface ProcessManyResult {
  /** one outcome per distinct object, in the order given */
  outcomes: (ObjectOutcome | FailedObjectOutcome)[];
  /** the table work shared by the processed objects (absent when none got that far) */
  table?: HotAggregatesResult;
}

/** The sites reference from the raw bucket; an empty directory (and a warning) when there is none. */
export async function loadStationDirectory(deps: Pick<EtlDeps, 'raw' | 'logger'>): Promise<StationDirectory> {
  let text: string | undefined;
  try {
    text = await deps.raw.getSitesReference();
  } catch (error) {
    deps.logger.warn('sites reference unreadable; stations fall back to "Station <id>" in region Unknown', {
      error: error as Error,
    });
    return emptyDirectory('unreadable');
  }
  if (text === undefined) {
    deps.logger.warn('no sites reference in the raw bucket; stations fall back to "Station <id>" in region Unknown');
    return emptyDirectory('missing');
  }
  try {
    const { envelope, sites } = parseSitesReference(text);
    return stationDirectory(sites, envelope.fetchedAt);
  } catch (error) {
    deps.logger.warn('sites reference invalid; stations fall back to "Station <id>" in region Unknown', {
      error: error as Error,
    });
    return emptyDirectory('unreadable');
  }
}

interface Prepared {
  /** the hours the object holds: one for an hour object, each hour of its date for a day object */
  transforms: HourTransform[];
  outcome: Omit<ProcessedObject, 'written'>;
}

/** Read, validate and transform one object and write its curated files; the table comes after. */
async function prepare(
  ref: ObjectRef,
  deps: EtlDeps,
  stations: () => Promise<StationDirectory>,
  concurrency: number,
): Promise<Prepared | SkippedObject> {
  const { logger, settings } = deps;
  const rawKey = parseRawKey(ref.key);
  if (rawKey === undefined) {
    // The bucket's other objects (the reference zone) are not raw data; the rule should not send them.
    logger.info('not a raw hour or day object; skipped', { bucket: ref.bucket, key: ref.key });
    return { status: 'skipped', bucket: ref.bucket, key: ref.key, reason: 'not a raw hour or day object key' };
  }
  const text = await deps.raw.getText(ref.bucket, ref.key);
  const transformed = await transformRawObject(ref.key, rawKey, text, settings.timeZone, stations);
  const { fetchedAt, transforms, counts, directory } = transformed;
  if (transformed.sourceTimeZone !== settings.timeZone) {
    logger.warn('raw object was labelled in another time zone than NSW_SOURCE_TIMEZONE; using the setting', {
      key: ref.key,
      envelopeTimeZone: transformed.sourceTimeZone,
      timeZone: settings.timeZone,
    });
  }
  if (counts.otherHours > 0 || counts.unplaceable > 0 || counts.duplicates > 0) {
    logger.debug(rawKey.kind === 'hour' ? 'observations left out of this hour' : 'observations left out of this day', {
      key: ref.key,
      otherHours: counts.otherHours,
      unplaceable: counts.unplaceable,
      duplicates: counts.duplicates,
    });
  }
  if (counts.unplaceable > 0 || counts.duplicates > 0) {
    logger.warn('observations that could not be placed, or duplicated', {
      key: ref.key,
      unplaceable: counts.unplaceable,
      duplicates: counts.duplicates,
      unplacedSample: transformed.unplaced,
    });
  }
  const unresolvedStations = [
    ...new Set(transforms.flatMap((h) => h.stations.filter((s) => s.fallback).map((s) => s.station.siteId))),
  ].sort((a, b) => a - b);
  if (unresolvedStations.length > 0) {
    logger.warn('stations not in the sites reference; stored as "Station <id>" in region Unknown', {
      key: ref.key,
      reference: directory.state,
      siteIds: unresolvedStations,
    });
  }

  // One curated file per hour, each guarded by the fetch time like the hour object's.
  const curated = await mapLimit(transforms, concurrency, async (hour) => {
    const rows = curatedRows(hour.readings);
    const body = encodeCuratedHour(rows, { 'raw-key': ref.key, 'fetched-at': fetchedAt, 'hour-start': hour.hourStart });
    const hourStart = parseHourStart(hour.hourStart);
    const written = await deps.curated.writeHour({ hourStart, body, fetchedAt, rawKey: ref.key, rows: rows.length });
    return { key: written.key, outcome: written.outcome, rows: rows.length };
  });
  const place =
    rawKey.kind === 'hour'
      ? { kind: 'hour' as const, hourStart: transforms[0]?.hourStart ?? new Date(rawKey.hourStart).toISOString() }
      : { kind: 'day' as const, localDate: rawKey.date };
  return {
    transforms,
    outcome: {
      status: 'processed',
      bucket: ref.bucket,
      key: ref.key,
      ...place,
      hours: transforms.map((h) => h.hourStart),
      fetchedAt,
      counts,
      readings: transforms.reduce((n, h) => n + h.readings.length, 0),
      curated,
      unresolvedStations,
      reference: directory.state,
    },
  };
}

/**
 * Newer fetches that ran beside this batch, whose readings it may have overwritten, processed again
 * (see readings-writes.ts); any of them failing fails the batch, so it is retried.
 */
async function reprocessNewer(
  newer: readonly FetchClaim[],
  deps: EtlDeps,
  stations: () => Promise<StationDirectory>,
  concurrency: number,
): Promise<void> {
  deps.logger.info('newer fetches of the same hours ran beside this batch; processing them again', {
    keys: newer.map((f) => f.key),
  });
  const again = await processRawObjects(
    newer.map((f) => ({ bucket: f.bucket, key: f.key })),
    deps,
    { stations: stations(), concurrency },
  );
  const failed = again.outcomes.find((o) => o.status === 'failed');
  if (failed) throw new Error(`processing the newer fetch ${failed.key} again failed`, { cause: failed.error });
}

/**
 * Process several objects: each one that cannot be read or validated fails alone; the rest go to
 * the table together. A failure in the table work fails every object that reached it (it is a
 * storage fault, and retrying them is safe).
 */
export async function processRawObjects(
  refs: readonly ObjectRef[],
  deps: EtlDeps,
  options: ProcessOptions = {},
): Promise<ProcessManyResult> {
  const { logger, metrics, settings } = deps;
  const distinct = [...new Map(refs.map((r) => [`${r.bucket}/${r.key}`, r])).values()];
  let stations = options.stations;
  const directory = () => {
    stations ??= loadStationDirectory(deps);
    return stations;
  };
  const concurrency = options.concurrency ?? 4;
  const prepared = await mapLimit(distinct, concurrency, async (ref) => {
    try {
      return await prepare(ref, deps, directory, concurrency);
    } catch (error) {
      return { status: 'failed', ...ref, error } satisfies FailedObjectOutcome;
    }
  });

  const ready = prepared.filter((p): p is Prepared => 'transforms' in p);
  // Every hour of every object, in one call; `first` says where each object's hours start in it.
  const hours = ready.flatMap((p) => p.transforms);
  const first = new Map<Prepared, number>();
  let offset = 0;
  for (const p of ready) {
    first.set(p, offset);
    offset += p.transforms.length;
  }
  let table: HotAggregatesResult | undefined;
  let tableError: unknown;
  if (ready.length > 0) {
    try {
      const buckets = new Map(ready.map((p) => [p.outcome.key, p.outcome.bucket]));
      table = await updateHotAggregates(hours, {
        table: deps.table,
        timeZone: settings.timeZone,
        bucketOf: (rawKey) => buckets.get(rawKey) ?? settings.rawBucket,
      });
      if (table.newerFetches.length > 0) await reprocessNewer(table.newerFetches, deps, directory, concurrency);
    } catch (error) {
      tableError = error;
    }
  }
  // Live updates once the hours and their figures are stored; never fails the batch.
  if (table && deps.hourUpdates) {
    await publishHourUpdates(hours, table.readingsByHour, { ...deps.hourUpdates, logger, metrics });
  }

  const outcomes = prepared.map((p): ObjectOutcome | FailedObjectOutcome => {
    if (!('transforms' in p)) return p;
    if (tableError !== undefined || !table)
      return { status: 'failed', bucket: p.outcome.bucket, key: p.outcome.key, error: tableError };
    const written = { written: 0, refreshed: 0, older: 0 };
    const from = first.get(p) ?? 0;
    for (const counts of table.readingsByInput.slice(from, from + p.transforms.length)) {
      written.written += counts.written;
      written.refreshed += counts.refreshed;
      written.older += counts.older;
    }
    const { counts } = p.outcome;
    metrics.addMetric(ETL_METRICS.objectsProcessed, MetricUnit.Count, 1);
    metrics.addMetric(ETL_METRICS.observationsKept, MetricUnit.Count, counts.kept);
    metrics.addMetric(ETL_METRICS.observationsOtherHours, MetricUnit.Count, counts.otherHours);
    metrics.addMetric(ETL_METRICS.observationsUnplaceable, MetricUnit.Count, counts.unplaceable);
    metrics.addMetric(
      ETL_METRICS.observationsFlagged,
      MetricUnit.Count,
      counts.negative + counts.missing + counts.unknownParameter + counts.categoryMismatch + counts.unknownCategory,
    );
    metrics.addMetric(ETL_METRICS.readingsOlder, MetricUnit.Count, written.older);
    metrics.addMetric(ETL_METRICS.stationsUnresolved, MetricUnit.Count, p.outcome.unresolvedStations.length);
    const outcome: ProcessedObject = { ...p.outcome, written };
    logger.info('raw object processed', {
      key: outcome.key,
      ...(outcome.kind === 'hour'
        ? { hourStart: outcome.hourStart }
        : {
            localDate: outcome.localDate,
            hours: outcome.hours.length,
            firstHour: outcome.hours[0],
            lastHour: outcome.hours.at(-1),
          }),
      fetchedAt: outcome.fetchedAt,
      readings: outcome.readings,
      written,
      counts,
      curated: outcome.curated,
    });
    return outcome;
  });
  if (table) {
    logger.info('hot aggregates updated', {
      objects: ready.length,
      derived: table.derived,
      daily: table.daily,
      latest: table.latest,
      regionHours: table.regionHours,
      stations: table.stations,
    });
  }
  return { outcomes, ...(table ? { table } : {}) };
}
