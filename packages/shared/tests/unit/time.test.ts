import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import {
  hoursBetween,
  instantsForWallClock,
  latestCompleteHour,
  localDateOf,
  nswHourToUtc,
  parseHourStart,
  toHourIso,
  utcToNswHour,
} from '../../src/time';

const SYDNEY = 'Australia/Sydney';
const FIXED = 'Australia/Brisbane'; // UTC+10 all year

describe('nswHourToUtc: hour-ending NSW labels to the UTC start of the hour', () => {
  it.each([
    // zone, date, hour, expected hourStart
    [SYDNEY, '2026-06-15', 1, '2026-06-14T14:00:00.000Z'], // winter, AEST +10: 00:00 local
    [SYDNEY, '2026-06-15', 24, '2026-06-15T13:00:00.000Z'], // 23:00 local
    [SYDNEY, '2026-01-15', 1, '2026-01-14T13:00:00.000Z'], // summer, AEDT +11
    [SYDNEY, '2026-01-15', 24, '2026-01-15T12:00:00.000Z'],
    [FIXED, '2026-06-15', 1, '2026-06-14T14:00:00.000Z'],
    [FIXED, '2026-06-15', 24, '2026-06-15T13:00:00.000Z'],
    [FIXED, '2026-01-15', 1, '2026-01-14T14:00:00.000Z'], // no daylight saving: still +10
    [FIXED, '2026-01-15', 24, '2026-01-15T13:00:00.000Z'],
  ])('%s %s hour %i starts at %s', (zone, date, hour, expected) => {
    expect(nswHourToUtc(date, hour, zone)).toBe(expected);
  });

  it('reads the published Rozelle row (2015-06-01 hour 1) as midnight local', () => {
    expect(nswHourToUtc('2015-06-01', 1, SYDNEY)).toBe('2015-05-31T14:00:00.000Z');
  });

  it.each(['2025-04-06', '2026-04-05', '2025-10-05', '2026-10-04'])(
    'gives distinct hour starts on the daylight-saving change day %s',
    (date) => {
      const starts: string[] = [];
      const rejected: number[] = [];
      for (let hour = 1; hour <= 24; hour++) {
        try {
          starts.push(nswHourToUtc(date, hour, SYDNEY));
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          rejected.push(hour);
        }
      }
      expect(new Set(starts).size).toBe(starts.length);
      // Every label that maps is an hour apart or more from its neighbours, in order.
      const ms = starts.map((s) => Date.parse(s));
      for (let i = 1; i < ms.length; i++) expect((ms[i] ?? 0) - (ms[i - 1] ?? 0)).toBeGreaterThanOrEqual(3_600_000);
      // Spring forward (October) skips 02:00–03:00 local: that one label cannot be placed.
      expect(rejected).toEqual(date.endsWith('-10-05') || date.endsWith('-10-04') ? [3] : []);
    },
  );

  it('takes the first occurrence of the repeated hour when daylight saving ends', () => {
    // 2026-04-05 03:00 AEDT -> 02:00 AEST; hour 3 = 02:00–03:00 local, first at +11.
    expect(nswHourToUtc('2026-04-05', 3, SYDNEY)).toBe('2026-04-04T15:00:00.000Z');
    expect(nswHourToUtc('2026-04-05', 4, SYDNEY)).toBe('2026-04-04T17:00:00.000Z');
    expect(instantsForWallClock({ year: 2026, month: 4, day: 5, hour: 2, minute: 0 }, SYDNEY)).toHaveLength(2);
  });

  it('never collides across a whole daylight-saving year for one station', () => {
    const seen = new Set<string>();
    for (let d = Date.UTC(2025, 11, 31); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const date = new Date(d).toISOString().slice(0, 10);
      for (let hour = 1; hour <= 24; hour++) {
        try {
          const start = nswHourToUtc(date, hour, SYDNEY);
          expect(seen.has(start)).toBe(false);
          seen.add(start);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }
    }
  });

  it.each([
    ['2026-02-30', 1, /not a calendar date/],
    ['20-11-2026', 1, /not an ISO date/],
    ['2026-11-20', 0, /outside 1–24/],
    ['2026-11-20', 25, /outside 1–24/],
  ])('rejects %s hour %i with a clear message', (date, hour, message) => {
    expect(() => nswHourToUtc(date as string, hour as number, SYDNEY)).toThrow(message as RegExp);
  });
});

describe('utcToNswHour: the label NSW gives a UTC hour', () => {
  it('inverts nswHourToUtc for every hour of a year in both zones', () => {
    for (const zone of [SYDNEY, FIXED]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_600_000) {
        const { date, hour } = utcToNswHour(ms, zone);
        const back = nswHourToUtc(date, hour, zone);
        // The second pass of the repeated hour has no label of its own: it reads as the first.
        if (back !== new Date(ms).toISOString()) expect(Date.parse(back)).toBe(ms - 3_600_000);
      }
    }
  });

  it('labels 13:00Z in Sydney summer as hour 1 of the next local day', () => {
    expect(utcToNswHour('2026-01-14T13:00:00Z', SYDNEY)).toEqual({ date: '2026-01-15', hour: 1 });
  });
});

describe('hour helpers', () => {
  it('parses only whole UTC hours', () => {
    expect(parseHourStart('2026-11-20T13:00:00Z')).toBe(Date.UTC(2026, 10, 20, 13));
    expect(() => parseHourStart('2026-11-20T13:30:00Z')).toThrow(/whole UTC hour/);
    expect(() => parseHourStart('yesterday')).toThrow(/not an ISO 8601/);
  });

  it('formats, floors and ranges hours with from inclusive and to exclusive', () => {
    expect(toHourIso(Date.UTC(2026, 10, 20, 13))).toBe('2026-11-20T13:00:00Z');
    expect(latestCompleteHour(Date.UTC(2026, 10, 20, 13, 59))).toBe(Date.UTC(2026, 10, 20, 12));
    expect(hoursBetween(Date.UTC(2026, 10, 20, 10), Date.UTC(2026, 10, 20, 13))).toEqual([
      Date.UTC(2026, 10, 20, 10),
      Date.UTC(2026, 10, 20, 11),
      Date.UTC(2026, 10, 20, 12),
    ]);
    expect(hoursBetween(Date.UTC(2026, 10, 20, 10, 30), Date.UTC(2026, 10, 20, 12))).toEqual([
      Date.UTC(2026, 10, 20, 11),
    ]);
    expect(localDateOf(Date.UTC(2026, 10, 20, 13), SYDNEY)).toBe('2026-11-21');
  });
});
