import { describe, expect, it } from 'vitest';
import {
  curatedObjectKey,
  dailyFromItem,
  dailyToItem,
  exportObjectKey,
  hourOfRawKey,
  keys,
  latestToItem,
  logExportName,
  logExportPrefix,
  parseRawKey,
  RETIRED_READING_INDEX_ATTRIBUTES,
  rawDayKey,
  rawDayPrefix,
  rawDayRevisionKey,
  rawDayVersionsPrefix,
  rawHourVersionsPrefix,
  rawObjectKey,
  rawRevisionKey,
  readingFromItem,
  readingToItem,
  referenceObjectKey,
  regionHourFromItem,
  regionHourToItem,
  stationFromItem,
  stationToItem,
  suburbKey,
} from '../../src/keys';
import type { HourlyReading } from '../../src/model';

const reading: HourlyReading = {
  siteId: 39,
  siteName: 'Rozelle',
  suburb: 'Rozelle',
  region: 'Sydney East',
  hourStart: '2026-11-20T13:00:00.000Z',
  category: 'GOOD',
  determiningPollutant: 'PM2.5',
  measurements: [{ parameter: 'PM2.5', value: 8, unit: 'µg/m³', category: 'GOOD', flags: [] }],
  source: { rawKey: 'nsw-air-quality/raw/2026/11/20/13.json', fetchedAt: '2026-11-20T14:02:00.000Z' },
};

describe('S3 keys', () => {
  it('names the raw object by the UTC start of the hour', () => {
    expect(rawObjectKey('2026-11-20T13:00:00Z')).toBe('nsw-air-quality/raw/2026/11/20/13.json');
    expect(rawObjectKey(Date.UTC(2026, 0, 2, 3))).toBe('nsw-air-quality/raw/2026/01/02/03.json');
    expect(() => rawObjectKey('2026-11-20T13:15:00Z')).toThrow(/whole UTC hour/);
  });

  it('reads the hour back from a raw key and rejects keys outside the layout', () => {
    expect(hourOfRawKey('nsw-air-quality/raw/2026/11/20/13.json')).toBe(Date.UTC(2026, 10, 20, 13));
    expect(hourOfRawKey('nsw-air-quality/raw/2026/11/20/25.json')).toBeUndefined();
    expect(hourOfRawKey('nsw-air-quality/raw/2026/02/30/01.json')).toBeUndefined();
    expect(hourOfRawKey('nsw-air-quality/reference/sites.json')).toBeUndefined();
  });

  it('keeps every distinct fetch under its own key: snapshot first, revisions after it in a listing', () => {
    // Prepare
    const sha = 'ab12cd34'.padEnd(64, '0');
    const hour = '2026-11-20T13:00:00Z';

    // Act
    const revision = rawRevisionKey(hour, '2026-11-20T15:04:05.678Z', sha);
    const dayRevision = rawDayRevisionKey('2026-11-21', '2026-11-22T01:00:00Z', sha);

    // Assert
    expect(revision).toBe('nsw-air-quality/raw/2026/11/20/13.rev-20261120T150405Z-ab12cd34.json');
    expect(rawDayKey('2026-11-21')).toBe('nsw-air-quality/raw/days/2026-11-21.json');
    expect(dayRevision).toBe('nsw-air-quality/raw/days/2026-11-21.rev-20261122T010000Z-ab12cd34.json');
    expect(rawObjectKey(hour).startsWith(rawHourVersionsPrefix(hour))).toBe(true);
    expect(revision.startsWith(rawHourVersionsPrefix(hour))).toBe(true);
    expect(rawHourVersionsPrefix(hour)).toBe('nsw-air-quality/raw/2026/11/20/13.');
    expect(rawDayVersionsPrefix('2026-11-21')).toBe('nsw-air-quality/raw/days/2026-11-21.');
    expect([revision, rawObjectKey(hour)].sort()).toEqual([rawObjectKey(hour), revision]);
    expect(() => rawDayKey('2026-02-30')).toThrow(/calendar date/);
    expect(() => rawRevisionKey(hour, 'yesterday', sha)).toThrow(/fetch time/);
  });

  it('parses every kind of raw key and nothing else', () => {
    const sha = 'ab12cd34'.padEnd(64, '0');
    const revision = rawRevisionKey('2026-11-20T13:00:00Z', '2026-11-20T15:04:05Z', sha);
    expect(parseRawKey(rawObjectKey('2026-11-20T13:00:00Z'))).toEqual({
      kind: 'hour',
      hourStart: Date.UTC(2026, 10, 20, 13),
    });
    expect(parseRawKey(revision)).toEqual({
      kind: 'hour',
      hourStart: Date.UTC(2026, 10, 20, 13),
      revision: { fetched: '20261120T150405Z', sha8: 'ab12cd34' },
    });
    expect(hourOfRawKey(revision)).toBe(Date.UTC(2026, 10, 20, 13));
    expect(parseRawKey(rawDayKey('2026-11-21'))).toEqual({ kind: 'day', date: '2026-11-21' });
    expect(parseRawKey(rawDayRevisionKey('2026-11-21', '2026-11-22T01:00:00Z', sha))).toMatchObject({
      kind: 'day',
      revision: { sha8: 'ab12cd34' },
    });
    expect(hourOfRawKey(rawDayKey('2026-11-21'))).toBeUndefined();
    expect(parseRawKey('nsw-air-quality/raw/days/2026-02-30.json')).toBeUndefined();
    expect(parseRawKey('nsw-air-quality/raw/2026/11/20/13.rev-x.json')).toBeUndefined();
    expect(parseRawKey('nsw-air-quality/reference/sites.json')).toBeUndefined();
  });

  it('spells day prefixes, reference objects and curated files', () => {
    expect(rawDayPrefix('2026-11-20')).toBe('nsw-air-quality/raw/2026/11/20/');
    expect(referenceObjectKey('sites')).toBe('nsw-air-quality/reference/sites.json');
    expect(curatedObjectKey('2026-11-20T13:00:00Z')).toBe('nsw-air-quality/curated/date=2026-11-20/hour=13.parquet');
  });

  it('names a log export by function and window, the same in the ops bucket and in a local file', () => {
    // Prepare
    const from = Date.parse('2026-11-27T04:00:00Z');
    const to = Date.parse('2026-11-27T05:30:15.250Z');

    // Act
    const name = logExportName('opendata-pulse-etl', from, to);
    const prefix = logExportPrefix('opendata-pulse-etl', from, to);

    // Assess
    expect(name).toBe('opendata-pulse-etl-20261127T040000Z-20261127T053015Z');
    expect(prefix).toBe(`log-exports/${name}`);
  });

  it('names an API export under exports/ by suburb, window and request id, with only key-safe characters', () => {
    // Prepare
    const from = Date.UTC(2025, 10, 20);
    const to = Date.UTC(2026, 10, 20);

    // Act
    const plain = exportObjectKey('Rozelle', from, to, '1b2c');
    const odd = exportObjectKey(' Wagga Wagga / Ülmarra?&', from, to, '1b2c');
    const empty = exportObjectKey('???', from, to, '1b2c');

    // Assess
    expect(plain).toBe('exports/rozelle-20251120T000000Z-20261120T000000Z-1b2c.csv');
    expect(odd).toBe('exports/wagga-wagga-lmarra-20251120T000000Z-20261120T000000Z-1b2c.csv');
    expect(empty).toBe('exports/suburb-20251120T000000Z-20261120T000000Z-1b2c.csv');
  });
});

