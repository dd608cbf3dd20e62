/** The queries the dashboard sends (packages/api/schema.graphql) and the shapes it reads back. */
import type { AirQualityCategory } from '@opendata-pulse/shared/aqc';
import type { Graphql } from './graphql-client';

export interface LatestSummary {
  hourStart: string;
  category: AirQualityCategory | null;
  determiningPollutant: string | null;
}

export interface ApiStation {
  siteId: number;
  name: string;
  suburb: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  latest: LatestSummary | null;
}

export interface RollingAverage {
  window: string;
  value: number | null;
  hours: number;
  category: AirQualityCategory | null;
}

export interface Measurement {
  parameter: string;
  value: number | null;
  unit: string;
  category: AirQualityCategory | null;
  flags: string[];
  rolling: RollingAverage[];
}

export interface HourlyReading {
  siteId: number;
  hourStart: string;
  category: AirQualityCategory | null;
  determiningPollutant: string | null;
  measurements: Measurement[];
}

export interface HourUpdate {
  region: string;
  hourStart: string;
  stations: {
    siteId: number;
    name: string;
    suburb: string;
    category: AirQualityCategory | null;
    determiningPollutant: string | null;
  }[];
}

const STATION_FIELDS =
  'siteId name suburb region latitude longitude latest { hourStart category determiningPollutant }';

export async function listStations(graphql: Graphql): Promise<ApiStation[]> {
  const data = await graphql<{ listStations: ApiStation[] }>(`{ listStations { ${STATION_FIELDS} } }`);
  return data.listStations;
}

export async function getStation(graphql: Graphql, siteId: number): Promise<ApiStation | null> {
  const data = await graphql<{ getStation: ApiStation | null }>(
    `query ($siteId: Int!) { getStation(siteId: $siteId) { ${STATION_FIELDS} } }`,
    { siteId },
  );
  return data.getStation;
}

const READINGS = `query ($suburb: String!, $from: AWSDateTime, $to: AWSDateTime, $nextToken: String) {
  getAirQualityData(suburb: $suburb, from: $from, to: $to, limit: 500, nextToken: $nextToken) {
    items { siteId hourStart category determiningPollutant
      measurements { parameter value unit category flags rolling { window value hours category } } }
    nextToken
  }
}`;

/** One station's readings in [from, to), newest first (a suburb may hold several stations: every page is read). */
export async function stationReadings(
  graphql: Graphql,
  station: { siteId: number; suburb: string },
  from: string,
  to: string,
): Promise<HourlyReading[]> {
  const items: HourlyReading[] = [];
  let nextToken: string | null = null;
  do {
    const data: { getAirQualityData: { items: HourlyReading[]; nextToken: string | null } } = await graphql(READINGS, {
      suburb: station.suburb,
      from,
      to,
      nextToken,
    });
    items.push(...data.getAirQualityData.items.filter((r) => r.siteId === station.siteId));
    nextToken = data.getAirQualityData.nextToken;
  } while (nextToken);
  return items;
}

export interface NearStation {
  distanceKm: number;
  station: ApiStation;
}

export async function nearestStations(
  graphql: Graphql,
  latitude: number,
  longitude: number,
  limit = 5,
): Promise<NearStation[]> {
  const data = await graphql<{ nearestStations: NearStation[] }>(
    `query ($latitude: Float!, $longitude: Float!, $limit: Int) {
      nearestStations(latitude: $latitude, longitude: $longitude, limit: $limit) { distanceKm station { ${STATION_FIELDS} } }
    }`,
    { latitude, longitude, limit },
  );
  return data.nearestStations;
}

export interface CsvExport {
  url: string;
  expiresAt: string;
  rows: number;
}

export async function exportAirQualityData(
  graphql: Graphql,
  suburb: string,
  from: string,
  to: string,
): Promise<CsvExport> {
  const data = await graphql<{ exportAirQualityData: CsvExport }>(
    `query ($suburb: String!, $from: AWSDateTime!, $to: AWSDateTime!) {
      exportAirQualityData(suburb: $suburb, from: $from, to: $to) { url expiresAt rows }
    }`,
    { suburb, from, to },
  );
  return data.exportAirQualityData;
}

export const HOUR_UPDATES = `subscription { onHourUpdate {
  region hourStart stations { siteId name suburb category determiningPollutant } } }`;
