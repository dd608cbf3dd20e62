import type { Station } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader } from './ports';

/** Stations, all or in one region, ordered by site id. */
export function listStations(region: string | undefined, deps: { reader: HotAggregatesReader }): Promise<Station[]> {
  return deps.reader.stations(region);
}
