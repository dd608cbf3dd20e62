/**
 * Raw objects -> the station-hour readings they hold (pure).
 * - An hour object names one UTC hour, but its body may hold more (hour objects stored by earlier
 *   backfills hold NSW's whole-day answer): only observations whose normalised hour is the
 *   object's hour are kept; the rest are counted (`otherHours`).
 * - A day object (NSW's answer for one local date) becomes every hour of that date it holds: each
 *   observation is normalised once and grouped by hour, never once per hour.
 * Either way, observations that cannot be placed in time at all (a label inside the
 * daylight-saving gap) are counted, not kept, and so are duplicates.
 */
import { stationCategory } from '@opendata-pulse/shared/aqc';
import { ValidationError } from '@opendata-pulse/shared/errors';
import {
  type HourlyReading,
  type Lineage,
  type Measurement,
  normaliseObservation,
  type Observation,
  type Station,
} from '@opendata-pulse/shared/model';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { resolveStation, type StationDirectory } from './station-directory';

export interface HourTransformInput {
  observations: readonly NswObservation[];
  /** the hour the raw object stands for (epoch ms of its UTC start) */
  hourStart: number;
  timeZone: string;
  stations: StationDirectory;
  /** where the observations came from: the raw key and the fetch time */
  source: Pick<Lineage, 'rawKey' | 'fetchedAt'>;
}

export interface HourTransformCounts {
  /** observations in the body */
  received: number;
  /** kept: they belong to this hour */
  kept: number;
  /** placed in another hour (a whole-day body): left for that hour's own object */
  otherHours: number;
  /** not placeable on the UTC timeline (daylight-saving gap label, impossible date) */
  unplaceable: number;
  /** a second row for the same station, parameter and hour: the first one is kept */
  duplicates: number;
  negative: number;
  missing: number;
  unknownParameter: number;
  categoryMismatch: number;
  unknownCategory: number;
}

export interface UnplacedObservation {
  siteId: number;
  parameter: string;
  date: string;
  hour: number;
  reason: string;
}

export interface HourTransform {
  /** canonical ISO of the hour, as readings spell it */
  hourStart: string;
  readings: HourlyReading[];
  /** the station behind each reading, with whether it is a fallback */
  stations: { station: Station; fallback: boolean }[];
  counts: HourTransformCounts;
  /** the first few unplaceable observations, for the log */
  unplaced: UnplacedObservation[];
}

const UNPLACED_SAMPLE = 10;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function measurementOf(observation: Observation): Measurement {
  return {
    parameter: observation.parameter,
    value: observation.value,
    unit: observation.unit,
    ...(observation.category ? { category: observation.category } : {}),
    ...(observation.nswCategory ? { nswCategory: observation.nswCategory } : {}),
    flags: [...observation.flags],
  };
}

/** The hour's category from the 1 h categories; derived figures (rolling averages) refine it later. */
export function hourlyCategory(
  measurements: readonly Measurement[],
): Pick<HourlyReading, 'category' | 'determiningPollutant'> {
  return stationCategory(measurements);
}

function emptyCounts(received: number): HourTransformCounts {
  return {
    received,
    kept: 0,
    otherHours: 0,
    unplaceable: 0,
    duplicates: 0,
    negative: 0,
    missing: 0,
    unknownParameter: 0,
    categoryMismatch: 0,
    unknownCategory: 0,
  };
}

interface PlacedObservations {
  /** normalised observations by the epoch ms of their UTC hour start, in body order */
  byHour: Map<number, Observation[]>;
  unplaceable: number;
  unplaced: UnplacedObservation[];
}

/** Normalise each observation once and group it by its UTC hour; count the ones with no hour. */
function placeObservations(observations: readonly NswObservation[], timeZone: string): PlacedObservations {
  const byHour = new Map<number, Observation[]>();
  const unplaced: UnplacedObservation[] = [];
  let unplaceable = 0;
  for (const raw of observations) {
    let observation: Observation;
    try {
      observation = normaliseObservation(raw, timeZone);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      unplaceable++;
      if (unplaced.length < UNPLACED_SAMPLE) {
        unplaced.push({
          siteId: raw.Site_Id,
          parameter: raw.Parameter.ParameterCode,
          date: raw.Date,
          hour: raw.Hour,
          reason: error.message,
        });
      }
      continue;
    }
    const at = Date.parse(observation.hourStart);
    const list = byHour.get(at);
    if (list) list.push(observation);
    else byHour.set(at, [observation]);
  }
  return { byHour, unplaceable, unplaced };
}

