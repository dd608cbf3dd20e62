import { describe, expect, it } from 'vitest';
import { isRealSite, normaliseObservation, normaliseUnit, stationFromSite, suburbOf } from '../../src/model';
import type { NswObservation } from '../../src/nsw';
import site39 from '../events/nsw-observations-site39.json' with { type: 'json' };

const rows = site39 as NswObservation[];
const row = (code: string) => rows.find((r) => r.Parameter.ParameterCode === code) as NswObservation;

describe('normaliseObservation', () => {
  it('places the reading at the UTC start of its hour and keeps NSW category beside ours', () => {
    expect(normaliseObservation(row('PM2.5'), 'Australia/Sydney')).toEqual({
      siteId: 39,
      parameter: 'PM2.5',
      value: 8.034,
      unit: 'µg/m³',
      hourStart: '2015-05-31T14:00:00.000Z',
      category: 'GOOD',
      nswCategory: 'GOOD',
      flags: [],
    });
  });

  it('flags negative and missing values', () => {
    expect(normaliseObservation({ ...row('PM2.5'), Value: -9.998 }, 'Australia/Sydney').flags).toEqual(['NEGATIVE']);
    expect(normaliseObservation(row('RAIN'), 'Australia/Sydney').flags).toEqual(['MISSING']);
  });

  it('flags an unknown parameter but keeps it', () => {
    const obs = normaliseObservation(
      { ...row('PM2.5'), Parameter: { ...row('PM2.5').Parameter, ParameterCode: 'PM1' } },
      'Australia/Sydney',
    );
    expect(obs.parameter).toBe('PM1');
    expect(obs.flags).toContain('UNKNOWN_PARAMETER');
  });

  it('flags a disagreement with NSW and an unknown category spelling', () => {
    const disagree = normaliseObservation({ ...row('PM2.5'), AirQualityCategory: 'VERY POOR' }, 'Australia/Sydney');
    expect(disagree).toMatchObject({ category: 'GOOD', nswCategory: 'VERY_POOR' });
    expect(disagree.flags).toContain('CATEGORY_MISMATCH');
    expect(normaliseObservation({ ...row('PM2.5'), AirQualityCategory: 'HAZY' }, 'Australia/Sydney').flags).toContain(
      'UNKNOWN_CATEGORY',
    );
  });

  it('normalises unit spellings', () => {
    expect(normaliseUnit('ug/m3')).toBe('µg/m³');
    expect(normaliseUnit('μg/m³')).toBe('µg/m³');
    expect(normaliseUnit('PPHM')).toBe('pphm');
    expect(normaliseUnit(null)).toBe('');
    expect(normaliseUnit('bsp')).toBe('bsp');
  });
});

describe('stations', () => {
  it('uses the site name as suburb unless shared maps it', () => {
    expect(suburbOf('Rozelle')).toBe('Rozelle');
    expect(suburbOf('Ultimo-UTS')).toBe('Ultimo');
    expect(
      stationFromSite({
        Site_Id: 39,
        SiteName: ' Rozelle ',
        Region: 'Sydney East',
        Latitude: -33.866,
        Longitude: 151.16,
      }),
    ).toEqual({
      siteId: 39,
      name: 'Rozelle',
      suburb: 'Rozelle',
      region: 'Sydney East',
      latitude: -33.866,
      longitude: 151.16,
    });
  });

  it('recognises placeholder rows whose name is their region', () => {
    expect(isRealSite({ Site_Id: 1, SiteName: 'Illawarra', Region: 'Illawarra' })).toBe(false);
    expect(isRealSite({ Site_Id: 500, SiteName: 'Wollongong', Region: 'Illawarra' })).toBe(true);
  });
});
