import { nswHourToUtc } from '@opendata-pulse/shared/time';
import { describe, expect, it } from 'vitest';
import { transformRawHour } from '../../src/domain/hour-readings';
import { emptyDirectory, stationDirectory } from '../../src/domain/station-directory';
import { ILLAWARRA_PLACEHOLDER, LIVERPOOL, nswRow, ROZELLE } from '../support/nsw-rows';

const SYDNEY = 'Australia/Sydney';
const BRISBANE = 'Australia/Brisbane';
const source = { rawKey: 'nsw-air-quality/raw/2026/11/20/13.json', fetchedAt: '2026-11-20T14:05:00.000Z' };
const stations = stationDirectory([ROZELLE, LIVERPOOL, ILLAWARRA_PLACEHOLDER]);

/** Every hour 1–24 of a local date for one site and parameter (a whole-day NSW answer). */
function wholeDay(siteId: number, parameter: string, date: string) {
  return Array.from({ length: 24 }, (_, i) => nswRow(siteId, parameter, date, i + 1, 10 + i, 'GOOD'));
}

describe('transformRawHour: placing observations in the raw object hour', () => {
  it('keeps only the hour the object names from a whole-day body and counts the rest', () => {
    // Prepare: 2026-11-21 hour 1 local (AEDT, UTC+11) starts 2026-11-20T13:00Z
    const hourStart = Date.parse(nswHourToUtc('2026-11-21', 1, SYDNEY));
    const observations = [...wholeDay(39, 'PM2.5', '2026-11-21'), ...wholeDay(107, 'PM2.5', '2026-11-21')];
    // Act
    const hour = transformRawHour({ observations, hourStart, timeZone: SYDNEY, stations, source });
    // Assess
    expect(hour.hourStart).toBe('2026-11-20T13:00:00.000Z');
    expect(hour.readings.map((r) => [r.siteId, r.measurements[0]?.value])).toEqual([
      [39, 10],
      [107, 10],
    ]);
    expect(hour.counts).toMatchObject({ received: 48, kept: 2, otherHours: 46, unplaceable: 0, duplicates: 0 });
  });

  it('counts the label that falls in the daylight-saving gap as unplaceable and keeps the day whole otherwise', () => {
    // Prepare: Sydney skips 02:00–03:00 on 2025-10-05, so Hour 3 ("2 am - 3 am") has no start instant.
    const observations = wholeDay(39, 'OZONE', '2025-10-05');
    const placed = new Set<string>();
    let unplaceable = 0;
    // Act: run every UTC hour of that local day through the transform
    for (let h = Date.parse('2025-10-04T13:00:00Z'); h < Date.parse('2025-10-05T13:00:00Z'); h += 3_600_000) {
      const hour = transformRawHour({ observations, hourStart: h, timeZone: SYDNEY, stations, source });
      unplaceable = hour.counts.unplaceable;
      for (const r of hour.readings) placed.add(`${r.hourStart}|${r.measurements[0]?.value}`);
    }
    // Assess: 23 local hours, 23 labels placed once each, the gap label counted every time
    expect(unplaceable).toBe(1);
    expect(placed.size).toBe(23);
    expect([...placed].some((p) => p.endsWith('|12'))).toBe(false); // Hour 3's value (10 + 2)
  });

  it('never gives two readings one hourStart on the 25-hour day daylight saving ends', () => {
    // Prepare: Sydney repeats 02:00–03:00 on 2026-04-05 (AEDT -> AEST)
    const observations = wholeDay(39, 'OZONE', '2026-04-05');
    const hoursWithData: string[] = [];
    // Act
    for (let h = Date.parse('2026-04-04T13:00:00Z'); h < Date.parse('2026-04-05T14:00:00Z'); h += 3_600_000) {
      const hour = transformRawHour({ observations, hourStart: h, timeZone: SYDNEY, stations, source });
      expect(hour.readings.length).toBeLessThanOrEqual(1);
      if (hour.readings.length) hoursWithData.push(hour.hourStart);
      expect(hour.counts.unplaceable).toBe(0);
    }
    // Assess: 25 UTC hours, 24 labels; the repeated hour's second pass has no label of its own
    expect(hoursWithData).toHaveLength(24);
    expect(new Set(hoursWithData).size).toBe(24);
    expect(hoursWithData).not.toContain('2026-04-04T16:00:00.000Z');
  });

  it('reads fixed UTC+10 labels without any gap when the source zone is Australia/Brisbane', () => {
    const observations = wholeDay(39, 'OZONE', '2025-10-05');
    const hour = transformRawHour({
      observations,
      hourStart: Date.parse('2025-10-04T16:00:00Z'), // Hour 3 in UTC+10
      timeZone: BRISBANE,
      stations,
      source,
    });
    expect(hour.counts.unplaceable).toBe(0);
    expect(hour.readings[0]?.measurements[0]?.value).toBe(12);
  });
});

