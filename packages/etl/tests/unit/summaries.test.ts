import { describe, expect, it } from 'vitest';
import { dayVersionOf, hoursOfLocalDate, summariseDay, summariseRegionHour } from '../../src/domain/summaries';
import { HOUR, reading } from '../support/readings';

const SYDNEY = 'Australia/Sydney';

describe('hoursOfLocalDate', () => {
  it('has 23 hours when daylight saving starts, 25 when it ends and 24 otherwise', () => {
    expect(hoursOfLocalDate('2025-10-05', SYDNEY)).toHaveLength(23);
    expect(hoursOfLocalDate('2026-04-05', SYDNEY)).toHaveLength(25);
    expect(hoursOfLocalDate('2026-11-21', SYDNEY)).toHaveLength(24);
    expect(hoursOfLocalDate('2025-10-05', 'Australia/Brisbane')).toHaveLength(24);
    expect(hoursOfLocalDate('2026-11-21', SYDNEY)[0]).toBe(Date.parse('2026-11-20T13:00:00Z'));
  });
});

describe('summariseDay', () => {
  it('summarises each parameter over the local day, leaving negatives and missing values out but counting them', () => {
    // Prepare: local 2026-11-21 starts 2026-11-20T13:00Z; one reading falls on the day before
    const first = Date.parse('2026-11-20T13:00:00Z');
    const readings = [
      reading(first - HOUR, { 'PM2.5': 1000 }), // 23:00 on the 20th: another day
      reading(first, { 'PM2.5': 10, NO2: 1 }),
      reading(first + HOUR, { 'PM2.5': 20, NO2: null }),
      reading(first + 2 * HOUR, { 'PM2.5': -9.998 }),
      reading(first + 3 * HOUR, { 'PM2.5': 30 }),
    ];
    // Act
    const day = summariseDay(39, '2026-11-21', readings, SYDNEY);
    // Assess
    expect(day).toEqual({
      siteId: 39,
      date: '2026-11-21',
      parameters: [
        { parameter: 'NO2', unit: 'pphm', mean: 1, min: 1, max: 1, count: 1, excluded: 1, coverage: 4.2 },
        { parameter: 'PM2.5', unit: 'µg/m³', mean: 20, min: 10, max: 30, count: 3, excluded: 1, coverage: 12.5 },
      ],
    });
  });

  it('counts coverage against the 23 hours of the day daylight saving starts', () => {
    const hours = hoursOfLocalDate('2025-10-05', SYDNEY);
    const readings = hours.map((h) => reading(h, { OZONE: 2 }));
    const day = summariseDay(39, '2025-10-05', readings, SYDNEY);
    expect(day.parameters[0]).toMatchObject({ count: 23, coverage: 100, mean: 2 });
  });

  it('versions the day by the fetch times of its own hours only', () => {
    const first = Date.parse('2026-11-20T13:00:00Z');
    const inside = reading(first, { OZONE: 1 }, '2026-11-20T14:00:00.000Z');
    const outside = reading(first - HOUR, { OZONE: 1 }, '2026-11-20T13:00:00.000Z');
    expect(dayVersionOf([inside, outside], '2026-11-21', SYDNEY)).toBe(Date.parse('2026-11-20T14:00:00.000Z'));
  });
});

describe('summariseRegionHour', () => {
  it("takes the worst station's category and names it (the lowest site id among equals)", () => {
    const summary = summariseRegionHour('Sydney East', '2026-11-20T13:00:00.000Z', [
      { siteId: 190, category: 'POOR' },
      { siteId: 2 },
      { siteId: 39, category: 'POOR' },
      { siteId: 7, category: 'GOOD' },
    ]);
    expect(summary).toEqual({
      region: 'Sydney East',
      hourStart: '2026-11-20T13:00:00.000Z',
      category: 'POOR',
      worstSiteId: 39,
      stations: [
        { siteId: 2 },
        { siteId: 7, category: 'GOOD' },
        { siteId: 39, category: 'POOR' },
        { siteId: 190, category: 'POOR' },
      ],
    });
  });

  it('has no category when no station has one', () => {
    expect(summariseRegionHour('Unknown', '2026-11-20T13:00:00.000Z', [{ siteId: 1 }])).toEqual({
      region: 'Unknown',
      hourStart: '2026-11-20T13:00:00.000Z',
      stations: [{ siteId: 1 }],
    });
  });
});
