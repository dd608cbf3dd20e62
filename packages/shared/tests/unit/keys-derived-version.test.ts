import { describe, expect, it } from 'vitest';
import {
  DERIVED_VERSION_ATTRIBUTE,
  dailyFromItem,
  dailyToItem,
  latestFromItem,
  latestToItem,
  readingFromItem,
  readingToItem,
  regionHourFromItem,
  regionHourToItem,
} from '../../src/keys';
import type { DailySummary, HourlyReading, RegionHourSummary } from '../../src/model';

const reading: HourlyReading = {
  siteId: 39,
  siteName: 'Station 39',
  suburb: 'Station 39',
  region: 'Unknown',
  hourStart: '2026-11-20T13:00:00.000Z',
  measurements: [{ parameter: 'OZONE', value: 2.1, unit: 'pphm', category: 'GOOD', flags: [] }],
  source: {
    rawKey: 'nsw-air-quality/raw/2026/11/20/13.json',
    fetchedAt: '2026-11-20T14:02:00.000Z',
    stationFallback: true,
  },
};

describe('derived-version bookkeeping on items', () => {
  it('is stripped by every mapper that reads derived items back', () => {
    // Prepare
    const daily: DailySummary = { siteId: 39, date: '2026-11-21', parameters: [] };
    const region: RegionHourSummary = { region: 'Unknown', hourStart: reading.hourStart, stations: [] };
    const stamp = { [DERIVED_VERSION_ATTRIBUTE]: 1_795_000_000_000 };
    // Act
    const back = {
      reading: readingFromItem({ ...readingToItem(reading), ...stamp }),
      latest: latestFromItem({ ...latestToItem(reading), ...stamp }),
      daily: dailyFromItem({ ...dailyToItem(daily), ...stamp }),
      region: regionHourFromItem({ ...regionHourToItem(region), ...stamp }),
    };
    // Assess
    expect(back).toEqual({ reading, latest: reading, daily, region });
  });

  it('keeps the station-fallback flag of a reading in its lineage', () => {
    expect(readingFromItem(readingToItem(reading)).source.stationFallback).toBe(true);
  });
});
