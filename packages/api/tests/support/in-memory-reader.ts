/**
 * The reader port over arrays, for resolver unit tests (no I/O). It keeps the contract the
 * DynamoDB adapter keeps (newest first, [from, to), pages resuming after a key) and records calls.
 */
import type { DailySummary, HourlyReading, RegionHourSummary, Station } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader, Page, StartKey } from '../../src/use-cases/ports';

function page<T>(sorted: T[], idOf: (t: T) => string, limit: number, startKey?: StartKey): Page<T> {
  const start = startKey ? sorted.findIndex((t) => idOf(t) === startKey.id) + 1 : 0;
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length;
  return more ? { items, nextKey: { id: idOf(items[items.length - 1] as T) } } : { items };
}

export function inMemoryReader(data: {
  stations?: Station[];
  readings?: HourlyReading[];
  latest?: HourlyReading[];
  regionHours?: RegionHourSummary[];
  daily?: DailySummary[];
}) {
  const calls: { method: string; args: unknown[] }[] = [];
  const record = (method: string, ...args: unknown[]) => calls.push({ method, args });
  const ms = (iso: string) => Date.parse(iso);
  // The ETL writes a station item for every station it reads: without a given list, the stations
  // are those of the readings.
  const stations =
    data.stations ??
    [...new Map((data.readings ?? []).map((r) => [r.siteId, r])).values()].map((r) => ({
      siteId: r.siteId,
      name: r.siteName,
      suburb: r.suburb,
      region: r.region,
    }));
  const reader: HotAggregatesReader = {
    async readingsOfStations(siteIds, window, limit, startKey) {
      record('readingsOfStations', siteIds, window, limit, startKey);
      const rows = (data.readings ?? [])
        .filter((r) => siteIds.includes(r.siteId) && ms(r.hourStart) >= window.fromMs && ms(r.hourStart) < window.toMs)
        .sort((a, b) => ms(b.hourStart) - ms(a.hourStart) || b.siteId - a.siteId);
      return page(rows, (r) => `${r.hourStart}#${r.siteId}`, limit, startKey);
    },
    async regionHours(region, window, limit, startKey) {
      record('regionHours', region, window, limit, startKey);
      const rows = (data.regionHours ?? [])
        .filter((r) => r.region === region && ms(r.hourStart) >= window.fromMs && ms(r.hourStart) < window.toMs)
        .sort((a, b) => ms(b.hourStart) - ms(a.hourStart));
      return page(rows, (r) => r.hourStart, limit, startKey);
    },
    async dailySummaries(siteId, window, limit, startKey) {
      record('dailySummaries', siteId, window, limit, startKey);
      const rows = (data.daily ?? [])
        .filter((d) => d.siteId === siteId && d.date >= window.from && d.date < window.to)
        .sort((a, b) => b.date.localeCompare(a.date));
      return page(rows, (d) => d.date, limit, startKey);
    },
    async stations(region) {
      record('stations', region);
      return stations.filter((s) => region === undefined || s.region.toLowerCase() === region.toLowerCase());
    },
    async station(siteId) {
      record('station', siteId);
      return stations.find((s) => s.siteId === siteId);
    },
    async latestByRegion(region) {
      record('latestByRegion', region);
      return (data.latest ?? []).filter((r) => r.region === region);
    },
    async latestFor(siteIds) {
      record('latestFor', siteIds);
      return new Map((data.latest ?? []).filter((r) => siteIds.includes(r.siteId)).map((r) => [r.siteId, r]));
    },
  };
  return { reader, calls };
}
