/**
 * How a batch writes its readings (docs/architecture.md, "Write path"): in BatchWriteItem, without
 * a condition, wherever the batch holds the newest fetch of the hour known so far; one conditional
 * update each where a newer fetch of the hour has been seen.
 *
 * A blind write could replace a newer fetch's reading written just before it by a worker running
 * beside this one. The hours' fetches items close that gap. A worker adds its objects to its hours'
 * fetches before writing and reads them back after: of two workers writing the same hour, the one
 * that added itself second either saw the first (and the first is newer: it writes conditionally)
 * or is newer itself; if it is newer and its readings were overwritten, the overwriting worker
 * finished writing before reading the fetches back, so it finds the newer fetch there and processes
 * that object again, which writes its readings back. Fetch times only grow along such a chain, so
 * it ends.
 */
import { mapLimit } from '@opendata-pulse/shared/async';
import type { FetchClaim } from '@opendata-pulse/shared/keys';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { applyDerived, deriveReading } from '../domain/derived-figures';
import type { HotTable, ReadingWrite, StoredFetch, StoredReading } from './ports';

export interface PlannedWrite {
  /** epoch ms of the hour */
  hourStart: number;
  /** the batch's newest reading of the station-hour, with its derived figures */
  reading: HourlyReading;
  version: number;
  /** blind: in a BatchWrite; guarded: a conditional update; skip: a newer fetch is stored */
  mode: 'blind' | 'guarded' | 'skip';
  /** every reading the batch gave for the station-hour, with how it was written */
  outcomes: [HourlyReading, ReadingWrite][];
  /** whether the station-hour now holds the batch's reading */
  written: boolean;
}

const fetchMs = (r: HourlyReading) => Date.parse(r.source.fetchedAt);

/** Add every raw object to its hours' fetches; answers the newest fetch (epoch ms) each hour holds. */
export async function claimFetches(
  table: HotTable,
  readings: readonly HourlyReading[],
  bucketOf: (rawKey: string) => string,
  concurrency: number,
): Promise<Map<number, number>> {
  const claims = new Map<string, { hourStart: number; claim: FetchClaim }>();
  for (const r of readings) {
    const hourStart = Date.parse(r.hourStart);
    const { rawKey: key, fetchedAt } = r.source;
    claims.set(`${hourStart}|${key}|${fetchedAt}`, { hourStart, claim: { fetchedAt, bucket: bucketOf(key), key } });
  }
  const held = await table.claimHours([...claims.values()], concurrency);
  const newest = new Map<number, number>();
  for (const [hour, fetches] of held) newest.set(hour, Math.max(...fetches.map((f) => Date.parse(f.fetchedAt))));
  return newest;
}

/**
 * One planned write per station-hour of a run: the batch's newest reading of it, with the figures
 * the stored hours (`before`) and the batch's own readings give.
 */
export function planWrites(
  own: readonly HourlyReading[],
  before: readonly StoredReading[],
  newestClaim: ReadonlyMap<number, number>,
): PlannedWrite[] {
  const stored = new Map(before.map((s) => [Date.parse(s.reading.hourStart), s.reading]));
  const candidates = new Map<number, HourlyReading[]>();
  for (const r of own) {
    const at = Date.parse(r.hourStart);
    candidates.set(at, [...(candidates.get(at) ?? []), r]);
  }
  const view = new Map(stored);
  const newestOf = new Map<number, HourlyReading>();
  for (const [at, rs] of candidates) {
    const newest = rs.reduce((a, b) => (fetchMs(b) > fetchMs(a) ? b : a));
    newestOf.set(at, newest);
    const s = stored.get(at);
    if (!s || fetchMs(s) <= fetchMs(newest)) view.set(at, newest);
  }
  return [...newestOf.entries()].map(([at, newest]) => {
    const s = stored.get(at);
    const rs = candidates.get(at) ?? [];
    const storedMs = s ? fetchMs(s) : undefined;
    const outcomeOf = (r: HourlyReading): ReadingWrite => {
      if (storedMs !== undefined && storedMs > fetchMs(r)) return 'older';
      if (r !== newest && fetchMs(r) < fetchMs(newest)) return 'older';
      return storedMs === fetchMs(r) || r !== newest ? 'refreshed' : 'written';
    };
    const outcomes = rs.map((r): [HourlyReading, ReadingWrite] => [r, outcomeOf(r)]);
    if (storedMs !== undefined && storedMs > fetchMs(newest)) {
      return { hourStart: at, reading: newest, version: 0, mode: 'skip', outcomes, written: false };
    }
    const derived = deriveReading(view, at);
    const reading = derived ? applyDerived(newest, derived) : newest;
    const guarded = (newestClaim.get(at) ?? 0) > fetchMs(newest);
    return {
      hourStart: at,
      reading,
      version: derived?.version ?? 0,
      mode: guarded ? 'guarded' : 'blind',
      outcomes,
      written: true,
    };
  });
}

