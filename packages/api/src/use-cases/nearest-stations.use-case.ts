import { type GeoPoint, nearestStations as rank, type StationDistance } from '../domain/geo';
import type { StationDirectory } from './station-directory';

export interface NearestStationsInput extends GeoPoint {
  limit: number;
  maxDistanceKm?: number | undefined;
}

/**
 * Stations nearest to a point, nearest first, from the directory the function keeps (one Query
 * of the STATIONS partition per five minutes; docs/architecture.md, "API").
 */
export async function nearestStations(
  input: NearestStationsInput,
  deps: { stationDirectory: StationDirectory },
): Promise<StationDistance[]> {
  const stations = await deps.stationDirectory.all();
  return rank(stations, input, { limit: input.limit, maxDistanceKm: input.maxDistanceKm });
}
