import { APPSYNC_PRELUDE, readSchemaSdl } from '@opendata-pulse/local/appsync';
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import { buildSchema, getNamedType, isObjectType } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { parseAwsDate, parseAwsDateTime } from '../../src/domain/aws-scalars';
import {
  datesIn,
  hourStartsIn,
  optionalDate,
  optionalDateTime,
  optionalString,
  optionalToken,
  parseLimit,
  requiredString,
  resolveDayWindow,
  resolveHourWindow,
  STRING_ARGUMENT_BOUNDS,
} from '../../src/domain/query-arguments';

const NOW = Date.UTC(2026, 10, 20, 3, 20);

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a BadRequestError');
}

describe('AWSDateTime and AWSDate', () => {
  it.each([
    ['2026-11-20T13:00:00Z', Date.UTC(2026, 10, 20, 13)],
    ['2026-11-20T13:00Z', Date.UTC(2026, 10, 20, 13)],
    ['2026-11-20T13:00:00.5Z', Date.UTC(2026, 10, 20, 13, 0, 0, 500)],
    ['2026-11-20T13:00:00.123456789Z', Date.UTC(2026, 10, 20, 13, 0, 0, 123)],
    ['2026-11-21T00:00:00+11:00', Date.UTC(2026, 10, 20, 13)],
    ['2026-11-20T03:00:00-10:00', Date.UTC(2026, 10, 20, 13)],
    ['2026-11-20T13:00:00+00:00:30', Date.UTC(2026, 10, 20, 12, 59, 30)],
  ])('reads %s as an instant', (value, expected) => {
    expect(parseAwsDateTime(value)).toBe(expected);
  });

  it.each([
    '2026-11-20',
    '2026-11-20T13:00:00',
    '2026-02-30T00:00:00Z',
    '2026-11-20T24:00:00Z',
    '20/11/2026 10:00',
    '',
  ])('refuses %j, which has no zone, is not a calendar time, or is not ISO', (value) => {
    expect(parseAwsDateTime(value)).toBeUndefined();
  });

  it('reads AWSDate with or without an offset and refuses non-dates', () => {
    expect(parseAwsDate('2026-11-20')).toBe('2026-11-20');
    expect(parseAwsDate('2026-11-20+11:00')).toBe('2026-11-20');
    expect(parseAwsDate('2026-11-31')).toBeUndefined();
    expect(parseAwsDate('20-11-2026')).toBeUndefined();
  });

  it('names the argument and an example in a BadRequest', () => {
    expect(badRequest(() => optionalDateTime('from', 'yesterday'))).toBe(
      '"from" must be an AWSDateTime: ISO 8601 with a time-zone offset, e.g. 2026-11-20T13:00:00Z (got "yesterday")',
    );
  });
});

describe('limit', () => {
  it('defaults to 100 and takes 1 to 500', () => {
    expect(parseLimit(undefined)).toBe(100);
    expect(parseLimit(null)).toBe(100);
    expect(parseLimit(1)).toBe(1);
    expect(parseLimit(500)).toBe(500);
  });

  it.each([
    [0, '"limit" must be from 1 to 500 (got 0)'],
    [-5, '"limit" must be from 1 to 500 (got -5)'],
    [501, '"limit" must be from 1 to 500 (got 501)'],
    [2.5, '"limit" must be a whole number from 1 to 500 (got 2.5)'],
    ['10', '"limit" must be a whole number from 1 to 500 (got "10")'],
  ])('refuses %j', (value, message) => {
    expect(badRequest(() => parseLimit(value))).toBe(message);
  });
});

describe('hour windows', () => {
  it('defaults to the 31 days up to the end of the current hour', () => {
    expect(resolveHourWindow({}, NOW)).toEqual({
      fromMs: Date.UTC(2026, 10, 20, 4) - 31 * DAY_MS,
      toMs: Date.UTC(2026, 10, 20, 4),
    });
  });

  it('takes 31 days before a given "to", and clamps a defaulted "to" to 31 days after "from"', () => {
    const to = Date.UTC(2026, 5, 1);
    expect(resolveHourWindow({ to }, NOW)).toEqual({ fromMs: to - 31 * DAY_MS, toMs: to });
    const from = Date.UTC(2026, 0, 1);
    expect(resolveHourWindow({ from }, NOW)).toEqual({ fromMs: from, toMs: from + 31 * DAY_MS });
    expect(resolveHourWindow({ from: NOW - DAY_MS }, NOW)).toEqual({
      fromMs: NOW - DAY_MS,
      toMs: Date.UTC(2026, 10, 20, 4),
    });
  });

  it('accepts exactly 31 days and refuses more, or bounds out of order', () => {
    const from = Date.UTC(2026, 9, 1);
    expect(resolveHourWindow({ from, to: from + 31 * DAY_MS }, NOW)).toEqual({
      fromMs: from,
      toMs: from + 31 * DAY_MS,
    });
    expect(badRequest(() => resolveHourWindow({ from, to: from + 31 * DAY_MS + HOUR_MS }, NOW))).toBe(
      '"from" to "to" spans 31.1 days; a query covers at most 31 days (split longer periods into several queries)',
    );
    expect(badRequest(() => resolveHourWindow({ from, to: from }, NOW))).toBe(
      '"from" (2026-10-01T00:00:00.000Z) must be before "to" (2026-10-01T00:00:00.000Z)',
    );
    expect(badRequest(() => resolveHourWindow({ from: NOW + DAY_MS }, NOW))).toContain('is in the future');
  });

  it('covers the whole hours that start in [from, to)', () => {
    expect(hourStartsIn({ fromMs: Date.UTC(2026, 0, 1, 10), toMs: Date.UTC(2026, 0, 1, 13) })).toEqual({
      first: Date.UTC(2026, 0, 1, 10),
      last: Date.UTC(2026, 0, 1, 12),
    });
    expect(hourStartsIn({ fromMs: Date.UTC(2026, 0, 1, 10, 1), toMs: Date.UTC(2026, 0, 1, 12, 1) })).toEqual({
      first: Date.UTC(2026, 0, 1, 11),
      last: Date.UTC(2026, 0, 1, 12),
    });
    expect(hourStartsIn({ fromMs: Date.UTC(2026, 0, 1, 10, 10), toMs: Date.UTC(2026, 0, 1, 10, 50) })).toBeUndefined();
  });
});

