/**
 * Write raw hours' readings to the hot-aggregates table, then recompute from stored hours every
 * derived figure they can change:
 * - the rolling averages (and so the category) of each written hour and of the 23 after it, since
 *   their windows include it: a late-arriving earlier hour corrects the later ones;
 * - the daily summaries of the written hours' local days;
 * - the latest reading per station (only ever moving forward in time);
 * - the region summaries of the hours whose station categories were touched.
 *
 * The hours of one batch are handled together (one read of each station's stored hours per run
 * of nearby hours, one daily summary per station-day, one latest per station), which is what
 * makes a backfill cheap; a single live hour is the one-element case.
 *
 * Order matters for parallel Lambdas. Per station, a worker reads the stored hours around its
 * own, writes its readings with the figures that read gives (readings-writes.ts says how a newer
 * fetch is never lost), reads the hours again (strongly consistent; fetch times only when they
 * match what it expects) and derives every figure from that second read, writing only what differs and only
 * conditionally on the derived version (the sum of the fetch times of the stored hours a figure was
 * made from). Stored fetch times only grow, so of two workers deriving the same figure the one that
 * read later saw at least as much and has the higher-or-equal version: the last reader's figures
 * stand, and a worker that found nothing changed between its two reads writes no second time.
 */

import { mapLimit } from '@opendata-pulse/shared/async';
import type { FetchClaim } from '@opendata-pulse/shared/keys';
import type { HourlyReading, Station } from '@opendata-pulse/shared/model';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import {
  applyDerived,
  clusterHours,
  type DerivedReading,
  derivedUnchanged,
  deriveReading,
  LONGEST_WINDOW_HOURS,
} from '../domain/derived-figures';
import type { HourTransform } from '../domain/hour-readings';
import { localDate } from '../domain/local-dates';
import { dayVersionOf, summariseDay, summariseRegionHour } from '../domain/summaries';
import type { HotTable, ReadingWrite, StoredReading } from './ports';
import {
  claimFetches,
  newerFetches,
  type PlannedWrite,
  planWrites,
  storedAfterWrites,
  writePlanned,
} from './readings-writes';

export interface HotAggregatesDeps {
  table: HotTable;
  timeZone: string;
  /** requests in flight (per kind of request) */
  concurrency?: number;
  /** the bucket of the raw object a reading came from (by its raw key) */
  bucketOf: (rawKey: string) => string;
}

export interface HotAggregatesResult {
  /** per raw hour (hourStart ISO): how its readings were written */
  readingsByHour: Map<string, Record<ReadingWrite, number>>;
  /**
   * Per hour given, in the order given: how its readings were written. Two objects of one batch
   * can hold the same hour (an hour's snapshot and its revision, a day and an hour of it).
   */
  readingsByInput: Record<ReadingWrite, number>[];
  /** derived writes (rolling averages and categories) made, beaten by a fresher derivation, or not needed */
  derived: { written: number; superseded: number; unchanged: number };
  daily: { written: number; superseded: number };
  latest: { written: number; notNewer: number };
  regionHours: { written: number; superseded: number };
  stations: { reference: number; fallback: number };
  /**
   * Newer fetches of hours this batch wrote, found in the hours' fetches after the writes: they ran
   * beside this batch, which may have overwritten their readings, so they are processed again.
   */
  newerFetches: FetchClaim[];
}

const WINDOW_MS = LONGEST_WINDOW_HOURS * HOUR_MS;

