/**
 * Time. The NSW source labels an hourly value by local `Date` and hour-ending `Hour` (1–24) in the
 * zone NSW_SOURCE_TIMEZONE; the project stores the UTC start of the hour (`hourStart`).
 * Every conversion goes through the platform's time-zone database (Intl): no hand-written offsets.
 */
import { ValidationError } from '../errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_START_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:00:00(?:\.000)?Z$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime's time-zone database knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** Offset of `timeZone` from UTC at instant `ms`, in minutes. */
export function offsetMinutesAt(ms: number, timeZone: string): number {
  const w = wallClockAt(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * Every instant whose wall clock in `timeZone` reads exactly the given local time: none when the
 * time falls in a daylight-saving gap, two when it falls in the repeated hour, one otherwise.
 */
export function instantsForWallClock(local: WallClock, timeZone: string): number[] {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const candidates = new Set<number>();
  // Offsets around the naive instant cover any zone's transition (offsets are within ±14 h).
  for (const probe of [naive - DAY_MS, naive, naive + DAY_MS]) {
    candidates.add(naive - offsetMinutesAt(probe, timeZone) * 60_000);
  }
  for (const probe of [...candidates]) {
    candidates.add(naive - offsetMinutesAt(probe, timeZone) * 60_000);
  }
  return [...candidates]
    .filter((ms) => {
      const w = wallClockAt(ms, timeZone);
      return (
        w.year === local.year &&
        w.month === local.month &&
        w.day === local.day &&
        w.hour === local.hour &&
        w.minute === local.minute
      );
    })
    .sort((a, b) => a - b);
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new ValidationError(`Date "${date}" is not an ISO date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ValidationError(`Date "${date}" is not a calendar date`);
  }
  return { year, month, day };
}

/**
 * NSW `Date` + hour-ending `Hour` (1–24, local time in `timeZone`) -> UTC start of that hour (ISO).
 *
 * Hour h covers local (h-1):00 to h:00. The start is resolved through the zone database:
 * - a local start that does not exist (the hour skipped when daylight saving begins) is an error,
 *   because any instant we chose would collide with the next hour's;
 * - a local start that occurs twice (the repeated hour when daylight saving ends) takes the first
 *   occurrence, which never collides: the second occurrence has no label of its own.
 */
export function nswHourToUtc(date: string, hour: number, timeZone: string): string {
  // Pure and called once per observation (thousands per raw object, a few dozen distinct labels):
  // remembered per label, errors included, because each call costs several zone-database lookups.
  const key = `${timeZone}|${date}|${hour}`;
  const known = nswHourCache.get(key);
  if (known !== undefined) {
    if (known.ok) return known.value;
    throw new ValidationError(known.value);
  }
  let outcome: { ok: boolean; value: string };
  try {
    outcome = { ok: true, value: computeNswHourToUtc(date, hour, timeZone) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    outcome = { ok: false, value: error.message };
  }
  if (nswHourCache.size >= NSW_HOUR_CACHE_LIMIT) nswHourCache.clear();
  nswHourCache.set(key, outcome);
  if (outcome.ok) return outcome.value;
  throw new ValidationError(outcome.value);
}

const NSW_HOUR_CACHE_LIMIT = 20_000;
const nswHourCache = new Map<string, { ok: boolean; value: string }>();

function computeNswHourToUtc(date: string, hour: number, timeZone: string): string {
  if (!Number.isInteger(hour) || hour < 1 || hour > 24) {
    throw new ValidationError(`Hour ${hour} is outside 1–24 (NSW hours are hour-ending)`);
  }
  const d = parseDate(date);
  const instants = instantsForWallClock({ ...d, hour: hour - 1, minute: 0 }, timeZone);
  const first = instants[0];
  if (first === undefined) {
    throw new ValidationError(
      `Date ${date} Hour ${hour} starts at a local time that does not exist in ${timeZone} (daylight-saving gap)`,
    );
  }
  return new Date(first).toISOString();
}

/** UTC hourStart -> the NSW `Date` and hour-ending `Hour` that label it in `timeZone`. */
export function utcToNswHour(hourStart: string | number, timeZone: string): { date: string; hour: number } {
  const ms = typeof hourStart === 'number' ? hourStart : parseHourStart(hourStart);
  const w = wallClockAt(ms, timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, hour: w.hour + 1 };
}

/** Parse an ISO instant that must fall on a whole UTC hour; returns epoch ms. */
export function parseHourStart(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError(`"${value}" is not an ISO 8601 date-time`);
  if (ms % HOUR_MS !== 0) throw new ValidationError(`"${value}" is not on a whole UTC hour`);
  return ms;
}

/** Canonical form of an hour: `2026-11-20T13:00:00Z` (no milliseconds). */
export function toHourIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 13)}:00:00Z`;
}

export function isHourIso(value: string): boolean {
  return HOUR_START_RE.test(value);
}

export function floorToHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The latest hour that has fully ended at `now` (its start). */
export function latestCompleteHour(now: number): number {
  return floorToHour(now) - HOUR_MS;
}

/** Hours from `from` (inclusive) to `to` (exclusive), as epoch ms of each hour start. */
export function hoursBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let h = floorToHour(from) + (from % HOUR_MS === 0 ? 0 : HOUR_MS); h < to; h += HOUR_MS) out.push(h);
  return out;
}

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDateOf(ms: number, timeZone: string): string {
  const w = wallClockAt(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
