import type { HourlyReading } from '@opendata-pulse/shared/model';
import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, localIsoWithOffset, readingRows } from '../../src/domain/export-csv';

const reading = (hourStart: string, over: { siteName?: string } = {}): HourlyReading => ({
  siteId: 39,
  siteName: 'Rozelle',
  suburb: 'Rozelle',
  region: 'Sydney East',
  hourStart,
  measurements: [
    { parameter: 'PM2.5', value: 7.4, unit: 'µg/m³', category: 'GOOD', flags: [] },
    { parameter: 'OZONE', value: null, unit: 'pphm', flags: ['MISSING', 'CATEGORY_MISMATCH'] },
  ],
  source: { rawKey: 'nsw-air-quality/raw/2026/11/20/03.json', fetchedAt: '2026-11-20T04:05:00.000Z' },
  ...over,
});

describe('the export CSV', () => {
  it('starts with the header the schema documents', () => {
    expect(csvHeader()).toBe(
      'site_id,site_name,suburb,region,hour_start_utc,hour_end_local,parameter,value,unit,category,flags\r\n',
    );
  });

  it('writes one row per parameter: UTC start, local end with its offset, empty cells for nulls, flags joined by ;', () => {
    // Act: 03:00Z starts the hour ending 15:00 in Sydney during daylight saving (+11:00)
    const { text, rows } = readingRows(reading('2026-11-20T03:00:00.000Z'));

    // Assess
    expect(rows).toBe(2);
    expect(text).toBe(
      '39,Rozelle,Rozelle,Sydney East,2026-11-20T03:00:00Z,2026-11-20T15:00:00+11:00,PM2.5,7.4,µg/m³,GOOD,\r\n' +
        '39,Rozelle,Rozelle,Sydney East,2026-11-20T03:00:00Z,2026-11-20T15:00:00+11:00,OZONE,,pphm,,MISSING;CATEGORY_MISMATCH\r\n',
    );
  });

  it('quotes fields holding a comma, a quote or a line break (RFC 4180) and leaves others bare', () => {
    expect(csvField('Sydney East')).toBe('Sydney East');
    expect(csvField('Liverpool, NSW')).toBe('"Liverpool, NSW"');
    expect(csvField('the "old" site')).toBe('"the ""old"" site"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    const { text } = readingRows(reading('2026-06-01T00:00:00Z', { siteName: 'Bargo, "South"' }));
    expect(text.split('\r\n')[0]).toContain(',"Bargo, ""South""",');
  });

  it('gives each hour end the Sydney offset of that instant, across both daylight-saving changes', () => {
    // Winter: AEST +10:00
    expect(localIsoWithOffset(Date.UTC(2026, 5, 1, 2), 'Australia/Sydney')).toBe('2026-06-01T12:00:00+10:00');
    // DST ends 2026-04-05 03:00 AEDT -> 02:00 AEST: the two instants read 02:00 locally, told apart by the offset
    expect(localIsoWithOffset(Date.UTC(2026, 3, 4, 15), 'Australia/Sydney')).toBe('2026-04-05T02:00:00+11:00');
    expect(localIsoWithOffset(Date.UTC(2026, 3, 4, 16), 'Australia/Sydney')).toBe('2026-04-05T02:00:00+10:00');
    // DST starts 2026-10-04 02:00 AEST -> 03:00 AEDT
    expect(localIsoWithOffset(Date.UTC(2026, 9, 3, 16), 'Australia/Sydney')).toBe('2026-10-04T03:00:00+11:00');
    // a zone west of UTC, with a half-hour offset elsewhere
    expect(localIsoWithOffset(Date.UTC(2026, 0, 1, 12), 'America/St_Johns')).toBe('2026-01-01T08:30:00-03:30');
    expect(localIsoWithOffset(Date.UTC(2026, 0, 1, 0), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
  });
});
