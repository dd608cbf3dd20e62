/**
 * Hour ranges as operators give them: `--hours N` (the last N complete hours) or `--from --to`
 * (ISO 8601 UTC, `from` inclusive, `to` exclusive), in UTC hour starts as everywhere else
 * (docs/architecture.md, "Hour convention").
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { HOUR_MS, hoursBetween, latestCompleteHour } from '@opendata-pulse/shared/time';

/** A year and a month: enough for any backfill the runbook describes, small enough to catch a typo. */
export const MAX_HOURS = 24 * 400;

export interface HourRangeOptions {
  hours?: string | number;
  from?: string;
  to?: string;
}

export function parseInstant(value: string, flag: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new BadRequestError(`${flag} "${value}" is not an ISO 8601 date or date-time (e.g. 2026-11-20T13:00:00Z)`);
  }
  return ms;
}

export function parsePositiveInt(value: string | number, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new BadRequestError(`${flag} must be a whole number from 1 to ${max}; got "${value}"`);
  }
  return n;
}

/** A range of whole hours: `from` inclusive, `to` exclusive, and the hour starts in it (epoch ms, oldest first). */
export interface HourRange {
  from: number;
  to: number;
  hours: number[];
}

/** The hour starts (epoch ms, oldest first) the options name. */
export function hoursFromOptions(options: HourRangeOptions, now: number): HourRange {
  const hasRange = options.from !== undefined || options.to !== undefined;
  if (options.hours !== undefined && hasRange)
    throw new BadRequestError('give either --hours N or --from/--to, not both');
  if (options.hours !== undefined) {
    const n = parsePositiveInt(options.hours, '--hours', MAX_HOURS);
    const to = latestCompleteHour(now) + HOUR_MS;
    const from = to - n * HOUR_MS;
    return { from, to, hours: hoursBetween(from, to) };
  }
  if (options.from === undefined || options.to === undefined) {
    throw new BadRequestError('give --hours N, or both --from and --to (ISO 8601 UTC; --to is exclusive)');
  }
  const from = parseInstant(options.from, '--from');
  const to = parseInstant(options.to, '--to');
  if (to <= from) throw new BadRequestError(`--to (${options.to}) must be after --from (${options.from})`);
  const hours = hoursBetween(from, to);
  if (hours.length === 0) throw new BadRequestError(`no whole hour starts in [${options.from}, ${options.to})`);
  if (hours.length > MAX_HOURS) {
    throw new BadRequestError(`the range holds ${hours.length} hours; at most ${MAX_HOURS} at a time`);
  }
  const last = latestCompleteHour(now);
  if (hours[0] !== undefined && hours[0] > last) {
    throw new BadRequestError(`the range starts after the latest complete hour (${new Date(last).toISOString()})`);
  }
  return { from, to, hours: hours.filter((h) => h <= last) };
}
