/**
 * The normalised model: what the ETL derives from raw NSW data and what the API serves.
 */
import { type AirQualityCategory, categoryFor, normaliseCategory } from '../aqc';
import { isKnownParameter, type NswObservation, type NswSite } from '../nsw';
import { nswHourToUtc } from '../time';

export type ObservationFlag =
  /** the value is below zero: instrument noise, kept but left out of averages */
  | 'NEGATIVE'
  /** the source had no value */
  | 'MISSING'
  /** a parameter code this project does not know; passed through */
  | 'UNKNOWN_PARAMETER'
  /** NSW's category differs from the one computed from the value */
  | 'CATEGORY_MISMATCH'
  /** NSW sent a category spelling we do not recognise */
  | 'UNKNOWN_CATEGORY';

export interface Observation {
  siteId: number;
  parameter: string;
  value: number | null;
  unit: string;
  /** UTC start of the hour, ISO (`2026-11-20T13:00:00.000Z`) */
  hourStart: string;
  /** our category from the 1 h threshold, when one exists and the value is usable */
  category?: AirQualityCategory;
  /** the category NSW published, normalised */
  nswCategory?: AirQualityCategory;
  flags: ObservationFlag[];
}

export type RollingWindow = '4h' | '8h' | '24h';

export interface RollingAverage {
  window: RollingWindow;
  /** mean of the usable hourly values in the window; null when none was usable */
  value: number | null;
  /** how many usable hourly values went into the mean */
  hours: number;
  category?: AirQualityCategory;
}

export interface Measurement {
  parameter: string;
  value: number | null;
  unit: string;
  category?: AirQualityCategory;
  nswCategory?: AirQualityCategory;
  flags: ObservationFlag[];
  rolling?: RollingAverage[];
}

export interface Lineage {
  /** the raw object this reading came from */
  rawKey: string;
  /** when that raw object was fetched from NSW (ISO) */
  fetchedAt: string;
  /**
   * true when the station was not in the sites reference (or none was readable): its name is
   * `Station <id>` and its region `Unknown` until a reprocess with the reference fixes them
   */
  stationFallback?: boolean;
}

export interface Station {
  siteId: number;
  name: string;
  suburb: string;
  region: string;
  latitude?: number | null;
  longitude?: number | null;
}

/** One station's readings for one hour: the unit the table, the lake and the API deal in. */
export interface HourlyReading {
  siteId: number;
  siteName: string;
  suburb: string;
  region: string;
  hourStart: string;
  category?: AirQualityCategory;
  determiningPollutant?: string;
  measurements: Measurement[];
  source: Lineage;
}

export interface ParameterDaySummary {
  parameter: string;
  unit: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** usable hourly values */
  count: number;
  /** hourly values left out (negative or missing) */
  excluded: number;
  /** usable hours as a share of the day's hours, 0–100 */
  coverage: number;
}

export interface DailySummary {
  siteId: number;
  /** local calendar date in the source zone (NSW's days run midnight to midnight local) */
  date: string;
  parameters: ParameterDaySummary[];
}

export interface RegionHourSummary {
  region: string;
  hourStart: string;
  category?: AirQualityCategory;
  /** the station that sets the region's category */
  worstSiteId?: number;
  stations: { siteId: number; category?: AirQualityCategory }[];
}

/** Canonical unit spellings; the source's variants map here. */
const UNIT_ALIASES: Record<string, string> = {
  'ug/m3': 'µg/m³',
  'µg/m3': 'µg/m³',
  'ug/m³': 'µg/m³',
  'μg/m³': 'µg/m³', // Greek mu
  'μg/m3': 'µg/m³',
  'µg/m³': 'µg/m³',
  PPHM: 'pphm',
  pphm: 'pphm',
  PPM: 'ppm',
  ppm: 'ppm',
  '%': '%',
  degC: '°C',
  '°C': '°C',
};

export function normaliseUnit(unit: string | null | undefined): string {
  if (!unit) return '';
  const trimmed = unit.trim();
  return UNIT_ALIASES[trimmed] ?? trimmed;
}

/** NSW's site name is the suburb unless a station sits under another suburb's name. */
const SUBURB_BY_SITE_NAME: Record<string, string> = {
  'Cook and Phillip': 'Sydney',
  'Ultimo-UTS': 'Ultimo',
};

export function suburbOf(siteName: string): string {
  return SUBURB_BY_SITE_NAME[siteName] ?? siteName;
}

/** Placeholder rows whose SiteName equals their Region are not stations. */
export function isRealSite(site: NswSite): boolean {
  return !site.Region || site.SiteName.trim() !== site.Region.trim();
}

export function stationFromSite(site: NswSite): Station {
  return {
    siteId: site.Site_Id,
    name: site.SiteName.trim(),
    suburb: suburbOf(site.SiteName.trim()),
    region: site.Region?.trim() || 'Unknown',
    latitude: site.Latitude ?? null,
    longitude: site.Longitude ?? null,
  };
}

/**
 * One NSW observation -> the normalised observation. Throws ValidationError when its Date/Hour
 * cannot be placed on the UTC timeline (see nswHourToUtc); the caller decides what that costs.
 */
export function normaliseObservation(raw: NswObservation, timeZone: string): Observation {
  const parameter = raw.Parameter.ParameterCode.trim();
  const hourStart = nswHourToUtc(raw.Date.slice(0, 10), raw.Hour, timeZone);
  const flags: ObservationFlag[] = [];
  const value = raw.Value;
  if (value === null) flags.push('MISSING');
  else if (value < 0) flags.push('NEGATIVE');
  if (!isKnownParameter(parameter)) flags.push('UNKNOWN_PARAMETER');

  const category = categoryFor(parameter, value, '1h');
  const nsw = normaliseCategory(raw.AirQualityCategory);
  if (nsw === null) flags.push('UNKNOWN_CATEGORY');
  const nswCategory = nsw ?? undefined;
  if (nswCategory && category && nswCategory !== category) flags.push('CATEGORY_MISMATCH');

  return {
    siteId: raw.Site_Id,
    parameter,
    value,
    unit: normaliseUnit(raw.Parameter.Units),
    hourStart,
    ...(category ? { category } : {}),
    ...(nswCategory ? { nswCategory } : {}),
    flags,
  };
}

/** Usable for averages and categories: present and not negative. */
export function isUsable(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value) && value >= 0;
}
