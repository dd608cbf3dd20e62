/** NSW-shaped observation rows for tests, as get_Observations returns them. */

import type { NswObservation, NswSite } from '@opendata-pulse/shared/nsw';
import { utcToNswHour } from '@opendata-pulse/shared/time';

const UNITS: Record<string, string> = {
  'PM2.5': 'µg/m³',
  PM10: 'µg/m³',
  OZONE: 'pphm',
  NO2: 'pphm',
  CO: 'ppm',
  TEMP: '°C',
};

export function nswRow(
  siteId: number,
  parameter: string,
  date: string,
  hour: number,
  value: number | null,
  category: string | null = null,
): NswObservation {
  return {
    Site_Id: siteId,
    Parameter: {
      ParameterCode: parameter,
      ParameterDescription: parameter,
      Units: UNITS[parameter] ?? 'unit',
      UnitsDescription: null,
      Category: 'Averages',
      SubCategory: 'Hourly',
      Frequency: 'Hourly average',
    },
    Date: date,
    Hour: hour,
    HourDescription: null,
    Value: value,
    AirQualityCategory: category,
    DeterminingPollutant: null,
  };
}

export const ROZELLE: NswSite = {
  Site_Id: 39,
  SiteName: 'Rozelle',
  Region: 'Sydney East',
  Latitude: -33.866,
  Longitude: 151.16,
};
export const LIVERPOOL: NswSite = {
  Site_Id: 107,
  SiteName: 'Liverpool',
  Region: 'Sydney South-west',
  Latitude: -33.933,
  Longitude: 150.906,
};
export const ILLAWARRA_PLACEHOLDER: NswSite = {
  Site_Id: 9001,
  SiteName: 'Illawarra',
  Region: 'Illawarra',
  Latitude: null,
  Longitude: null,
};

/** The row NSW would label for the hour starting at `hourStart` (UTC ms) in `timeZone`. */
export function nswRowAt(
  siteId: number,
  parameter: string,
  hourStart: number,
  value: number | null,
  category: string | null = null,
  timeZone = 'Australia/Sydney',
): NswObservation {
  const { date, hour } = utcToNswHour(hourStart, timeZone);
  return nswRow(siteId, parameter, date, hour, value, category);
}
