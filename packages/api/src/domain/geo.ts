/**
 * Great-circle distances between stations and a point, and the nearest-stations ranking
 * `nearestStations` answers. Pure: the station directory comes in, nothing is read here.
 */
import type { Station } from '@opendata-pulse/shared/model';

/** Mean Earth radius (IUGG R1), in kilometres. */
export const EARTH_RADIUS_KM = 6371.0088;

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Haversine distance in kilometres; well-conditioned for the short distances between stations. */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  // min(1, ...): rounding can push h a hair above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface StationDistance {
  station: Station;
  distanceKm: number;
}

const located = (s: Station): s is Station & GeoPoint =>
  typeof s.latitude === 'number' &&
  typeof s.longitude === 'number' &&
  Number.isFinite(s.latitude) &&
  Number.isFinite(s.longitude);

/**
 * The `limit` stations nearest to `point`, nearest first (ties by site id), within `maxDistanceKm`
 * when given. Stations without coordinates are left out.
 */
export function nearestStations(
  stations: readonly Station[],
  point: GeoPoint,
  options: { limit: number; maxDistanceKm?: number | undefined },
): StationDistance[] {
  const { limit, maxDistanceKm } = options;
  return stations
    .filter(located)
    .map((station) => ({ station, distanceKm: haversineKm(point, station) }))
    .filter((d) => maxDistanceKm === undefined || d.distanceKm <= maxDistanceKm)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.station.siteId - b.station.siteId)
    .slice(0, limit);
}
