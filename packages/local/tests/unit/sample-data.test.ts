import { nswObservationsResponseSchema } from '@opendata-pulse/shared/nsw';
import { describe, expect, it } from 'vitest';
import { generateSampleDataset, hourDescription, syntheticStations } from '../../src/nsw/sample-data';

describe('the bundled sample dataset', () => {
  it('labels hours as NSW does', () => {
    expect(hourDescription(1)).toBe('12 am - 1 am');
    expect(hourDescription(13)).toBe('12 pm - 1 pm');
    expect(hourDescription(24)).toBe('11 pm - 12 am');
  });

  it('is deterministic, NSW-shaped, and skips placeholder rows', () => {
    const a = generateSampleDataset().observationsFor('2026-11-20', 14);
    const b = generateSampleDataset().observationsFor('2026-11-20', 14);
    expect(a).toEqual(b);
    expect(nswObservationsResponseSchema.parse(a)).toHaveLength(a.length);
    expect(new Set(a.map((o) => o.Site_Id)).has(9001)).toBe(false);
    expect(a.filter((o) => o.Site_Id === 39).map((o) => o.Parameter.ParameterCode)).toContain('PM2.5');
  });

  it('has no data for a label that does not exist locally (the daylight-saving gap)', () => {
    expect(generateSampleDataset().observationsFor('2026-10-04', 3)).toEqual([]);
  });

  it('includes the flaws real data has, negative and missing values, over a month', () => {
    const data = generateSampleDataset({ stations: syntheticStations(20) });
    const values = [];
    for (let day = 1; day <= 30; day++) {
      for (let hour = 1; hour <= 24; hour++) {
        values.push(...data.observationsFor(`2026-09-${String(day).padStart(2, '0')}`, hour).map((o) => o.Value));
      }
    }
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => v !== null && v < 0)).toBe(true);
  });
});