export async function updateHotAggregates(
  hours: readonly HourTransform[],
  deps: HotAggregatesDeps,
): Promise<HotAggregatesResult> {
  const { table, timeZone } = deps;
  const concurrency = deps.concurrency ?? 8;
  const result: HotAggregatesResult = {
    readingsByHour: new Map(),
    readingsByInput: hours.map(() => ({ written: 0, refreshed: 0, older: 0 })),
    derived: { written: 0, superseded: 0, unchanged: 0 },
    daily: { written: 0, superseded: 0 },
    latest: { written: 0, notNewer: 0 },
    regionHours: { written: 0, superseded: 0 },
    stations: { reference: 0, fallback: 0 },
    newerFetches: [],
  };

  // Stations first: region summaries find a region's stations through their items.
  const reference = new Map<number, Station>();
  const fallbacks = new Map<number, Station>();
  for (const hour of hours) {
    for (const s of hour.stations) (s.fallback ? fallbacks : reference).set(s.station.siteId, s.station);
  }
  for (const siteId of reference.keys()) fallbacks.delete(siteId);
  await table.putStations([...reference.values()]);
  await mapLimit([...fallbacks.values()], concurrency, (s) => table.putFallbackStation(s));
  result.stations = { reference: reference.size, fallback: fallbacks.size };

  const readings = hours.flatMap((h) => h.readings);
  for (const hour of hours) result.readingsByHour.set(hour.hourStart, { written: 0, refreshed: 0, older: 0 });
  const inputOf = new Map<HourlyReading, number>();
  hours.forEach((hour, i) => {
    for (const r of hour.readings) inputOf.set(r, i);
  });
  const bySite = new Map<number, HourlyReading[]>();
  for (const r of readings) bySite.set(r.siteId, [...(bySite.get(r.siteId) ?? []), r]);

  // Region -> hours whose station categories may have changed.
  const touched = new Map<string, Set<number>>();
  const touch = (region: string, at: number) => {
    const set = touched.get(region) ?? new Set<number>();
    set.add(at);
    touched.set(region, set);
  };

  // Every raw object joins its hours' fetches before any reading is written (see readings-writes).
  const claims = await claimFetches(table, readings, deps.bucketOf, concurrency);

  // Per station, per run of nearby hours: read the stored hours, and plan each station-hour's write
  // (the batch's newest reading of it) with the figures that read gives.
  const runs = [...bySite.entries()].flatMap(([siteId, siteReadings]) => {
    const clustered = clusterHours(siteReadings.map((r) => Date.parse(r.hourStart)));
    return clustered.map((run, i) => ({
      siteId,
      run,
      newest: i === clustered.length - 1,
      own: siteReadings.filter((r) => run.includes(Date.parse(r.hourStart))),
      before: [] as StoredReading[],
      plans: [] as PlannedWrite[],
    }));
  });
  await mapLimit(runs, concurrency, async (r) => {
    const first = r.run[0] ?? 0;
    const last = r.run.at(-1) ?? first;
    r.before = await table.stationHours(r.siteId, first - WINDOW_MS, last + WINDOW_MS);
    r.plans = planWrites(r.own, r.before, claims);
  });
  const plans = runs.flatMap((r) => r.plans);
  await writePlanned(table, plans, concurrency);
  for (const plan of plans) {
    for (const [reading, outcome] of plan.outcomes) {
      const counts = result.readingsByHour.get(reading.hourStart);
      if (counts) counts[outcome]++;
      const ofInput = result.readingsByInput[inputOf.get(reading) ?? -1];
      if (ofInput) ofInput[outcome]++;
    }
  }

  // Read each run's hours again (strongly consistent) and derive every figure from that read:
  // when nothing else wrote nearby in between, the figures written are already right.
  await mapLimit(runs, concurrency, async (r) => {
    // A reading an older fetch lost to is someone else's to derive from.
    const written = r.plans.filter((p) => p.written).map((p) => p.hourStart);
    if (written.length === 0) return;
    const first = r.run[0] ?? 0;
    const last = r.run.at(-1) ?? first;
    const fetches = await table.stationFetches(r.siteId, first - WINDOW_MS, last + WINDOW_MS);
    const after =
      storedAfterWrites(r.before, r.plans, fetches) ??
      (await table.stationHours(r.siteId, first - WINDOW_MS, last + WINDOW_MS));
    await deriveRun(r.siteId, written, after, r.newest);
  });

  async function deriveRun(siteId: number, run: number[], stored: StoredReading[], newestRun: boolean) {
    const byHour = new Map(stored.map((s) => [Date.parse(s.reading.hourStart), s.reading]));
    const versions = new Map(stored.map((s) => [Date.parse(s.reading.hourStart), s.version]));
    const derivedHours = new Map<number, { reading: HourlyReading; version: number }>();
    const affected = new Set<number>();
    for (const h of run) for (let at = h; at < h + WINDOW_MS; at += HOUR_MS) affected.add(at);
    const own = new Set(run);

    const writes: { base: HourlyReading; derived: DerivedReading }[] = [];
    for (const at of [...affected].sort((a, b) => a - b)) {
      const base = byHour.get(at);
      const derived = deriveReading(byHour, at);
      if (!base || !derived) continue;
      derivedHours.set(at, { reading: applyDerived(base, derived), version: derived.version });
      if (own.has(at) || base.category !== derived.category) touch(base.region, at);
      if (derivedUnchanged(base, versions.get(at), derived)) result.derived.unchanged++;
      else writes.push({ base, derived });
    }
    await mapLimit(writes, concurrency, async ({ base, derived }) => {
      if (await table.writeDerived(base, derived)) result.derived.written++;
      else result.derived.superseded++;
    });

    const current = [...byHour.entries()].map(([at, r]) => derivedHours.get(at)?.reading ?? r);
    const dates = [...new Set(run.map((h) => localDate(h, timeZone)))];
    await mapLimit(dates, concurrency, async (date) => {
      const daily = summariseDay(siteId, date, current, timeZone);
      if (await table.putDaily(daily, dayVersionOf(current, date, timeZone))) result.daily.written++;
      else result.daily.superseded++;
    });

    // Only the newest run can hold the station's newest hour.
    if (!newestRun || byHour.size === 0) return;
    const newest = Math.max(...byHour.keys());
    const latest = derivedHours.get(newest) ?? { reading: byHour.get(newest), version: versions.get(newest) ?? 0 };
    if (latest.reading && (await table.putLatest(latest.reading, latest.version))) result.latest.written++;
    else result.latest.notNewer++;
  }

  await mapLimit([...touched.entries()], concurrency, async ([region, regionHours]) => {
    const indexed = await table.stationsInRegion(region);
    // The index is eventually consistent in AWS: stations written just now are members regardless.
    const own = readings.filter((r) => r.region === region).map((r) => r.siteId);
    const members = [...new Set([...indexed, ...own])];
    const at = [...regionHours].flatMap((hourStart) => members.map((siteId) => ({ siteId, hourStart })));
    const rows = (await table.readingsAt(at)).filter((r) => r.region === region);
    await mapLimit(
      [...regionHours].sort((a, b) => a - b),
      concurrency,
      async (hourStart) => {
        const ofHour = rows.filter((r) => r.hourStart === hourStart);
        const summary = summariseRegionHour(region, new Date(hourStart).toISOString(), ofHour);
        const version = ofHour.reduce((sum, r) => sum + r.version, 0);
        if (await table.putRegionHour(summary, version)) result.regionHours.written++;
        else result.regionHours.superseded++;
      },
    );
  });
  result.newerFetches = await newerFetches(table, plans);
  return result;
}