describe('transformRawHour: values and categories', () => {
  const hourStart = Date.parse('2026-11-20T13:00:00Z');
  const at = (rows: ReturnType<typeof nswRow>[]) =>
    transformRawHour({ observations: rows, hourStart, timeZone: SYDNEY, stations, source });

  it('flags a negative value, gives it no category and counts it', () => {
    const hour = at([nswRow(39, 'PM2.5', '2026-11-21', 1, -9.998, null)]);
    expect(hour.readings[0]?.measurements[0]).toEqual({
      parameter: 'PM2.5',
      value: -9.998,
      unit: 'µg/m³',
      flags: ['NEGATIVE'],
    });
    expect(hour.readings[0]?.category).toBeUndefined();
    expect(hour.counts.negative).toBe(1);
  });

  it("keeps NSW's category beside ours and flags the disagreement", () => {
    // 30 µg/m³ PM2.5 is FAIR by the 1 h thresholds; NSW said GOOD.
    const hour = at([nswRow(39, 'PM2.5', '2026-11-21', 1, 30, 'GOOD')]);
    expect(hour.readings[0]?.measurements[0]).toMatchObject({
      category: 'FAIR',
      nswCategory: 'GOOD',
      flags: ['CATEGORY_MISMATCH'],
    });
    expect(hour.counts.categoryMismatch).toBe(1);
  });

  it('passes an unknown parameter and an unknown category spelling through, flagged', () => {
    const hour = at([nswRow(39, 'XYZ', '2026-11-21', 1, 1.5, 'SORT OF OK')]);
    expect(hour.readings[0]?.measurements[0]).toEqual({
      parameter: 'XYZ',
      value: 1.5,
      unit: 'unit',
      flags: ['UNKNOWN_PARAMETER', 'UNKNOWN_CATEGORY'],
    });
    expect(hour.counts).toMatchObject({ unknownParameter: 1, unknownCategory: 1 });
  });

  it("sets the station's category to its worst pollutant's and names that pollutant", () => {
    const hour = at([
      nswRow(39, 'PM2.5', '2026-11-21', 1, 8, 'GOOD'),
      nswRow(39, 'NO2', '2026-11-21', 1, 13, 'POOR'),
      nswRow(39, 'OZONE', '2026-11-21', 1, 7, 'FAIR'),
      nswRow(39, 'TEMP', '2026-11-21', 1, 21.5, null),
    ]);
    const reading = hour.readings[0];
    expect(reading?.category).toBe('POOR');
    expect(reading?.determiningPollutant).toBe('NO2');
    expect(reading?.measurements.map((m) => m.parameter)).toEqual(['NO2', 'OZONE', 'PM2.5', 'TEMP']);
  });

  it('keeps the first of two rows for one station, parameter and hour and counts the second', () => {
    const hour = at([nswRow(39, 'NO2', '2026-11-21', 1, 1, 'GOOD'), nswRow(39, 'NO2', '2026-11-21', 1, 2, 'GOOD')]);
    expect(hour.readings[0]?.measurements).toHaveLength(1);
    expect(hour.readings[0]?.measurements[0]?.value).toBe(1);
    expect(hour.counts.duplicates).toBe(1);
  });

  it('carries the lineage of every reading: raw key and fetch time', () => {
    const hour = at([nswRow(107, 'NO2', '2026-11-21', 1, 1, 'GOOD')]);
    expect(hour.readings[0]?.source).toEqual(source);
    expect(hour.readings[0]).toMatchObject({
      siteName: 'Liverpool',
      suburb: 'Liverpool',
      region: 'Sydney South-west',
    });
  });
});

describe('transformRawHour: stations', () => {
  const hourStart = Date.parse('2026-11-20T13:00:00Z');

  it('falls back to "Station <id>" in region Unknown for a site the reference does not know, flagged', () => {
    const hour = transformRawHour({
      observations: [nswRow(4242, 'NO2', '2026-11-21', 1, 1, 'GOOD'), nswRow(9001, 'NO2', '2026-11-21', 1, 1, 'GOOD')],
      hourStart,
      timeZone: SYDNEY,
      stations,
      source,
    });
    expect(hour.readings.map((r) => [r.siteId, r.siteName, r.suburb, r.region, r.source.stationFallback])).toEqual([
      [4242, 'Station 4242', 'Station 4242', 'Unknown', true],
      // a placeholder row (its name is its region) is not a station either
      [9001, 'Station 9001', 'Station 9001', 'Unknown', true],
    ]);
    expect(hour.stations.every((s) => s.fallback)).toBe(true);
  });

  it('still builds the hour when there is no reference at all', () => {
    const hour = transformRawHour({
      observations: [nswRow(39, 'NO2', '2026-11-21', 1, 1, 'GOOD')],
      hourStart,
      timeZone: SYDNEY,
      stations: emptyDirectory('missing'),
      source,
    });
    expect(hour.readings[0]).toMatchObject({ siteName: 'Station 39', region: 'Unknown' });
  });

  it('names a station by its suburb mapping (Cook and Phillip is in Sydney)', () => {
    const hour = transformRawHour({
      observations: [nswRow(190, 'NO2', '2026-11-21', 1, 1, 'GOOD')],
      hourStart,
      timeZone: SYDNEY,
      stations: stationDirectory([{ Site_Id: 190, SiteName: 'Cook and Phillip', Region: 'Sydney East' }]),
      source,
    });
    expect(hour.readings[0]).toMatchObject({ siteName: 'Cook and Phillip', suburb: 'Sydney', region: 'Sydney East' });
    expect(hour.readings[0]?.source.stationFallback).toBeUndefined();
  });
});