/** Blind writes in BatchWrites, guarded ones one conditional update each; outcomes updated in place. */
export async function writePlanned(table: HotTable, plans: PlannedWrite[], concurrency: number): Promise<void> {
  await table.putReadings(plans.filter((p) => p.mode === 'blind'));
  await mapLimit(
    plans.filter((p) => p.mode === 'guarded'),
    concurrency,
    async (plan) => {
      const outcome = await table.writeReading(plan.reading, plan.version);
      plan.written = outcome !== 'older';
      const newest = plan.outcomes.find(([r]) => fetchMs(r) === fetchMs(plan.reading));
      if (newest) newest[1] = outcome;
      if (outcome === 'older') for (const o of plan.outcomes) o[1] = 'older';
    },
  );
}

/**
 * Fetches newer than a reading this batch wrote, of the same hour, from objects outside the batch:
 * read back after the writes (strongly consistent), so any worker that wrote such a fetch's
 * readings before ours is found.
 */
export async function newerFetches(table: HotTable, plans: readonly PlannedWrite[]): Promise<FetchClaim[]> {
  const oldestWritten = new Map<number, number>();
  const ownKeys = new Set<string>();
  for (const p of plans) {
    for (const [r] of p.outcomes) ownKeys.add(r.source.rawKey);
    if (!p.written) continue;
    const ms = fetchMs(p.reading);
    oldestWritten.set(p.hourStart, Math.min(ms, oldestWritten.get(p.hourStart) ?? ms));
  }
  if (oldestWritten.size === 0) return [];
  const held = await table.hourFetches([...oldestWritten.keys()]);
  const newer = new Map<string, FetchClaim>();
  for (const [hour, fetches] of held) {
    const oldest = oldestWritten.get(hour) ?? Number.POSITIVE_INFINITY;
    for (const f of fetches) {
      if (Date.parse(f.fetchedAt) > oldest && !ownKeys.has(f.key)) newer.set(`${f.bucket}/${f.key}`, f);
    }
  }
  return [...newer.values()];
}

/**
 * The stored hours after this run's writes, as the run expects them (what it read before, with
 * what it wrote), when the fetch times and derived versions read back match that expectation:
 * nothing else wrote nearby in between. Undefined when they differ (read the hours again).
 */
export function storedAfterWrites(
  before: readonly StoredReading[],
  plans: readonly PlannedWrite[],
  fetches: readonly StoredFetch[],
): StoredReading[] | undefined {
  const expected = new Map(before.map((s) => [Date.parse(s.reading.hourStart), s]));
  for (const p of plans) if (p.written) expected.set(p.hourStart, { reading: p.reading, version: p.version });
  if (fetches.length !== expected.size) return undefined;
  for (const f of fetches) {
    const e = expected.get(f.hourStart);
    if (!e || e.reading.source.fetchedAt !== f.fetchedAt || e.version !== f.version) return undefined;
  }
  return [...expected.values()].sort((a, b) => Date.parse(a.reading.hourStart) - Date.parse(b.reading.hourStart));
}
