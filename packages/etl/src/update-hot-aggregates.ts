/**
 * Write one raw hour's readings to the hot-aggregates table, then recompute from stored hours
 * every derived figure the hour can change:
 * - the rolling averages (and so the category) of this hour and of the 23 after it, since their
 *   windows include it: a late-arriving earlier hour corrects the later ones;
 * - the daily summary of the hour's local day;
 * - the latest reading per station (only ever moving forward in time);
 * - the region summaries of the hours whose station categories it touched.
 *
 * Order matters for parallel Lambdas: each worker writes its readings first, then reads the
 * stations' hours back (strongly consistent) and derives from what it read, writing conditionally
 * on the derived version. Of two workers deriving the same figure, the one that read later saw at
 * least as much and has the higher-or-equal version, so the last reader's figures stand.
 */
import type { HourlyReading, RollingAverage, Station } from '@opendata-pulse/shared/model';
import { HOUR_MS, localDateOf } from '@opendata-pulse/shared/time';
import type { HotTable, ReadingWrite } from './adapters/hot-table';
import { mapLimit } from './concurrency';
import { applyDerived, type DerivedReading, deriveReading, LONGEST_WINDOW_HOURS } from './domain/derived-figures';
import type { HourTransform } from './domain/hour-readings';
import { dayVersionOf, summariseDay, summariseRegionHour } from './domain/summaries';

export interface HotAggregatesDeps {
  table: HotTable;
  timeZone: string;
  /** requests in flight per object (readings, station windows) */
  concurrency?: number;
}

export interface HotAggregatesResult {
  readings: Record<ReadingWrite, number>;
  /** derived writes (rolling averages and categories) made, and those a fresher derivation beat */
  derived: { written: number; superseded: number; unchanged: number };
  daily: { written: number; superseded: number };
  latest: { written: number; notNewer: number };
  regionHours: { written: number; superseded: number };
  stations: { reference: number; fallback: number };
}

function sameRolling(stored: RollingAverage[] | undefined, computed: RollingAverage): boolean {
  return JSON.stringify(stored ?? null) === JSON.stringify([computed]);
}

function unchanged(stored: HourlyReading, storedVersion: number | undefined, derived: DerivedReading): boolean {
  if (storedVersion !== derived.version) return false;
  if (stored.category !== derived.category || stored.determiningPollutant !== derived.determiningPollutant)
    return false;
  for (const [index, average] of derived.rolling) {
    if (!sameRolling(stored.measurements[index]?.rolling, average)) return false;
  }
  return true;
}

export async function updateHotAggregates(hour: HourTransform, deps: HotAggregatesDeps): Promise<HotAggregatesResult> {
  const { table, timeZone } = deps;
  const concurrency = deps.concurrency ?? 8;
  const hourStart = Date.parse(hour.hourStart);
  const result: HotAggregatesResult = {
    readings: { written: 0, refreshed: 0, older: 0 },
    derived: { written: 0, superseded: 0, unchanged: 0 },
    daily: { written: 0, superseded: 0 },
    latest: { written: 0, notNewer: 0 },
    regionHours: { written: 0, superseded: 0 },
    stations: { reference: 0, fallback: 0 },
  };

  // Stations first: region summaries find a region's stations through their items.
  const reference: Station[] = [];
  const fallbacks: Station[] = [];
  for (const s of hour.stations) (s.fallback ? fallbacks : reference).push(s.station);
  await table.putStations(reference);
  await mapLimit(fallbacks, concurrency, (s) => table.putFallbackStation(s));
  result.stations = { reference: reference.length, fallback: fallbacks.length };

  const outcomes = await mapLimit(hour.readings, concurrency * 2, (r) => table.writeReading(r));
  outcomes.forEach((o) => {
    result.readings[o]++;
  });

  // Region -> hours whose station categories this object may have changed.
  const touched = new Map<string, Set<number>>();
  const touch = (region: string, at: number) => {
    let hours = touched.get(region);
    if (!hours) {
      hours = new Set();
      touched.set(region, hours);
    }
    hours.add(at);
  };

  // A reading an older fetch lost to is someone else's to derive from.
  const current = hour.readings.filter((_, i) => outcomes[i] !== 'older');
  await mapLimit(current, concurrency, async (reading) => {
    const stored = await table.stationHours(
      reading.siteId,
      hourStart - LONGEST_WINDOW_HOURS * HOUR_MS,
      hourStart + LONGEST_WINDOW_HOURS * HOUR_MS,
    );
    const hours = new Map(stored.map((s) => [Date.parse(s.reading.hourStart), s.reading]));
    const versions = new Map(stored.map((s) => [Date.parse(s.reading.hourStart), s.version]));
    const derivedHours = new Map<number, { reading: HourlyReading; version: number }>();

    for (let at = hourStart; at < hourStart + LONGEST_WINDOW_HOURS * HOUR_MS; at += HOUR_MS) {
      const base = hours.get(at);
      const derived = deriveReading(hours, at);
      if (!base || !derived) continue;
      derivedHours.set(at, { reading: applyDerived(base, derived), version: derived.version });
      if (at === hourStart || base.category !== derived.category) touch(base.region, at);
      if (unchanged(base, versions.get(at), derived)) {
        result.derived.unchanged++;
        continue;
      }
      if (await table.writeDerived(base, derived)) result.derived.written++;
      else result.derived.superseded++;
    }

    const date = localDateOf(hourStart, timeZone);
    const dayReadings = [...hours.entries()].map(([at, r]) => derivedHours.get(at)?.reading ?? r);
    const daily = summariseDay(reading.siteId, date, dayReadings, timeZone);
    if (await table.putDaily(daily, dayVersionOf(dayReadings, date, timeZone))) result.daily.written++;
    else result.daily.superseded++;

    const newest = Math.max(...hours.keys());
    const latest = derivedHours.get(newest) ?? { reading: hours.get(newest), version: versions.get(newest) ?? 0 };
    if (latest.reading && (await table.putLatest(latest.reading, latest.version))) result.latest.written++;
    else result.latest.notNewer++;
  });

  const members = new Map<string, number[]>();
  for (const [region, hoursTouched] of touched) {
    const indexed = await table.stationsInRegion(region);
    // The index is eventually consistent in AWS: this hour's own stations are members regardless.
    const own = hour.readings.filter((r) => r.region === region).map((r) => r.siteId);
    members.set(region, [...new Set([...indexed, ...own])]);
    await mapLimit(
      [...hoursTouched].sort((a, b) => a - b),
      concurrency,
      async (at) => {
        const rows = (await table.readingsAt(members.get(region) ?? [], at)).filter((r) => r.region === region);
        const summary = summariseRegionHour(region, new Date(at).toISOString(), rows);
        const version = rows.reduce((sum, r) => sum + r.version, 0);
        if (await table.putRegionHour(summary, version)) result.regionHours.written++;
        else result.regionHours.superseded++;
      },
    );
  }
  return result;
}
