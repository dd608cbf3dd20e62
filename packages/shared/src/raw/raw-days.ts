/**
 * The raw zone's two units, in pure terms: UTC hours (what operators ask for and the table holds)
 * and NSW local dates (what NSW answers a dated query with, and what a backfill stores: one day
 * object per date, docs/architecture.md "Raw zone keys"). A range of N whole local days touches at
 * most N + 1 dates, so a backfill planned here sends at most N + 1 requests to NSW.
 */
import { parseRawKey } from '../keys';
import { localDateOf } from '../time';

export interface BackfillDay {
  /** NSW local date (YYYY-MM-DD) */
  date: string;
  /** the hour the ingest is invoked with: the latest requested hour of the date */
  hour: number;
  /** the requested hours of this date, oldest first */
  hours: number[];
}

/** The requested hours grouped by NSW local date, one invocation each, oldest date first. */
export function planBackfillDays(hours: readonly number[], timeZone: string): BackfillDay[] {
  const byDate = new Map<string, number[]>();
  for (const hour of [...new Set(hours)].sort((a, b) => a - b)) {
    const date = localDateOf(hour, timeZone);
    const list = byDate.get(date) ?? [];
    list.push(hour);
    byDate.set(date, list);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, list]) => ({ date, hour: list[list.length - 1] as number, hours: list }));
}

/** The NSW local dates the hours fall on, oldest first. */
export function localDatesOf(hours: readonly number[], timeZone: string): string[] {
  return planBackfillDays(hours, timeZone).map((d) => d.date);
}

/** `20261127T040512Z` (a revision key's fetch time) -> epoch ms. */
export function compactUtcToMs(compact: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(compact);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The fetch time a revision key spells (to the second); undefined for a first fetch (`HH.json`, `days/D.json`). */
export function fetchedAtOfKey(key: string): number | undefined {
  const revision = parseRawKey(key)?.revision;
  if (!revision) return undefined;
  const ms = compactUtcToMs(revision.fetched);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A raw object that holds an hour, with when NSW was asked for it. */
export interface RawCandidate {
  key: string;
  /** epoch ms of the fetch */
  fetchedAt: number;
}

/**
 * The object that speaks for an hour: the newest fetch among those holding it (docs/architecture.md,
 * "Raw zone keys"; the ETL keeps the same one, a newer fetch wins). Equal fetch times (a revision
 * key spells seconds only) go to the one listed last: an hour's own version over a day's.
 */
export function speakingObject(candidates: readonly RawCandidate[]): RawCandidate | undefined {
  let best: RawCandidate | undefined;
  for (const c of candidates) if (!best || c.fetchedAt >= best.fetchedAt) best = c;
  return best;
}
