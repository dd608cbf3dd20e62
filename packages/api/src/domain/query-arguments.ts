/**
 * The API's argument rules, as schema.graphql documents them: limits, length bounds, time ranges
 * (UTC hour starts, docs/architecture.md, "Hour convention"), scalar formats. Every violation is a
 * BadRequestError whose message names the argument and says what is allowed.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import { parseAwsDate, parseAwsDateTime } from './aws-scalars';

export const QUERY_LIMITS = {
  defaultLimit: 100,
  minLimit: 1,
  maxLimit: 500,
  /** hourly series (readings, region hours) */
  maxHourlyRangeDays: 31,
  /** daily summaries */
  maxDailyRangeDays: 366,
} as const;

/**
 * The longest value each string-typed argument may carry: every `String` argument of the schema and
 * the AWS scalars that travel as strings. A longer value is refused before it reaches a key, a
 * query or an error message (which would otherwise echo it back).
 */
export const STRING_ARGUMENT_BOUNDS = {
  suburb: 100,
  region: 100,
  /** page tokens this API issues are far shorter; the codec refuses anything longer too */
  nextToken: 4096,
  /** AWSDateTime / AWSDate: the longest legal form (nanoseconds, a seconds offset) is 38 */
  from: 64,
  to: 64,
} as const;
export type StringArgument = keyof typeof STRING_ARGUMENT_BOUNDS;

function withinBound(name: StringArgument, value: string): string {
  const max = STRING_ARGUMENT_BOUNDS[name];
  if (value.length > max) {
    throw new BadRequestError(`"${name}" must be at most ${max} characters (got ${value.length})`);
  }
  return value;
}

/** Hours whose start lies in [fromMs, toMs). */
export interface HourWindow {
  fromMs: number;
  toMs: number;
}

/** Calendar dates in [from, to). */
export interface DayWindow {
  from: string;
  to: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function parseLimit(value: unknown): number {
  if (value === undefined || value === null) return QUERY_LIMITS.defaultLimit;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BadRequestError(`"limit" must be a whole number from 1 to 500 (got ${JSON.stringify(value)})`);
  }
  if (value < QUERY_LIMITS.minLimit || value > QUERY_LIMITS.maxLimit) {
    throw new BadRequestError(
      `"limit" must be from ${QUERY_LIMITS.minLimit} to ${QUERY_LIMITS.maxLimit} (got ${value})`,
    );
  }
  return value;
}

export function requiredString(name: 'suburb' | 'region', value: unknown): string {
  if (typeof value !== 'string') throw new BadRequestError(`"${name}" is required and must be a string`);
  withinBound(name, value);
  if (value.trim() === '') throw new BadRequestError(`"${name}" must not be blank`);
  return value;
}

export function optionalString(name: 'suburb' | 'region', value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requiredString(name, value);
}

