/** Stored-hour series for derivation tests: a station's readings keyed by hour start. */
import type { HourlyReading, Measurement } from '@opendata-pulse/shared/model';

export const HOUR = 3_600_000;

export function reading(
  hourStart: number,
  values: Record<string, number | null>,
  fetchedAt = '2026-11-20T14:05:00.000Z',
): HourlyReading {
  const measurements: Measurement[] = Object.entries(values)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([parameter, value]) => ({
      parameter,
      value,
      unit: parameter === 'CO' ? 'ppm' : parameter.startsWith('PM') ? 'µg/m³' : 'pphm',
      flags: value === null ? ['MISSING'] : value < 0 ? ['NEGATIVE'] : [],
    }));
  return {
    siteId: 39,
    siteName: 'Rozelle',
    suburb: 'Rozelle',
    region: 'Sydney East',
    hourStart: new Date(hourStart).toISOString(),
    measurements,
    source: { rawKey: `raw/${hourStart}`, fetchedAt },
  };
}

/** A station's hours from a list of per-hour values starting at `first` (undefined = hour missing). */
export function series(first: number, values: (Record<string, number | null> | undefined)[]) {
  const map = new Map<number, HourlyReading>();
  values.forEach((v, i) => {
    if (v) map.set(first + i * HOUR, reading(first + i * HOUR, v));
  });
  return map;
}
