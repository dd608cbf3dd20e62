import type { HourlyReading } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader } from './ports';

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
