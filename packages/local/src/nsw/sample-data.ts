/**
 * The bundled sample dataset: NSW-shaped observations generated deterministically for any hour,
 * for a dozen Sydney/Illawarra stations. Values follow plausible daily cycles; a few are negative
 * or missing, as real data is, so the pipeline's flags are exercised. It is labelled sample data
 * wherever it is served.
 */
import { categoryFor } from '@opendata-pulse/shared/aqc';
import type { NswObservation, NswParameter, NswSite } from '@opendata-pulse/shared/nsw';
import { HOUR_MS, nswHourToUtc } from '@opendata-pulse/shared/time';

/**
 * Real NSW station names and regions (docs/nsw-api.md, "Sites"); coordinates approximate. Site ids 39 (Rozelle)
 * and 500 (Wollongong) are NSW's own; the other ids could not be confirmed offline and are
 * illustrative — sample data is labelled as such wherever it is served.
 */
export const SAMPLE_STATIONS: readonly NswSite[] = [
  { Site_Id: 39, SiteName: 'Rozelle', Region: 'Sydney East', Latitude: -33.866, Longitude: 151.16 },
  { Site_Id: 2, SiteName: 'Randwick', Region: 'Sydney East', Latitude: -33.932, Longitude: 151.243 },
  { Site_Id: 7, SiteName: 'Earlwood', Region: 'Sydney East', Latitude: -33.918, Longitude: 151.135 },
  { Site_Id: 1141, SiteName: 'Macquarie Park', Region: 'Sydney East', Latitude: -33.765, Longitude: 151.117 },
  { Site_Id: 190, SiteName: 'Cook and Phillip', Region: 'Sydney East', Latitude: -33.871, Longitude: 151.213 },
  { Site_Id: 919, SiteName: 'Parramatta North', Region: 'Sydney North-west', Latitude: -33.794, Longitude: 151.002 },
  { Site_Id: 47, SiteName: 'Richmond', Region: 'Sydney North-west', Latitude: -33.618, Longitude: 150.746 },
  { Site_Id: 329, SiteName: 'Rouse Hill', Region: 'Sydney North-west', Latitude: -33.683, Longitude: 150.905 },
  { Site_Id: 107, SiteName: 'Liverpool', Region: 'Sydney South-west', Latitude: -33.933, Longitude: 150.906 },
  { Site_Id: 56, SiteName: 'Camden', Region: 'Sydney South-west', Latitude: -34.04, Longitude: 150.69 },
  { Site_Id: 1038, SiteName: 'Bringelly', Region: 'Sydney South-west', Latitude: -33.919, Longitude: 150.762 },
  { Site_Id: 500, SiteName: 'Wollongong', Region: 'Illawarra', Latitude: -34.418, Longitude: 150.887 },
  // A placeholder row as the real API has them: its name is its region, it is not a station.
  { Site_Id: 9001, SiteName: 'Illawarra', Region: 'Illawarra', Latitude: null, Longitude: null },
];

interface ParameterSpec extends NswParameter {
  ParameterCode: string;
  base: number;
  amplitude: number;
  /** local hour of the daily peak */
  peakHour: number;
  noise: number;
  digits: number;
}

const PARAMETERS: readonly ParameterSpec[] = [
  p('PM10', 'PM10', 'µg/m³', 'microgram per cubic meter', 18, 10, 9, 6, 3),
  p('PM2.5', 'PM2.5', 'µg/m³', 'microgram per cubic meter', 8, 5, 8, 3, 3),
  p('NO2', 'Nitrogen Dioxide', 'pphm', 'parts per hundred million', 1.2, 1.0, 8, 0.4, 6),
  p('OZONE', 'Ozone', 'pphm', 'parts per hundred million', 2.2, 1.6, 15, 0.4, 5),
  p('CO', 'Carbon Monoxide', 'ppm', 'parts per million', 0.25, 0.15, 8, 0.05, 6),
  p('TEMP', 'Temperature', '°C', 'degree Celsius', 18, 6, 14, 1, 1),
  p('HUMID', 'Humidity', '%', 'percent', 65, 15, 5, 4, 2),
  p('WSP', 'Wind Speed', 'm/s', 'metre per second', 2.5, 1.5, 15, 0.6, 3),
];

