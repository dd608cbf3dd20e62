/**
 * Domain objects for tests, shaped as the ETL writes them (shared model), and seeding through
 * shared's item mappers.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { categoryFor } from '@opendata-pulse/shared/aqc';
import {
  dailyToItem,
  latestToItem,
  rawObjectKey,
  readingToItem,
  regionHourToItem,
  stationToItem,
} from '@opendata-pulse/shared/keys';
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '@opendata-pulse/shared/model';
import { HOUR_MS } from '@opendata-pulse/shared/time';

export function station(siteId: number, name: string, region: string, suburb = name): Station {
  return { siteId, name, suburb, region, latitude: -33.8, longitude: 151.1 };
}

export function reading(s: Station, hourStartMs: number, pm25 = 5 + ((hourStartMs / HOUR_MS) % 7)): HourlyReading {
  const hourStart = new Date(hourStartMs).toISOString();
  const category = categoryFor('PM2.5', pm25, '1h');
  return {
    siteId: s.siteId,
    siteName: s.name,
    suburb: s.suburb,
    region: s.region,
    hourStart,
    ...(category ? { category, determiningPollutant: 'PM2.5' } : {}),
    measurements: [
      {
        parameter: 'PM2.5',
        value: pm25,
        unit: 'µg/m³',
        ...(category ? { category, nswCategory: category } : {}),
        flags: [],
        rolling: [{ window: '24h', value: pm25, hours: 24, category: categoryFor('PM2.5', pm25, '24h') ?? 'GOOD' }],
      },
      { parameter: 'TEMP', value: 18.5, unit: '°C', flags: [] },
    ],
    source: { rawKey: rawObjectKey(hourStartMs), fetchedAt: new Date(hourStartMs + 75 * 60_000).toISOString() },
  };
}

export function regionHour(region: string, hourStartMs: number, stations: Station[]): RegionHourSummary {
  return {
    region,
    hourStart: new Date(hourStartMs).toISOString(),
    category: 'FAIR',
    worstSiteId: stations[0]?.siteId,
    stations: stations.map((s, i) => ({ siteId: s.siteId, category: i === 0 ? 'FAIR' : 'GOOD' })),
  };
}

export function daily(siteId: number, date: string): DailySummary {
  return {
    siteId,
    date,
    parameters: [
      { parameter: 'PM2.5', unit: 'µg/m³', mean: 7.5, min: 2, max: 14, count: 23, excluded: 1, coverage: 95.8 },
    ],
  };
}

export async function writeItems(client: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}

/** Stations, their hourly readings and the latest item of each, as the ETL writes them. */
export async function seedStations(
  client: DynamoDBDocumentClient,
  table: string,
  stations: Station[],
  hours: number[],
): Promise<HourlyReading[]> {
  const readings = stations.flatMap((s) => hours.map((h) => reading(s, h)));
  const newest = Math.max(...hours);
  await writeItems(client, table, [
    ...stations.map(stationToItem),
    ...readings.map(readingToItem),
    ...stations.map((s) => latestToItem(reading(s, newest))),
  ]);
  return readings;
}

export const seedRegionHours = (client: DynamoDBDocumentClient, table: string, summaries: RegionHourSummary[]) =>
  writeItems(client, table, summaries.map(regionHourToItem));

export const seedDaily = (client: DynamoDBDocumentClient, table: string, summaries: DailySummary[]) =>
  writeItems(client, table, summaries.map(dailyToItem));
