import type { HourlyReading, Station } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader } from '../adapters/hot-aggregates-reader';

export interface RegionView {
  name: string;
  stationCount: number;
}

/** Stations, all or in one region, ordered by site id. */
export function listStations(region: string | undefined, deps: { reader: HotAggregatesReader }): Promise<Station[]> {
  return deps.reader.stations(region);
}

export async function getStation(siteId: number, deps: { reader: HotAggregatesReader }): Promise<Station | null> {
  return (await deps.reader.station(siteId)) ?? null;
}

/** Regions that have stations, with their station counts, by name. */
export async function listRegions(deps: { reader: HotAggregatesReader }): Promise<RegionView[]> {
  const counts = new Map<string, number>();
  for (const station of await deps.reader.stations()) counts.set(station.region, (counts.get(station.region) ?? 0) + 1);
  return [...counts.entries()]
    .map(([name, stationCount]) => ({ name, stationCount }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The latest reading of each station in a region, ordered by site id. */
export function latestReadings(region: string, deps: { reader: HotAggregatesReader }): Promise<HourlyReading[]> {
  return deps.reader.latestByRegion(region);
}

/** The latest reading of many stations at once (Station.latest, batched): one entry per site id asked. */
export async function latestForStations(
  siteIds: readonly number[],
  deps: { reader: HotAggregatesReader },
): Promise<(HourlyReading | null)[]> {
  const found = await deps.reader.latestFor(siteIds);
  return siteIds.map((id) => found.get(id) ?? null);
}
