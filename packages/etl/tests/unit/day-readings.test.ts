/**
 * A raw day object (NSW's answer for one local date) split into the hours of that date: the same
 * readings the hour path gives for each hour, with the day key as lineage and honest counts.
 */
import { rawDayKey } from '@opendata-pulse/shared/keys';
import { describe, expect, it } from 'vitest';
import { transformRawDay, transformRawHour } from '../../src/domain/hour-readings';
import { stationDirectory } from '../../src/domain/station-directory';
import { LIVERPOOL, nswRow, ROZELLE } from '../support/nsw-rows';

const SYDNEY = 'Australia/Sydney';
const stations = stationDirectory([ROZELLE, LIVERPOOL]);

/** Every hour 1–24 of a local date for one site and parameter (a whole-day NSW answer). */
function wholeDay(siteId: number, parameter: string, date: string) {
  return Array.from({ length: 24 }, (_, i) => nswRow(siteId, parameter, date, i + 1, 10 + i, 'GOOD'));
}

function dayOf(date: string, observations: ReturnType<typeof nswRow>[]) {
  const source = { rawKey: rawDayKey(date), fetchedAt: '2026-11-22T01:00:00.000Z' };
  return { source, day: transformRawDay({ observations, localDate: date, timeZone: SYDNEY, stations, source }) };
}

describe('transformRawDay: a local date into its hours', () => {
  it('gives every hour of the date, ascending, with the readings the hour path gives and the day key as lineage', () => {
    // Prepare: 2026-11-21 in AEDT (UTC+11) runs from 2026-11-20T13:00Z to 2026-11-21T13:00Z
    const observations = [
      ...wholeDay(39, 'PM2.5', '2026-11-21'),
      ...wholeDay(107, 'PM2.5', '2026-11-21'),
      ...wholeDay(39, 'NO2', '2026-11-21'),
    ];
    // Act
    const { source, day } = dayOf('2026-11-21', observations);
    // Assess
    const expectedHours = Array.from({ length: 24 }, (_, i) =>
      new Date(Date.parse('2026-11-20T13:00:00Z') + i * 3_600_000).toISOString(),
    );
    expect(day.hours.map((h) => h.hourStart)).toEqual(expectedHours);
    for (const hour of day.hours) {
      const alone = transformRawHour({
        observations,
        hourStart: Date.parse(hour.hourStart),
        timeZone: SYDNEY,
        stations,
        source,
      });
      expect(hour.readings).toEqual(alone.readings);
      expect(hour.stations).toEqual(alone.stations);
      expect(hour.counts).toMatchObject({ received: 3, kept: 3, otherHours: 0, unplaceable: 0, duplicates: 0 });
    }
    expect(day.hours[0]?.readings.every((r) => r.source.rawKey === 'nsw-air-quality/raw/days/2026-11-21.json')).toBe(
      true,
    );
    expect(day.counts).toMatchObject({ received: 72, kept: 72, otherHours: 0, unplaceable: 0, duplicates: 0 });
  });

  it('counts the daylight-saving gap label once, not once per hour, and keeps the 23 real hours', () => {
    // Prepare: Sydney skips 02:00–03:00 on 2025-10-05, so Hour 3 has no start instant
    const observations = [...wholeDay(39, 'OZONE', '2025-10-05'), ...wholeDay(107, 'OZONE', '2025-10-05')];
    // Act
    const { day } = dayOf('2025-10-05', observations);
    // Assess
    expect(day.hours).toHaveLength(23);
    expect(day.counts).toMatchObject({ received: 48, kept: 46, unplaceable: 2, otherHours: 0, duplicates: 0 });
    expect(day.unplaced.map((u) => [u.siteId, u.hour])).toEqual([
      [39, 3],
      [107, 3],
    ]);
    expect(day.hours.flatMap((h) => h.readings.map((r) => r.measurements[0]?.value))).not.toContain(12);
  });

  it('gives 24 distinct hours on the 25-hour day daylight saving ends, the repeated pass holding none', () => {
    const { day } = dayOf('2026-04-05', wholeDay(39, 'OZONE', '2026-04-05'));
    const hours = day.hours.map((h) => h.hourStart);
    expect(hours).toHaveLength(24);
    expect(new Set(hours).size).toBe(24);
    expect(hours).not.toContain('2026-04-04T16:00:00.000Z');
    expect(day.counts).toMatchObject({ received: 24, kept: 24, unplaceable: 0 });
  });

  it("leaves another date's observations out, counts duplicates once, and accounts for every observation", () => {
    // Prepare: the date's hour 1 twice for one station, plus two rows NSW labelled with the next date
    const observations = [
      nswRow(39, 'NO2', '2026-11-21', 1, 1, 'GOOD'),
      nswRow(39, 'NO2', '2026-11-21', 1, 2, 'GOOD'),
      nswRow(39, 'NO2', '2026-11-21', 2, 3, 'GOOD'),
      nswRow(39, 'NO2', '2026-11-22', 1, 4, 'GOOD'),
      nswRow(107, 'NO2', '2026-11-22', 2, 5, 'GOOD'),
    ];
    // Act
    const { day } = dayOf('2026-11-21', observations);
    // Assess
    expect(day.hours.map((h) => [h.hourStart, h.readings.map((r) => r.measurements[0]?.value)])).toEqual([
      ['2026-11-20T13:00:00.000Z', [1]],
      ['2026-11-20T14:00:00.000Z', [3]],
    ]);
    expect(day.counts).toMatchObject({ received: 5, kept: 2, duplicates: 1, otherHours: 2, unplaceable: 0 });
    const { received, kept, duplicates, otherHours, unplaceable } = day.counts;
    expect(kept + duplicates + otherHours + unplaceable).toBe(received);
    expect(day.hours[0]?.counts).toMatchObject({ received: 2, kept: 1, duplicates: 1 });
  });

  it('gives no hour when nothing in the body belongs to the date', () => {
    const { day } = dayOf('2026-11-21', wholeDay(39, 'NO2', '2026-11-22'));
    expect(day.hours).toEqual([]);
    expect(day.counts).toMatchObject({ received: 24, kept: 0, otherHours: 24 });
  });
});
