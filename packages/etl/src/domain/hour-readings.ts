/**
 * One raw hour -> the station-hour readings it holds (pure). A raw object names one UTC hour, but
 * its body may hold more (a backfill stores NSW's whole-day answer as received): only observations
 * whose normalised hour is the object's hour are kept; the rest are counted, as are observations
 * that cannot be placed in time at all (a label inside the daylight-saving gap).
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

export function transformRawHour(input: HourTransformInput): HourTransform {
  const hourIso = new Date(input.hourStart).toISOString();
  const counts: HourTransformCounts = {
    received: input.observations.length,
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
  const unplaced: UnplacedObservation[] = [];
  const bySite = new Map<number, Map<string, Observation>>();

  for (const raw of input.observations) {
    let observation: Observation;
    try {
      observation = normaliseObservation(raw, input.timeZone);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      counts.unplaceable++;
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
    if (Date.parse(observation.hourStart) !== input.hourStart) {
      counts.otherHours++;
      continue;
    }
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
  return { hourStart: hourIso, readings, stations, counts, unplaced };
}
