import type { Station } from '@opendata-pulse/shared/model';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, haversineKm, nearestStations } from '../../src/domain/geo';

const at = (siteId: number, latitude: number | null, longitude: number | null): Station => ({
  siteId,
  name: `Site ${siteId}`,
  suburb: `Site ${siteId}`,
  region: 'Test',
  latitude,
  longitude,
});

describe('haversineKm', () => {
  it('is zero for one point and a quarter of the circumference from the pole to the equator', () => {
    expect(haversineKm({ latitude: -33.87, longitude: 151.21 }, { latitude: -33.87, longitude: 151.21 })).toBe(0);
    expect(haversineKm({ latitude: 90, longitude: 0 }, { latitude: 0, longitude: 45 })).toBeCloseTo(
      (Math.PI / 2) * EARTH_RADIUS_KM,
      9,
    );
  });

  it('gives Sydney Town Hall to Parramatta as about 19.6 km, and the same both ways', () => {
    // Prepare: Sydney Town Hall and Parramatta station, by their published coordinates
    const sydney = { latitude: -33.8731, longitude: 151.2065 };
    const parramatta = { latitude: -33.8175, longitude: 151.0047 };

    // Act
    const there = haversineKm(sydney, parramatta);
    const back = haversineKm(parramatta, sydney);

    // Assess
    expect(there).toBeCloseTo(19.6, 0);
    expect(back).toBe(there);
  });

  it('stays finite for antipodal points (half the circumference)', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(
      Math.PI * EARTH_RADIUS_KM,
      6,
    );
  });
});

describe('nearestStations', () => {
  // Binary-exact degrees, so that stations 1 and 5 are exactly as far away.
  const origin = { latitude: -34, longitude: 151 };
  const stations = [
    at(3, -34, 151.5), // ~46 km east
    at(5, -34, 150.75), // ~23 km west: ties with 1
    at(2, null, null), // no coordinates
    at(4, -35, 151), // ~111 km south
    at(1, -34, 151.25), // ~23 km east
  ];

  it('orders stations nearest first, ties by site id, and leaves out those without coordinates', () => {
    // Act
    const ranked = nearestStations(stations, origin, { limit: 10 });

    // Assess
    expect(ranked.map((d) => d.station.siteId)).toEqual([1, 5, 3, 4]);
    expect(ranked[0]?.distanceKm).toBeCloseTo(23.05, 1);
    expect(ranked[1]?.distanceKm).toBe(ranked[0]?.distanceKm);
    expect(ranked[3]?.distanceKm).toBeCloseTo(111.2, 0);
  });

  it('keeps at most `limit` stations and none beyond `maxDistanceKm`', () => {
    expect(nearestStations(stations, origin, { limit: 2 }).map((d) => d.station.siteId)).toEqual([1, 5]);
    expect(nearestStations(stations, origin, { limit: 10, maxDistanceKm: 50 }).map((d) => d.station.siteId)).toEqual([
      1, 5, 3,
    ]);
    expect(nearestStations(stations, origin, { limit: 10, maxDistanceKm: 0 })).toEqual([]);
  });
});