/**
 * One hour's readings from the observations placed in it: the first row per station and
 * parameter is kept (the rest counted as duplicates), flags counted, one reading per station.
 */
function hourReadings(
  hourStart: number,
  observations: readonly Observation[],
  input: Pick<HourTransformInput, 'stations' | 'source'>,
  counts: HourTransformCounts,
): Pick<HourTransform, 'hourStart' | 'readings' | 'stations'> {
  const hourIso = new Date(hourStart).toISOString();
  const bySite = new Map<number, Map<string, Observation>>();
  for (const observation of observations) {
    let site = bySite.get(observation.siteId);
    if (!site) {
      site = new Map();
      bySite.set(observation.siteId, site);
    }
    if (site.has(observation.parameter)) {
      counts.duplicates++;
      continue;
    }
    site.set(observation.parameter, observation);
    counts.kept++;
    for (const flag of observation.flags) {
      if (flag === 'NEGATIVE') counts.negative++;
      else if (flag === 'MISSING') counts.missing++;
      else if (flag === 'UNKNOWN_PARAMETER') counts.unknownParameter++;
      else if (flag === 'CATEGORY_MISMATCH') counts.categoryMismatch++;
      else if (flag === 'UNKNOWN_CATEGORY') counts.unknownCategory++;
    }
  }

  const readings: HourlyReading[] = [];
  const stations: HourTransform['stations'] = [];
  for (const siteId of [...bySite.keys()].sort((a, b) => a - b)) {
    const observations = bySite.get(siteId) ?? new Map<string, Observation>();
    const measurements = [...observations.values()].sort((a, b) => byText(a.parameter, b.parameter)).map(measurementOf);
    const { station, fallback } = resolveStation(input.stations, siteId);
    stations.push({ station, fallback });
    readings.push({
      siteId,
      siteName: station.name,
      suburb: station.suburb,
      region: station.region,
      hourStart: hourIso,
      ...hourlyCategory(measurements),
      measurements,
      source: {
        rawKey: input.source.rawKey,
        fetchedAt: input.source.fetchedAt,
        ...(fallback ? { stationFallback: true } : {}),
      },
    });
  }
  return { hourStart: hourIso, readings, stations };
}

export function transformRawHour(input: HourTransformInput): HourTransform {
  const placed = placeObservations(input.observations, input.timeZone);
  const counts = emptyCounts(input.observations.length);
  counts.unplaceable = placed.unplaceable;
  const own = placed.byHour.get(input.hourStart) ?? [];
  counts.otherHours = input.observations.length - placed.unplaceable - own.length;
  const hour = hourReadings(input.hourStart, own, input, counts);
  return { ...hour, counts, unplaced: placed.unplaced };
}

export interface DayTransformInput extends Omit<HourTransformInput, 'hourStart'> {
  /** the NSW local date the day object stands for (YYYY-MM-DD, labels in `timeZone`) */
  localDate: string;
}

export interface DayTransform {
  /** the date's hours that hold observations, ascending; each with its own counts */
  hours: HourTransform[];
  /**
   * The whole body's counts: `otherHours` are observations labelled with another date (left for
   * that date's own object), `unplaceable` and `duplicates` are each counted once.
   */
  counts: HourTransformCounts;
  /** the first few unplaceable observations, for the log */
  unplaced: UnplacedObservation[];
}

const COUNTED_PER_HOUR = [
  'kept',
  'duplicates',
  'negative',
  'missing',
  'unknownParameter',
  'categoryMismatch',
  'unknownCategory',
] as const satisfies readonly (keyof HourTransformCounts)[];

/**
 * One raw day (NSW's answer for a local date) -> the readings of each of its hours (pure). Each
 * observation is normalised once and grouped by hour; observations NSW labelled with another date
 * are counted (`otherHours`), not kept, so a day object speaks only for its own date's hours.
 */
export function transformRawDay(input: DayTransformInput): DayTransform {
  const own = input.observations.filter((o) => o.Date.slice(0, 10) === input.localDate);
  const placed = placeObservations(own, input.timeZone);
  const total = emptyCounts(input.observations.length);
  total.otherHours = input.observations.length - own.length;
  total.unplaceable = placed.unplaceable;
  const hours: HourTransform[] = [];
  for (const at of [...placed.byHour.keys()].sort((a, b) => a - b)) {
    const observations = placed.byHour.get(at) ?? [];
    const counts = emptyCounts(observations.length);
    hours.push({ ...hourReadings(at, observations, input, counts), counts, unplaced: [] });
    for (const name of COUNTED_PER_HOUR) total[name] += counts[name];
  }
  return { hours, counts: total, unplaced: placed.unplaced };
}
