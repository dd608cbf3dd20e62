import type { HotAggregatesReader } from './ports';

export interface RegionView {
  name: string;
  stationCount: number;
}

/** Regions that have stations, with their station counts, by name. */
export async function listRegions(deps: { reader: HotAggregatesReader }): Promise<RegionView[]> {
  const counts = new Map<string, number>();
  for (const station of await deps.reader.stations()) counts.set(station.region, (counts.get(station.region) ?? 0) + 1);
  return [...counts.entries()]
    .map(([name, stationCount]) => ({ name, stationCount }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
