/**
 * The data's times as a person in NSW reads them: Sydney time (daylight saving included). An
 * hour is stored by its UTC start; NSW labels it by its end, and so does the dashboard.
 */
import { FRESHNESS_CRITICAL_MINUTES, minutesSinceHourEnded } from '@opendata-pulse/shared/pipeline';
import { DAY_MS, HOUR_MS, localDateOf, nswHourToUtc } from '@opendata-pulse/shared/time';

export const SYDNEY = 'Australia/Sydney';

const hhmm = new Intl.DateTimeFormat('en-AU', { timeZone: SYDNEY, hour: '2-digit', minute: '2-digit', hour12: false });
const dayHour = new Intl.DateTimeFormat('en-AU', {
  timeZone: SYDNEY,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** `14:00`: Sydney wall-clock time of an instant. */
export function sydneyTime(ms: number): string {
  return hhmm.format(ms);
}

/** `Tue 3 Mar, 14:00`: the end of the hour that starts at `hourStart`, in Sydney time. */
export function hourEndLabel(hourStart: string): string {
  return dayHour.format(Date.parse(hourStart) + HOUR_MS);
}

/** `updated HH:MM` and whether the newest hour is stale (ended more than 2 hours ago, the freshness alarm's threshold). */
export function freshness(newestHourStart: string | undefined, now: number): { updated: string; stale: boolean } {
  if (!newestHourStart) return { updated: 'no data yet', stale: true };
  const start = Date.parse(newestHourStart);
  return {
    updated: sydneyTime(start + HOUR_MS),
    stale: minutesSinceHourEnded(start, now) > FRESHNESS_CRITICAL_MINUTES,
  };
}

/** Today's date in Sydney (`YYYY-MM-DD`). */
export function sydneyDate(ms: number): string {
  return localDateOf(ms, SYDNEY);
}

/** The instant a Sydney calendar day starts (its first hour, hour-ending 1, starts at midnight). */
export function sydneyMidnight(date: string): number {
  return Date.parse(nswHourToUtc(date, 1, SYDNEY));
}

/** A range of whole Sydney days, `from` to `to` inclusive, as the API's [from, to) instants. */
export function dayRange(fromDate: string, toDate: string): { from: string; to: string; days: number } {
  const next = new Date(Date.parse(`${toDate}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const from = sydneyMidnight(fromDate);
  const to = sydneyMidnight(next);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    days: Math.round((to - from) / DAY_MS),
  };
}
