import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { utcToNswHour } from '@opendata-pulse/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let nsw: FakeNsw;
const now = Date.UTC(2026, 10, 20, 3, 20); // 14:20 AEDT

beforeAll(async () => {
  nsw = await startFakeNsw({ now: () => now });
});
afterAll(() => nsw.close());

const post = (body: string) =>
  fetch(`${nsw.endpoint}/get_Observations`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('the fake NSW API', () => {
  it('answers the empty-body snapshot with the latest complete hour', async () => {
    const rows = (await (await post('')).json()) as { Date: string; Hour: number }[];
    expect(rows.length).toBeGreaterThan(0);
    const expected = utcToNswHour(Date.UTC(2026, 10, 20, 2), 'Australia/Sydney');
    expect(new Set(rows.map((r) => `${r.Date}/${r.Hour}`))).toEqual(new Set([`${expected.date}/${expected.hour}`]));
  });

  it('answers a dated query filtered by sites and parameters, with the hours that have ended', async () => {
    const query = (date: string, next: string) =>
      JSON.stringify({ StartDate: date, EndDate: next, Sites: [39], Parameters: ['PM10'] });
    const yesterday = (await (await post(query('2026-11-19', '2026-11-20'))).json()) as { Site_Id: number }[];
    const today = (await (await post(query('2026-11-20', '2026-11-21'))).json()) as { Hour: number }[];
    expect(yesterday).toHaveLength(24);
    expect(yesterday.every((r) => r.Site_Id === 39)).toBe(true);
    // 14:20 local: Hours 1-14 (00:00-14:00) have ended, as NSW would answer
    expect(today.map((r) => r.Hour)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('serves sites and parameters', async () => {
    const sites = (await (await fetch(`${nsw.endpoint}/get_SiteDetails`)).json()) as { SiteName: string }[];
    expect(sites.map((s) => s.SiteName)).toContain('Rozelle');
    const params = (await (await fetch(`${nsw.endpoint}/get_ParameterDetails`)).json()) as unknown[];
    expect(params.length).toBeGreaterThan(5);
  });

  it('misbehaves on demand, one fault per request, and records requests', async () => {
    nsw.inject({ kind: 'status', status: 503 }, { kind: 'truncated' }, { kind: 'values-envelope' });
    expect((await post('')).status).toBe(503);
    await expect((await post('')).json()).rejects.toThrow();
    expect(await (await post('')).json()).toHaveProperty('Values');
    expect((await post('')).status).toBe(200);
    expect(nsw.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/Data/get_Observations' });
  });
});
