/**
 * Local calendar dates of UTC hours, remembered: daily summaries ask for the same few dozen hours
 * over and over, and each answer costs a zone-database lookup.
 */
import { HOUR_MS, localDateOf } from '@opendata-pulse/shared/time';

const LIMIT = 50_000;
const dates = new Map<string, string>();
const days = new Map<string, number[]>();

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const key = `${timeZone}|${ms}`;
  let date = dates.get(key);
  if (date === undefined) {
    date = localDateOf(ms, timeZone);
    if (dates.size >= LIMIT) dates.clear();
    dates.set(key, date);
  }
  return date;
}

/** UTC hour starts whose local date in `timeZone` is `date`: 24, or 23/25 on daylight-saving days. */
export function hoursOfLocalDate(date: string, timeZone: string): number[] {
  const key = `${timeZone}|${date}`;
  let hours = days.get(key);
  if (hours === undefined) {
    const midnightUtc = Date.parse(`${date}T00:00:00Z`);
    hours = [];
    // Local midnight is within ±14 h of UTC midnight in every zone.
    for (let h = midnightUtc - 15 * HOUR_MS; h < midnightUtc + 39 * HOUR_MS; h += HOUR_MS) {
      if (localDate(h, timeZone) === date) hours.push(h);
    }
    if (days.size >= LIMIT) days.clear();
    days.set(key, hours);
  }
  return [...hours];
}
