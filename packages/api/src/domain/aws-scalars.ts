/**
 * AppSync's date scalars, parsed the way AppSync documents them: `AWSDateTime` is an extended
 * ISO 8601 date-time with a compulsory zone offset (`Z` or `±hh:mm[:ss]`), seconds and 1–9
 * fractional digits optional; `AWSDate` is `YYYY-MM-DD` with an optional offset. Used by the
 * resolvers (the Lambda may be invoked without AppSync in front) and by the local server's scalars.
 */

const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})(?::(\d{2}))?)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2}(?::\d{2})?)?$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Epoch ms of an AWSDateTime, or undefined when the string is not one. */
export function parseAwsDateTime(value: string): number | undefined {
  const m = DATE_TIME_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetSeconds = 0;
  if (m[8] !== 'Z') {
    const sign = m[8]?.startsWith('-') ? -1 : 1;
    const [oh, om, os] = [Number(m[9]), Number(m[10]), m[11] === undefined ? 0 : Number(m[11])];
    if (oh > 23 || om > 59 || os > 59) return undefined;
    offsetSeconds = sign * (oh * 3600 + om * 60 + os);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetSeconds * 1000;
}

/** The calendar date (`YYYY-MM-DD`) of an AWSDate, or undefined when the string is not one. */
export function parseAwsDate(value: string): string | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export const isAwsDateTime = (value: string): boolean => parseAwsDateTime(value) !== undefined;
export const isAwsDate = (value: string): boolean => parseAwsDate(value) !== undefined;
