/**
 * Process one raw object: validate it, keep the observations of its hour, write the hour's
 * curated Parquet file and its readings, then recompute the derived figures they touch.
 * Replaying any object any number of times, in any order, leaves the same data: a reading or a
 * curated file is only replaced by one from a newer-or-equal fetch, and derived figures are
 * recomputed from what is stored, never accumulated.
 */
import { ValidationError } from '@opendata-pulse/shared/errors';
import type { ObjectRef } from '@opendata-pulse/shared/events';
import { hourOfRawKey } from '@opendata-pulse/shared/keys';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { parseRawObject, parseSitesReference } from '@opendata-pulse/shared/raw';
import { parseHourStart } from '@opendata-pulse/shared/time';
import type { CuratedWrite } from './adapters/curated-store';
import { curatedRows, encodeCuratedHour } from './domain/curated-parquet';
import { type HourTransformCounts, transformRawHour } from './domain/hour-readings';
import { emptyDirectory, type StationDirectory, stationDirectory } from './domain/station-directory';
import type { EtlDeps } from './etl-deps';
import { type HotAggregatesResult, updateHotAggregates } from './update-hot-aggregates';

export { createEtlDeps, type EtlDeps, type EtlSettings, SERVICE_NAME } from './etl-deps';

export const ETL_METRICS = {
  objectsProcessed: 'RawObjectsProcessed',
  objectsFailed: 'RawObjectsFailed',
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
  readings: number;
  table: HotAggregatesResult;
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

export type ObjectOutcome = ProcessedObject | SkippedObject;

export interface ProcessOptions {
  /** the sites reference, loaded once for a batch of objects; loaded here when absent */
  stations?: Promise<StationDirectory>;
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

export async function processRawObject(
  ref: ObjectRef,
  deps: EtlDeps,
  options: ProcessOptions = {},
): Promise<ObjectOutcome> {
  const { logger, metrics, settings } = deps;
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

  const stations = await (options.stations ?? loadStationDirectory(deps));
  const hour = transformRawHour({
    observations,
    hourStart,
    timeZone: settings.timeZone,
    stations,
    source: { rawKey: ref.key, fetchedAt },
  });
  const { counts } = hour;
  if (counts.otherHours > 0 || counts.unplaceable > 0 || counts.duplicates > 0) {
    logger.info('observations left out of this hour', {
      key: ref.key,
      otherHours: counts.otherHours,
      unplaceable: counts.unplaceable,
      duplicates: counts.duplicates,
      ...(hour.unplaced.length ? { unplacedSample: hour.unplaced } : {}),
    });
  }
  const unresolvedStations = hour.stations.filter((s) => s.fallback).map((s) => s.station.siteId);
  if (unresolvedStations.length > 0) {
    logger.warn('stations not in the sites reference; stored as "Station <id>" in region Unknown', {
      key: ref.key,
      reference: stations.state,
      siteIds: unresolvedStations,
    });
  }

  const rows = curatedRows(hour.readings);
  const body = encodeCuratedHour(rows, { 'raw-key': ref.key, 'fetched-at': fetchedAt, 'hour-start': hour.hourStart });
  const curated = await deps.curated.writeHour({ hourStart, body, fetchedAt, rawKey: ref.key, rows: rows.length });

  const table = await updateHotAggregates(hour, { table: deps.table, timeZone: settings.timeZone });

  metrics.addMetric(ETL_METRICS.objectsProcessed, MetricUnit.Count, 1);
  metrics.addMetric(ETL_METRICS.observationsKept, MetricUnit.Count, counts.kept);
  metrics.addMetric(ETL_METRICS.observationsOtherHours, MetricUnit.Count, counts.otherHours);
  metrics.addMetric(ETL_METRICS.observationsUnplaceable, MetricUnit.Count, counts.unplaceable);
  metrics.addMetric(
    ETL_METRICS.observationsFlagged,
    MetricUnit.Count,
    counts.negative + counts.missing + counts.unknownParameter + counts.categoryMismatch + counts.unknownCategory,
  );
  metrics.addMetric(ETL_METRICS.readingsOlder, MetricUnit.Count, table.readings.older);
  metrics.addMetric(ETL_METRICS.stationsUnresolved, MetricUnit.Count, unresolvedStations.length);

  const outcome: ProcessedObject = {
    status: 'processed',
    bucket: ref.bucket,
    key: ref.key,
    hourStart: hour.hourStart,
    fetchedAt,
    counts,
    readings: hour.readings.length,
    table,
    curated: { key: curated.key, outcome: curated.outcome, rows: rows.length },
    unresolvedStations,
    reference: stations.state,
  };
  logger.info('raw object processed', {
    key: ref.key,
    hourStart: hour.hourStart,
    fetchedAt,
    readings: outcome.readings,
    counts,
    table,
    curated: outcome.curated,
  });
  return outcome;
}
