import { describe, expect, it } from 'vitest';
import type { HourlyReading, HourUpdate } from '../../src/api/queries';
import { ConfigError, parseConfig } from '../../src/config';
import { CATEGORY_KEYS, CATEGORY_STYLES, contrastRatio, stationLabel } from '../../src/domain/categories';
import { lastHours, pollutantSeries } from '../../src/domain/series';
import { applyHourUpdate, findPlace, type StationView, sortStations } from '../../src/domain/stations';
import { dayRange, freshness } from '../../src/domain/sydney-time';

const station = (over: Partial<StationView>): StationView => ({
  siteId: 39,
  name: 'Rozelle',
  suburb: 'Rozelle',
  region: 'Sydney East',
  latitude: -33.866,
  longitude: 151.16,
  hourStart: '2026-03-01T01:00:00.000Z',
  category: 'GOOD',
  determiningPollutant: 'PM2.5',
  ...over,
});

describe('config.json', () => {
  it('accepts the contract and names the field that is wrong', () => {
    const ok = { graphqlUrl: 'https://a.example/graphql', realtimeUrl: 'wss://b.example/graphql', apiKey: 'k' };
    expect(parseConfig({ ...ok, source: 'sample' })).toEqual({ ...ok, source: 'sample' });
    expect(() => parseConfig({ ...ok, realtimeUrl: 'https://b.example' })).toThrow(/realtimeUrl must be ws: or wss:/);
    expect(() => parseConfig({ ...ok, apiKey: '' })).toThrow(/apiKey is missing/);
    expect(() => parseConfig({ ...ok, source: 'demo' })).toThrow(/source must be one of/);
    expect(() => parseConfig({ ...ok, tiles: { url: 'https://t.example/{z}/{x}/{y}.png' } })).toThrow(
      /tiles.attribution/,
    );
    expect(() => parseConfig([])).toThrow(ConfigError);
  });
});

describe('categories', () => {
  it('names a station `<name> — <category>` with an em dash', () => {
    expect(stationLabel('Rozelle', 'VERY_POOR')).toBe('Rozelle \u2014 Very poor');
    expect(stationLabel('Rozelle', null)).toBe('Rozelle \u2014 No data');
  });

  it('draws every label on its swatch with at least 4.5:1 contrast, and each marker at 3:1 against its ring', () => {
    for (const key of CATEGORY_KEYS) {
      const { colour, text } = CATEGORY_STYLES[key];
      expect(contrastRatio(colour, text), key).toBeGreaterThanOrEqual(4.5);
      expect(Math.max(contrastRatio(colour, '#1b1f24'), contrastRatio(colour, '#ffffff')), key).toBeGreaterThanOrEqual(
        3,
      );
    }
  });
});

describe('live updates', () => {
  it('applies a newer hour and ignores one older than or equal to what a station shows', () => {
    // Prepare
    const stations = new Map([[39, station({})]]);
    const update = (hourStart: string, category: 'POOR' | 'FAIR'): HourUpdate => ({
      region: 'Sydney East',
      hourStart,
      stations: [{ siteId: 39, name: 'Rozelle', suburb: 'Rozelle', category, determiningPollutant: 'OZONE' }],
    });

    // Act
    const older = applyHourUpdate(stations, update('2026-03-01T00:00:00.000Z', 'FAIR'));
    const same = applyHourUpdate(stations, update('2026-03-01T01:00:00.000Z', 'FAIR'));
    const newer = applyHourUpdate(stations, update('2026-03-01T02:00:00.000Z', 'POOR'));

    // Assess
    expect(older).toEqual([]);
    expect(same).toEqual([]);
    expect(newer.map((s) => [s.category, s.hourStart])).toEqual([['POOR', '2026-03-01T02:00:00.000Z']]);
    expect(stations.get(39)?.determiningPollutant).toBe('OZONE');
  });

  it('calls data stale when the newest hour ended more than 2 hours ago, and shows its end in Sydney time', () => {
    const hour = '2026-03-01T01:00:00.000Z'; // 12:00-13:00 in Sydney (daylight saving, +11)
    expect(freshness(hour, Date.parse('2026-03-01T04:00:00Z'))).toEqual({ updated: '13:00', stale: false });
    expect(freshness(hour, Date.parse('2026-03-01T04:01:00Z')).stale).toBe(true);
    expect(freshness(undefined, 0).stale).toBe(true);
  });
});

describe('lists and places', () => {
  it('sorts worst first with no data last, and finds a typed suburb', () => {
    const list = [
      station({ siteId: 1, name: 'B', category: 'GOOD' }),
      station({ siteId: 2, name: 'A', category: null }),
      station({ siteId: 3, name: 'C', category: 'VERY_POOR', suburb: 'Camden' }),
    ];
    expect(sortStations(list, 'category').map((s) => s.name)).toEqual(['C', 'B', 'A']);
    expect(sortStations(list, 'name').map((s) => s.name)).toEqual(['A', 'B', 'C']);
    expect(findPlace(list, ' camd ')?.siteId).toBe(3);
    expect(findPlace(list, 'Nowhere')).toBeUndefined();
  });
});

describe('CSV ranges and chart series', () => {
  it('turns whole Sydney days into the API range, across daylight saving', () => {
    expect(dayRange('2026-04-04', '2026-04-05')).toEqual({
      from: '2026-04-03T13:00:00.000Z',
      to: '2026-04-05T14:00:00.000Z',
      days: 2,
    });
  });

  it('orders each pollutant oldest first with its rolling averages, leaving negative values out', () => {
    // Prepare
    const reading = (hourStart: string, value: number): HourlyReading => ({
      siteId: 39,
      hourStart,
      category: 'GOOD',
      determiningPollutant: 'PM2.5',
      measurements: [
        {
          parameter: 'PM2.5',
          value,
          unit: 'µg/m³',
          category: 'GOOD',
          flags: [],
          rolling: [{ window: '24h', value: 5, hours: 24, category: 'GOOD' }],
        },
        { parameter: 'TEMP', value: 20, unit: '°C', category: null, flags: [], rolling: [] },
      ],
    });
    const readings = [reading('2026-03-01T02:00:00.000Z', -1), reading('2026-03-01T01:00:00.000Z', 4)];

    // Act
    const series = pollutantSeries(readings);
    const lastOne = lastHours(readings, Date.parse('2026-03-01T02:00:00.000Z'), 1);

    // Assess
    expect(series).toEqual([
      {
        parameter: 'PM2.5',
        unit: 'µg/m³',
        hours: [Date.parse('2026-03-01T01:00:00Z'), Date.parse('2026-03-01T02:00:00Z')],
        values: [4, null],
        rolling: [{ window: '24h', values: [5, 5] }],
      },
    ]);
    expect(lastOne.map((r) => r.hourStart)).toEqual(['2026-03-01T02:00:00.000Z']);
  });
});