describe('table keys and item mappers', () => {
  it('matches suburbs case- and space-insensitively', () => {
    expect(suburbKey('  ROZELLE ')).toBe(suburbKey('rozelle'));
    expect(suburbKey('Macquarie   Park')).toBe('SUBURB#macquarie park');
  });

  it('keys a reading by station and hour, and keeps it out of the index', () => {
    const item = readingToItem(reading);
    expect(item).toMatchObject({ PK: 'SITE#00039', SK: 'HOUR#2026-11-20T13:00:00Z' });
    for (const attribute of RETIRED_READING_INDEX_ATTRIBUTES) expect(item).not.toHaveProperty(attribute);
    expect(readingFromItem(item)).toEqual(reading);
    // A reading written while readings were indexed reads the same.
    const indexed = { ...item, GSI1PK: 'SUBURB#rozelle', GSI1SK: 'HOUR#2026-11-20T13:00:00Z#SITE#00039' };
    expect(readingFromItem(indexed)).toEqual(reading);
    expect(keys.reading(39, Date.UTC(2026, 10, 20, 13))).toEqual({ PK: 'SITE#00039', SK: 'HOUR#2026-11-20T13:00:00Z' });
  });

  it('keys stations under one partition, indexed by region', () => {
    const station = { siteId: 39, name: 'Rozelle', suburb: 'Rozelle', region: 'Sydney East' };
    const item = stationToItem(station);
    expect(item).toMatchObject({ PK: 'STATIONS', SK: 'SITE#00039', GSI1PK: 'REGION#sydney-east' });
    expect(stationFromItem(item)).toEqual(station);
  });

  it('keys the latest reading and daily summaries per station', () => {
    expect(latestToItem(reading)).toMatchObject({
      PK: 'SITE#00039',
      SK: 'LATEST',
      GSI1PK: 'LATEST#REGION#sydney-east',
    });
    const daily = { siteId: 39, date: '2026-11-21', parameters: [] };
    const item = dailyToItem(daily);
    expect(item).toMatchObject({ PK: 'SITE#00039', SK: 'DAY#2026-11-21' });
    expect(dailyFromItem(item)).toEqual(daily);
  });

  it('gives no item an expiry, however old its hour', () => {
    // Prepare: an hour from years ago
    const old = { ...reading, hourStart: '2019-03-04T05:00:00.000Z' };
    const region = { region: 'Sydney East', hourStart: old.hourStart, stations: [] };

    // Act
    const items = [
      readingToItem(old),
      latestToItem(old),
      dailyToItem({ siteId: 39, date: '2019-03-04', parameters: [] }),
      regionHourToItem(region),
      stationToItem({ siteId: 39, name: 'Rozelle', suburb: 'Rozelle', region: 'Sydney East' }),
    ];

    // Assess: only keys, bookkeeping and the model's own fields; nothing a TTL could read
    for (const item of items) {
      expect(item).not.toHaveProperty('expiresAt');
      expect(Object.values(item).filter((v) => typeof v === 'number' && v > 1e9)).toEqual([]);
    }
  });

  it('strips the expiry that items written while the table had a TTL still carry', () => {
    // Prepare: items as the table held them before expiry was removed
    const storedReading = { ...readingToItem(reading), expiresAt: 1_700_000_000 };
    const region = { region: 'Sydney East', hourStart: reading.hourStart, stations: [] };
    const regionItem = { ...regionHourToItem(region), expiresAt: 1_700_000_000 };

    // Act
    const readBack = [readingFromItem(storedReading), regionHourFromItem(regionItem)];

    // Assess
    expect(readBack).toEqual([reading, region]);
  });
});