function p(
  code: string,
  description: string,
  units: string,
  unitsDescription: string,
  base: number,
  amplitude: number,
  peakHour: number,
  noise: number,
  digits: number,
): ParameterSpec {
  return {
    ParameterCode: code,
    ParameterDescription: description,
    Units: units,
    UnitsDescription: unitsDescription,
    Category: 'Averages',
    SubCategory: 'Hourly',
    Frequency: 'Hourly average',
    base,
    amplitude,
    peakHour,
    noise,
    digits,
  };
}

/** A small deterministic hash -> [0, 1). */
function unit(...parts: number[]): number {
  let h = 2166136261;
  for (const part of parts) {
    h ^= part;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 4294967296;
}

function codeNumber(code: string): number {
  let n = 0;
  for (const c of code) n = (n * 31 + c.charCodeAt(0)) | 0;
  return n;
}

export interface SampleDataset {
  sites: NswSite[];
  parameters: NswParameter[];
  /** the observations NSW labels with this local date and hour-ending hour */
  observationsFor(date: string, hour: number): NswObservation[];
}

export interface SampleOptions {
  /** zone the Date/Hour labels are in (NSW_SOURCE_TIMEZONE) */
  timeZone?: string;
  /** restrict to these station ids (e.g. a benchmark's 100 synthetic stations) */
  stations?: readonly NswSite[];
}

/** Generate `count` synthetic stations (ids from 10001) for load tests, spread over regions. */
export function syntheticStations(count: number): NswSite[] {
  const regions = ['Sydney East', 'Sydney North-west', 'Sydney South-west', 'Illawarra', 'Lower Hunter'];
  return Array.from({ length: count }, (_, i) => ({
    Site_Id: 10001 + i,
    SiteName: `Station ${10001 + i}`,
    Region: regions[i % regions.length] ?? 'Sydney East',
    Latitude: -33.5 - (i % 10) / 10,
    Longitude: 150.5 + (i % 7) / 10,
  }));
}

export function generateSampleDataset(options: SampleOptions = {}): SampleDataset {
  const timeZone = options.timeZone ?? 'Australia/Sydney';
  const sites = [...(options.stations ?? SAMPLE_STATIONS)];
  const stations = sites.filter((s) => s.SiteName !== s.Region);
  const parameters = PARAMETERS.map(
    ({ base: _b, amplitude: _a, peakHour: _p, noise: _n, digits: _d, ...rest }) => rest,
  );

  function observationsFor(date: string, hour: number): NswObservation[] {
    let hourStart: number;
    try {
      hourStart = Date.parse(nswHourToUtc(date, hour, timeZone));
    } catch {
      return []; // a label that does not exist locally (daylight-saving gap) has no data
    }
    const hourIndex = Math.floor(hourStart / HOUR_MS);
    const out: NswObservation[] = [];
    for (const site of stations) {
      for (const spec of PARAMETERS) {
        const seed = codeNumber(spec.ParameterCode);
        const r = unit(site.Site_Id, seed, hourIndex);
        const cycle = Math.cos(((hour - 1 - spec.peakHour) / 24) * 2 * Math.PI);
        const day = unit(site.Site_Id, seed, Math.floor(hourIndex / 24)) - 0.5;
        let value: number | null = spec.base * (1 + 0.5 * day) + spec.amplitude * cycle + spec.noise * (r - 0.5) * 2;
        if (r < 0.004)
          value = null; // missing hour
        else if (r > 0.996 && (spec.ParameterCode === 'PM2.5' || spec.ParameterCode === 'PM10')) {
          value = -(1 + r * 9); // instrument noise below zero, as the real feed shows
        } else if (spec.ParameterCode !== 'TEMP') value = Math.max(0, value);
        if (value !== null) value = Number(value.toFixed(spec.digits));
        const category = categoryFor(spec.ParameterCode, value);
        out.push({
          Site_Id: site.Site_Id,
          Parameter: parameters.find((x) => x.ParameterCode === spec.ParameterCode) as NswParameter,
          Date: date,
          Hour: hour,
          HourDescription: hourDescription(hour),
          Value: value,
          AirQualityCategory: category ? category.replace('_', ' ') : null,
          DeterminingPollutant: null,
        });
      }
    }
    return out;
  }

  return { sites, parameters, observationsFor };
}

/** NSW's own label: hour 1 = "12 am - 1 am", hour 24 = "11 pm - 12 am". */
export function hourDescription(hour: number): string {
  const label = (h: number) => `${h % 12 === 0 ? 12 : h % 12} ${h % 24 < 12 ? 'am' : 'pm'}`;
  return `${label(hour - 1)} - ${label(hour)}`;
}
