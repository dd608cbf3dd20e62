/**
 * Process raw objects: validate each, keep the observations of its hour, write the hour's curated
 * Parquet file, then write the readings of all the objects given and recompute the derived
 * figures they touch (together: a backfill batch of adjacent hours shares its reads and summaries).
 *
 * Replaying any object any number of times, in any order, leaves the same data: a reading or a
 * curated file is only replaced by one from a newer-or-equal fetch, and derived figures are
 * recomputed from what is stored, never accumulated.
 */

import { mapLimit } from '@opendata-pulse/shared/async';
import { ValidationError } from '@opendata-pulse/shared/errors';
import type { ObjectRef } from '@opendata-pulse/shared/events';
import { hourOfRawKey } from '@opendata-pulse/shared/keys';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { parseRawObject, parseSitesReference } from '@opendata-pulse/shared/raw';
import { parseHourStart } from '@opendata-pulse/shared/time';
import { curatedRows, encodeCuratedHour } from '../domain/curated-parquet';
import { type HourTransform, type HourTransformCounts, transformRawHour } from '../domain/hour-readings';
import { emptyDirectory, type StationDirectory, stationDirectory } from '../domain/station-directory';
import type { CuratedWrite, EtlDeps, ReadingWrite } from './ports';
import { publishHourUpdates } from './publish-hour-updates.use-case';
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
  hourStart: string;
  fetchedAt: string;
  counts: HourTransformCounts;
  /** station-hour readings the object holds, and how they were written */
  readings: number;
  written: Record<ReadingWrite, number>;
  curated: { key: string; outcome: CuratedWrite; rows: number };
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
  hour: HourTransform;
  outcome: Omit<ProcessedObject, 'written'>;
}

/** Read, validate and transform one object and write its curated file; the table comes after. */
async function prepare(
  ref: ObjectRef,
  deps: EtlDeps,
  stations: () => Promise<StationDirectory>,
): Promise<Prepared | SkippedObject> {
  const { logger, settings } = deps;
  const hourStart = hourOfRawKey(ref.key);
  if (hourStart === undefined) {
    // The bucket's other objects (the reference zone) are not hours; the rule should not send them.
    logger.info('not a raw hour object; skipped', { bucket: ref.bucket, key: ref.key });
    return { status: 'skipped', bucket: ref.bucket, key: ref.key, reason: 'not a raw hour object key' };
  }
  const text = await deps.raw.getText(ref.bucket, ref.key);
  const { envelope, observations } = parseRawObject(text);
  if (parseHourStart(envelope.hourStart) !== hourStart) {
    throw new ValidationError(`raw envelope names hour ${envelope.hourStart} but its key ${ref.key} names another`);
  }
  if (envelope.source.timeZone !== settings.timeZone) {
    logger.warn('raw object was labelled in another time zone than NSW_SOURCE_TIMEZONE; using the setting', {
      key: ref.key,
      envelopeTimeZone: envelope.source.timeZone,
      timeZone: settings.timeZone,
    });
  }
  // One spelling of the instant, so stored fetch times compare as strings and as numbers alike.
  const fetchedAt = new Date(envelope.fetchedAt).toISOString();
  const directory = await stations();
  const hour = transformRawHour({
    observations,
    hourStart,
    timeZone: settings.timeZone,
    stations: directory,
    source: { rawKey: ref.key, fetchedAt },
  });
  const { counts } = hour;
  if (counts.otherHours > 0 || counts.unplaceable > 0 || counts.duplicates > 0) {
    logger.debug('observations left out of this hour', {
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
      unplacedSample: hour.unplaced,
    });
  }
  const unresolvedStations = hour.stations.filter((s) => s.fallback).map((s) => s.station.siteId);
  if (unresolvedStations.length > 0) {
    logger.warn('stations not in the sites reference; stored as "Station <id>" in region Unknown', {
      key: ref.key,
      reference: directory.state,
      siteIds: unresolvedStations,
    });
  }

  const rows = curatedRows(hour.readings);
  const body = encodeCuratedHour(rows, { 'raw-key': ref.key, 'fetched-at': fetchedAt, 'hour-start': hour.hourStart });
  const curated = await deps.curated.writeHour({ hourStart, body, fetchedAt, rawKey: ref.key, rows: rows.length });
  return {
    hour,
    outcome: {
      status: 'processed',
      bucket: ref.bucket,
      key: ref.key,
      hourStart: hour.hourStart,
      fetchedAt,
      counts,
      readings: hour.readings.length,
      curated: { key: curated.key, outcome: curated.outcome, rows: rows.length },
      unresolvedStations,
      reference: directory.state,
    },
  };
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
  const prepared = await mapLimit(distinct, options.concurrency ?? 4, async (ref) => {
    try {
      return await prepare(ref, deps, directory);
    } catch (error) {
      return { status: 'failed', ...ref, error } satisfies FailedObjectOutcome;
    }
  });

  const ready = prepared.filter((p): p is Prepared => 'hour' in p);
  let table: HotAggregatesResult | undefined;
  let tableError: unknown;
  if (ready.length > 0) {
    try {
      table = await updateHotAggregates(
        ready.map((p) => p.hour),
        { table: deps.table, timeZone: settings.timeZone },
      );
    } catch (error) {
      tableError = error;
    }
  }
  // Live updates once the hours and their figures are stored; never fails the batch.
  if (table && deps.hourUpdates) {
    await publishHourUpdates(
      ready.map((p) => p.hour),
      table.readingsByHour,
      { ...deps.hourUpdates, logger, metrics },
    );
  }

  const outcomes = prepared.map((p): ObjectOutcome | FailedObjectOutcome => {
    if (!('hour' in p)) return p;
    if (tableError !== undefined || !table)
      return { status: 'failed', bucket: p.outcome.bucket, key: p.outcome.key, error: tableError };
    const written = table.readingsByHour.get(p.hour.hourStart) ?? { written: 0, refreshed: 0, older: 0 };
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
      hourStart: outcome.hourStart,
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
