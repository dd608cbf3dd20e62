import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors';
import {
  hourlyObservationQuery,
  nswObservationQuerySchema,
  nswObservationsResponseSchema,
  nswSitesResponseSchema,
  parseNswResponse,
} from '../../src/nsw';
import site39 from '../events/nsw-observations-site39.json' with { type: 'json' };

describe('NSW response schemas', () => {
  it('parses the published rows of site 39 (Rozelle, 2015-06-01 hour 1)', () => {
    const rows = parseNswResponse(nswObservationsResponseSchema, site39, 'observations');
    expect(rows).toHaveLength(11);
    const pm25 = rows.find((r) => r.Parameter.ParameterCode === 'PM2.5');
    expect(pm25).toMatchObject({ Site_Id: 39, Hour: 1, Value: 8.034, AirQualityCategory: 'GOOD' });
    expect(rows.find((r) => r.Parameter.ParameterCode === 'RAIN')?.Value).toBeNull();
  });

  it('accepts the {"Values": [...]} envelope some clients report', () => {
    expect(parseNswResponse(nswObservationsResponseSchema, { Values: site39 }, 'observations')).toHaveLength(11);
  });

  it('passes unknown parameter codes and unknown fields through', () => {
    const row = { ...site39[3], Parameter: { ...site39[3]?.Parameter, ParameterCode: 'PM1' }, Extra: 'kept' };
    const [parsed] = parseNswResponse(nswObservationsResponseSchema, [row], 'observations');
    expect(parsed?.Parameter.ParameterCode).toBe('PM1');
    expect((parsed as Record<string, unknown>).Extra).toBe('kept');
  });

  it('names the first bad path when the source changes shape', () => {
    const renamed = site39.map(({ Site_Id, ...rest }) => ({ SiteId: Site_Id, ...rest }));
    const act = () => parseNswResponse(nswObservationsResponseSchema, renamed, 'observations');
    expect(act).toThrow(UpstreamError);
    expect(act).toThrow(/observations response failed validation at \[0\]\.Site_Id/);
  });

  it('rejects an hour outside 1–24', () => {
    const bad = [{ ...site39[0], Hour: 0 }];
    expect(() => parseNswResponse(nswObservationsResponseSchema, bad, 'observations')).toThrow(/\[0\]\.Hour/);
  });

  it('parses sites with null coordinates', () => {
    const sites = [{ Site_Id: 39, SiteName: 'Rozelle', Longitude: null, Latitude: null, Region: 'Sydney East' }];
    expect(parseNswResponse(nswSitesResponseSchema, sites, 'sites')[0]?.Latitude).toBeNull();
  });

  it('builds the hourly query NSW expects with ISO dates', () => {
    const query = hourlyObservationQuery('2026-11-20', '2026-11-21');
    expect(nswObservationQuerySchema.parse(query)).toEqual({
      StartDate: '2026-11-20',
      EndDate: '2026-11-21',
      Categories: ['Averages'],
      SubCategories: ['Hourly'],
      Frequency: ['Hourly average'],
    });
  });
});
