import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { CURATED_COLUMNS, curatedRows, encodeCuratedHour } from '../../src/domain/curated-parquet';
import { reading } from '../support/readings';

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('curated Parquet file of an hour', () => {
  it('holds one row per station and parameter that reads back with its types', async () => {
    // Prepare
    const hour = Date.parse('2026-11-20T13:00:00Z');
    const r = reading(hour, { 'PM2.5': 30, CO: null });
    const pm = r.measurements.find((m) => m.parameter === 'PM2.5');
    if (pm) Object.assign(pm, { category: 'FAIR', nswCategory: 'GOOD', flags: ['CATEGORY_MISMATCH'] });
    // Act
    const bytes = encodeCuratedHour(curatedRows([r]), { 'raw-key': r.source.rawKey });
    const rows = await parquetReadObjects({ file: arrayBufferOf(bytes) });
    // Assess
    expect(rows).toEqual([
      {
        hour_start: new Date(hour),
        site_id: 39,
        site_name: 'Rozelle',
        suburb: 'Rozelle',
        region: 'Sydney East',
        parameter: 'CO',
        value: null,
        unit: 'ppm',
        category: null,
        nsw_category: null,
        flags: 'MISSING',
        raw_key: r.source.rawKey,
        fetched_at: new Date(r.source.fetchedAt),
      },
      {
        hour_start: new Date(hour),
        site_id: 39,
        site_name: 'Rozelle',
        suburb: 'Rozelle',
        region: 'Sydney East',
        parameter: 'PM2.5',
        value: 30,
        unit: 'µg/m³',
        category: 'FAIR',
        nsw_category: 'GOOD',
        flags: 'CATEGORY_MISMATCH',
        raw_key: r.source.rawKey,
        fetched_at: new Date(r.source.fetchedAt),
      },
    ]);
    const metadata = parquetMetadata(arrayBufferOf(bytes));
    expect(metadata.schema.slice(1).map((s) => s.name)).toEqual(CURATED_COLUMNS.map((c) => c.name));
    expect(metadata.key_value_metadata).toEqual([{ key: 'raw-key', value: r.source.rawKey }]);
  });

  it('is byte-for-byte the same file when written again from the same readings', () => {
    const r = reading(Date.parse('2026-11-20T13:00:00Z'), { OZONE: 2, NO2: 1 });
    expect(Buffer.from(encodeCuratedHour(curatedRows([r])))).toEqual(Buffer.from(encodeCuratedHour(curatedRows([r]))));
  });

  it('still writes a readable file, with the schema, for an hour without rows', async () => {
    const bytes = encodeCuratedHour([]);
    expect(await parquetReadObjects({ file: arrayBufferOf(bytes) })).toEqual([]);
    expect(parquetMetadata(arrayBufferOf(bytes)).schema).toHaveLength(CURATED_COLUMNS.length + 1);
  });
});
