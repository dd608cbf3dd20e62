import type { Station } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader } from './ports';

export async function getStation(siteId: number, deps: { reader: HotAggregatesReader }): Promise<Station | null> {
  return (await deps.reader.station(siteId)) ?? null;
}