export function requiredInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BadRequestError(`"${name}" is required and must be a whole number (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function optionalToken(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new BadRequestError('"nextToken" must be a token returned by a previous page of the same query');
  }
  return withinBound('nextToken', value);
}

export function optionalDateTime(name: 'from' | 'to', value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? parseAwsDateTime(withinBound(name, value)) : undefined;
  if (ms === undefined) {
    throw new BadRequestError(
      `"${name}" must be an AWSDateTime: ISO 8601 with a time-zone offset, e.g. 2026-11-20T13:00:00Z (got ${JSON.stringify(value)})`,
    );
  }
  return ms;
}

export function optionalDate(name: 'from' | 'to', value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? parseAwsDate(withinBound(name, value)) : undefined;
  if (date === undefined) {
    throw new BadRequestError(`"${name}" must be an AWSDate, e.g. 2026-11-20 (got ${JSON.stringify(value)})`);
  }
  return date;
}

/**
 * The hours a query covers. Given both bounds, they must be ordered and at most `maxDays` apart.
 * A missing `to` is the end of the current hour (clamped to `maxDays` after `from`); a missing
 * `from` is `maxDays` before `to`.
 */
export function resolveHourWindow(
  args: { from?: number | undefined; to?: number | undefined },
  nowMs: number,
  maxDays: number = QUERY_LIMITS.maxHourlyRangeDays,
): HourWindow {
  const maxMs = maxDays * DAY_MS;
  const endOfCurrentHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  const { from, to } = args;
  if (from !== undefined && to !== undefined) {
    if (from >= to) throw new BadRequestError(`"from" (${iso(from)}) must be before "to" (${iso(to)})`);
    if (to - from > maxMs) {
      const days = Math.ceil(((to - from) / DAY_MS) * 10) / 10;
      throw new BadRequestError(
        `"from" to "to" spans ${days} days; a query covers at most ${maxDays} days (split longer periods into several queries)`,
      );
    }
    return { fromMs: from, toMs: to };
  }
  if (to !== undefined) return { fromMs: to - maxMs, toMs: to };
  if (from !== undefined) {
    const toMs = Math.min(endOfCurrentHour, from + maxMs);
    if (from >= toMs) {
      throw new BadRequestError(
        `"from" (${iso(from)}) is in the future: there is no data after ${iso(endOfCurrentHour)}`,
      );
    }
    return { fromMs: from, toMs };
  }
  return { fromMs: endOfCurrentHour - maxMs, toMs: endOfCurrentHour };
}

const dateMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The local dates a daily query covers, with the same rules as hours. A missing `to` is two days
 * after today's UTC date, so it includes "today" in any zone ahead of UTC (NSW is).
 */
export function resolveDayWindow(
  args: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  maxDays: number = QUERY_LIMITS.maxDailyRangeDays,
): DayWindow {
  const defaultTo = dateMs(dateOf(nowMs)) + 2 * DAY_MS;
  const from = args.from === undefined ? undefined : dateMs(args.from);
  const to = args.to === undefined ? undefined : dateMs(args.to);
  if (from !== undefined && to !== undefined) {
    if (from >= to) throw new BadRequestError(`"from" (${args.from}) must be before "to" (${args.to})`);
    if (to - from > maxDays * DAY_MS) {
      throw new BadRequestError(
        `"from" to "to" spans ${(to - from) / DAY_MS} days; a query covers at most ${maxDays} days (split longer periods into several queries)`,
      );
    }
    return { from: dateOf(from), to: dateOf(to) };
  }
  if (to !== undefined) return { from: dateOf(to - maxDays * DAY_MS), to: dateOf(to) };
  if (from !== undefined) {
    const toMs = Math.min(defaultTo, from + maxDays * DAY_MS);
    if (from >= toMs) throw new BadRequestError(`"from" (${args.from}) is in the future`);
    return { from: dateOf(from), to: dateOf(toMs) };
  }
  return { from: dateOf(defaultTo - maxDays * DAY_MS), to: dateOf(defaultTo) };
}

/** The whole hours a window covers: starts from `first` to `last`, both inclusive; none when empty. */
export function hourStartsIn(window: HourWindow): { first: number; last: number } | undefined {
  const first = Math.ceil(window.fromMs / HOUR_MS) * HOUR_MS;
  const last = Math.ceil(window.toMs / HOUR_MS) * HOUR_MS - HOUR_MS;
  return first <= last ? { first, last } : undefined;
}

/** The dates a day window covers, both inclusive; none when empty. */
export function datesIn(window: DayWindow): { first: string; last: string } | undefined {
  const last = dateOf(dateMs(window.to) - DAY_MS);
  return window.from <= last ? { first: window.from, last } : undefined;
}

// ---------------------------------------------------------------- nearestStations, exportAirQualityData

export const NEAREST_LIMITS = { defaultLimit: 5, minLimit: 1, maxLimit: 50 } as const;
/** One export covers at most this many days (366 x 24 = 8,784 hours). */
export const MAX_EXPORT_RANGE_DAYS = 366;

const finiteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** NaN and Infinity as themselves (JSON would say null). */
const shown = (value: unknown) => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** `latitude` in [-90, 90] or `longitude` in [-180, 180], in decimal degrees. */
export function requiredCoordinate(name: 'latitude' | 'longitude', value: unknown): number {
  const bound = name === 'latitude' ? 90 : 180;
  if (!finiteNumber(value) || value < -bound || value > bound) {
    throw new BadRequestError(`"${name}" must be a number of degrees from -${bound} to ${bound} (got ${shown(value)})`);
  }
  return value;
}

export function parseNearestLimit(value: unknown): number {
  if (value === undefined || value === null) return NEAREST_LIMITS.defaultLimit;
  const { minLimit, maxLimit } = NEAREST_LIMITS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minLimit || value > maxLimit) {
    throw new BadRequestError(`"limit" must be a whole number from ${minLimit} to ${maxLimit} (got ${shown(value)})`);
  }
  return value;
}

export function optionalDistanceKm(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!finiteNumber(value) || value < 0) {
    throw new BadRequestError(`"maxDistanceKm" must be a finite number of kilometres, 0 or more (got ${shown(value)})`);
  }
  return value;
}

export function requiredDateTime(name: 'from' | 'to', value: unknown): number {
  const ms = optionalDateTime(name, value);
  if (ms === undefined) throw new BadRequestError(`"${name}" is required`);
  return ms;
}

/** An export's hours: both bounds given, ordered, at most MAX_EXPORT_RANGE_DAYS apart. */
export const resolveExportWindow = (from: number, to: number, nowMs: number): HourWindow =>
  resolveHourWindow({ from, to }, nowMs, MAX_EXPORT_RANGE_DAYS);
