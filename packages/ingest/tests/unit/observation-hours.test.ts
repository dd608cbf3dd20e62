import { UpstreamError } from '@opendata-pulse/shared/errors';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { describe, expect, it } from 'vitest';
import { latestHourOf, observationHours } from '../../src/domain/observation-hours';

const SYDNEY = 'Australia/Sydney';

function obs(date: string, hour: number, siteId = 39): NswObservation {
  return {
    Site_Id: siteId,
    Parameter: { ParameterCode: 'PM2.5', Units: 'µg/m³' },
    Date: date,
    Hour: hour,
    Value: 8.034,
    AirQualityCategory: 'GOOD',
    DeterminingPollutant: null,
  };
}

describe('the hour a snapshot stands for', () => {
  it('is the UTC start of the latest NSW label in it (hour-ending, Sydney daylight time)', () => {
    // Prepare: 21 Nov 2026 is AEDT (UTC+11); Hour 1 = 00:00–01:00 local = 13:00Z on the 20th
    const snapshot = [obs('2026-11-21', 1), obs('2026-11-21', 1, 2), obs('2026-11-20', 24, 7)];
    // Act
    const hour = latestHourOf(snapshot, SYDNEY);
    // Assess
    expect(new Date(hour).toISOString()).toBe('2026-11-20T13:00:00.000Z');
  });

  it('reads the same labels as fixed UTC+10 when the source zone says so', () => {
    expect(new Date(latestHourOf([obs('2026-11-21', 1)], 'Australia/Brisbane')).toISOString()).toBe(
      '2026-11-20T14:00:00.000Z',
    );
  });

  it('counts observations per hour and skips labels that do not exist locally', () => {
    // Prepare: 4 Oct 2026 02:00 local does not exist in Sydney (daylight saving begins)
    const rows = [obs('2026-10-04', 2), obs('2026-10-04', 3), obs('2026-10-04', 4), obs('2026-10-04', 4, 2)];
    // Act
    const { counts, unplaceable } = observationHours(rows, SYDNEY);
    // Assess
    expect(unplaceable).toBe(1);
    expect([...counts].map(([h, n]) => [new Date(h).toISOString(), n])).toEqual([
      ['2026-10-03T15:00:00.000Z', 1],
      ['2026-10-03T16:00:00.000Z', 2],
    ]);
  });

  it('rejects an empty snapshot as an upstream failure', () => {
    expect(() => latestHourOf([], SYDNEY)).toThrow(UpstreamError);
    expect(() => latestHourOf([], SYDNEY)).toThrow(/snapshot held no observations/);
  });

  it('rejects a snapshot none of whose labels can be placed on the UTC timeline', () => {
    expect(() => latestHourOf([obs('2026-10-04', 3)], SYDNEY)).toThrow(
      /held 1 observations but none has a Date\/Hour that exists in Australia\/Sydney/,
    );
  });
});
