import { describe, expect, it } from 'vitest';
import { applyDerived, derivedVersionOf, deriveReading, rollingAverage } from '../../src/domain/derived-figures';
import { HOUR, reading, series } from '../support/readings';

// 2026-11-20T10:00Z is 21:00 local (AEDT): windows ending after 13:00Z cross local midnight.
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('rolling averages', () => {
  it('averages ozone over the 4 hours ending with the hour and categorises it by the 4 h thresholds', () => {
    const hours = series(T0, [{ OZONE: 5 }, { OZONE: 6 }, { OZONE: 5.5 }, { OZONE: 6.1 }]);
    expect(rollingAverage(hours, 'OZONE', T0 + 3 * HOUR)).toEqual({
      window: '4h',
      value: 5.65,
      hours: 4,
      category: 'FAIR', // 5.4 <= 5.65 < 8.0 on the 4 h scale; every hour alone is GOOD on the 1 h one
    });
  });

  it('averages CO over 8 hours across local midnight', () => {
    // Prepare: 8 hours from 21:00 to 04:00 local, i.e. two local dates
    const hours = series(
      T0,
      [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6].map((CO) => ({ CO })),
    );
    // Act
    const average = rollingAverage(hours, 'CO', T0 + 7 * HOUR);
    // Assess
    expect(average?.window).toBe('8h');
    expect(average?.hours).toBe(8);
    expect(average?.value).toBeCloseTo(0.9, 10);
    expect(average?.category).toBe('GOOD');
  });

  it('leaves a missing hour, a null value and a negative value out of the mean and the count', () => {
    const hours = series(T0, [
      { 'PM2.5': 10 },
      undefined, // no reading stored for this hour
      { 'PM2.5': null },
      { 'PM2.5': -9.998 },
      { 'PM2.5': 20 },
    ]);
    expect(rollingAverage(hours, 'PM2.5', T0 + 4 * HOUR)).toEqual({ window: '24h', value: 15, hours: 2 });
  });

  it('keeps the mean but gives no category when fewer than 75 % of the window hours are usable', () => {
    const hours = series(T0, [{ OZONE: 9 }, undefined, undefined, { OZONE: 9 }]);
    expect(rollingAverage(hours, 'OZONE', T0 + 3 * HOUR)).toEqual({ window: '4h', value: 9, hours: 2 });
  });

  it('has no rolling average for a parameter without a rolling rule', () => {
    expect(rollingAverage(series(T0, [{ NO2: 1 }]), 'NO2', T0)).toBeUndefined();
  });
});

describe('deriveReading', () => {
  it("raises the hour's category when a rolling average is worse than every 1 h category", () => {
    // Prepare: CO has no 1 h category; 8 hours at 10 ppm are POOR on the 8 h scale
    const hours = series(
      T0,
      Array.from({ length: 8 }, () => ({ CO: 10, 'PM2.5': 5 })),
    );
    for (const r of hours.values()) {
      const pm = r.measurements.find((m) => m.parameter === 'PM2.5');
      if (pm) pm.category = 'GOOD';
    }
    // Act
    const derived = deriveReading(hours, T0 + 7 * HOUR);
    // Assess
    expect(derived).toMatchObject({ category: 'POOR', determiningPollutant: 'CO' });
    const applied = applyDerived(
      hours.get(T0 + 7 * HOUR) ?? reading(0, {}),
      derived ?? { rolling: new Map(), version: 0 },
    );
    expect(applied.measurements.map((m) => [m.parameter, m.rolling?.[0]?.window, m.rolling?.[0]?.category])).toEqual([
      ['CO', '8h', 'POOR'],
      ['PM2.5', '24h', undefined],
    ]);
  });

  it('recomputes a later hour from an earlier hour that arrived late', () => {
    // Prepare: hour 2 is missing, so hour 3's 4 h window has 3 of 4 values
    const before = series(T0, [{ OZONE: 4 }, { OZONE: 4 }, undefined, { OZONE: 4 }]);
    const after = new Map(before);
    after.set(T0 + 2 * HOUR, reading(T0 + 2 * HOUR, { OZONE: 20 }, '2026-11-20T16:00:00.000Z'));
    // Act
    const stale = deriveReading(before, T0 + 3 * HOUR);
    const fresh = deriveReading(after, T0 + 3 * HOUR);
    // Assess
    expect(stale?.rolling.get(0)).toEqual({ window: '4h', value: 4, hours: 3, category: 'GOOD' });
    expect(fresh?.rolling.get(0)).toEqual({ window: '4h', value: 8, hours: 4, category: 'POOR' });
    expect(fresh?.version).toBeGreaterThan(stale?.version ?? Number.POSITIVE_INFINITY);
  });
});

describe('derivedVersionOf', () => {
  it('is the same for the same stored inputs and grows when any hour in the window is fetched again later', () => {
    const hours = series(T0, [{ OZONE: 1 }, { OZONE: 1 }]);
    const v1 = derivedVersionOf(hours, T0 + HOUR);
    expect(derivedVersionOf(new Map(hours), T0 + HOUR)).toBe(v1);
    hours.set(T0, reading(T0, { OZONE: 1 }, '2026-11-21T00:00:00.000Z'));
    expect(derivedVersionOf(hours, T0 + HOUR)).toBeGreaterThan(v1);
  });
});