describe('day windows', () => {
  it("defaults to 366 days up to two days after today (UTC), so that NSW's today is in", () => {
    expect(resolveDayWindow({}, NOW)).toEqual({ from: '2025-11-21', to: '2026-11-22' });
  });

  it('accepts 366 days and refuses 367', () => {
    expect(resolveDayWindow({ from: '2025-01-01', to: '2026-01-02' }, NOW)).toEqual({
      from: '2025-01-01',
      to: '2026-01-02',
    });
    expect(badRequest(() => resolveDayWindow({ from: '2025-01-01', to: '2026-01-03' }, NOW))).toContain(
      'spans 367 days; a query covers at most 366 days',
    );
    expect(badRequest(() => resolveDayWindow({ from: '2026-01-02', to: '2026-01-01' }, NOW))).toBe(
      '"from" (2026-01-02) must be before "to" (2026-01-01)',
    );
  });

  it('covers the dates from "from" up to the day before "to"', () => {
    expect(datesIn({ from: '2026-11-18', to: '2026-11-20' })).toEqual({ first: '2026-11-18', last: '2026-11-19' });
  });
});

describe('strings', () => {
  it('refuses a blank suburb or region', () => {
    expect(badRequest(() => requiredString('suburb', '   '))).toBe('"suburb" must not be blank');
    expect(badRequest(() => requiredString('suburb', undefined))).toBe('"suburb" is required and must be a string');
  });
});

describe('string length bounds', () => {
  it('refuses a 20,000-character suburb, naming the argument and its bound', () => {
    expect(badRequest(() => requiredString('suburb', 'x'.repeat(20_000)))).toBe(
      '"suburb" must be at most 100 characters (got 20000)',
    );
  });

  it('accepts a value at the bound and refuses one character more, for every string argument', () => {
    expect(requiredString('suburb', 's'.repeat(100))).toHaveLength(100);
    expect(optionalString('region', 'r'.repeat(100))).toHaveLength(100);
    expect(optionalToken('t'.repeat(4096))).toHaveLength(4096);
    expect(badRequest(() => requiredString('region', 'r'.repeat(101)))).toBe(
      '"region" must be at most 100 characters (got 101)',
    );
    expect(badRequest(() => optionalString('region', 'r'.repeat(101)))).toBe(
      '"region" must be at most 100 characters (got 101)',
    );
    expect(badRequest(() => optionalToken('t'.repeat(4097)))).toBe(
      '"nextToken" must be at most 4096 characters (got 4097)',
    );
  });

  it('refuses an overlong AWSDateTime or AWSDate without echoing it back', () => {
    const long = `2026-11-20T13:00:00Z${' '.repeat(20_000)}`;
    expect(badRequest(() => optionalDateTime('from', long))).toBe('"from" must be at most 64 characters (got 20020)');
    expect(badRequest(() => optionalDate('to', long))).toBe('"to" must be at most 64 characters (got 20020)');
  });

  it('bounds every String, AWSDateTime and AWSDate argument schema.graphql declares', () => {
    // Prepare
    const schema = buildSchema(`${APPSYNC_PRELUDE}\n${readSchemaSdl()}`);
    const stringy = new Set(['String', 'AWSDateTime', 'AWSDate']);

    // Act
    const args = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) => Object.values(type.getFields()).flatMap((field) => field.args))
      .filter((arg) => stringy.has(getNamedType(arg.type).name))
      .map((arg) => arg.name);

    // Assess
    expect(args.length).toBeGreaterThan(0);
    expect([...new Set(args)].filter((name) => !(name in STRING_ARGUMENT_BOUNDS))).toEqual([]);
  });
});
