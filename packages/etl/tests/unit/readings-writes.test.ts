import { describe, expect, it } from 'vitest';
import { planWrites, storedAfterWrites } from '../../src/use-cases/readings-writes';
import { HOUR, reading } from '../support/readings';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const EARLY = '2026-11-20T11:05:00.000Z';
const LATE = '2026-11-20T15:30:00.000Z';

describe("planning a batch's reading writes", () => {
  it('writes each station-hour once, from the newest fetch, blind unless a newer fetch of the hour is known', () => {
    // Prepare: hour 0 stored from the early fetch; the batch holds both fetches of hour 0 and hour 1
    const stored = [{ reading: reading(T0, { OZONE: 2 }, EARLY), version: Date.parse(EARLY) }];
    const snapshot = reading(T0, { OZONE: 2 }, EARLY);
    const revision = reading(T0, { OZONE: 6 }, LATE);
    const next = reading(T0 + HOUR, { OZONE: 4 }, EARLY);
    const newestClaim = new Map([
      [T0, Date.parse(LATE)],
      [T0 + HOUR, Date.parse('2026-11-21T00:00:00.000Z')],
    ]);

    // Act
    const plans = planWrites([snapshot, revision, next], stored, newestClaim);

    // Assess: hour 0 from the revision (its snapshot counted older), blind; hour 1 guarded (a newer fetch exists)
    expect(plans.map((p) => [p.hourStart, p.mode, p.reading.source.fetchedAt])).toEqual([
      [T0, 'blind', LATE],
      [T0 + HOUR, 'guarded', EARLY],
    ]);
    expect(plans[0]?.outcomes).toEqual([
      [snapshot, 'older'],
      [revision, 'written'],
    ]);
    // hour 1's 4 h ozone average sees hour 0 as the batch will leave it (the revision's 6)
    expect(plans[1]?.reading.measurements[0]?.rolling?.[0]).toMatchObject({ value: 5, hours: 2 });
  });

  it('skips a station-hour a newer fetch already holds, and calls the same fetch again a refresh', () => {
    // Prepare
    const stored = [
      { reading: reading(T0, { OZONE: 6 }, LATE), version: 1 },
      { reading: reading(T0 + HOUR, { OZONE: 4 }, EARLY), version: 1 },
    ];
    const older = reading(T0, { OZONE: 2 }, EARLY);
    const replay = reading(T0 + HOUR, { OZONE: 4 }, EARLY);

    // Act
    const plans = planWrites([older, replay], stored, new Map());

    // Assess
    expect(plans.map((p) => [p.mode, p.written, p.outcomes[0]?.[1]])).toEqual([
      ['skip', false, 'older'],
      ['blind', true, 'refreshed'],
    ]);
  });
});

describe('the stored hours after the writes', () => {
  it('are what was read plus what was written when the fetch times read back match, else unknown', () => {
    // Prepare
    const before = [{ reading: reading(T0, { OZONE: 2 }, EARLY), version: 10 }];
    const plans = planWrites([reading(T0 + HOUR, { OZONE: 4 }, EARLY)], before, new Map());
    const written = plans[0];
    const matching = [
      { hourStart: T0, fetchedAt: EARLY, version: 10 },
      { hourStart: T0 + HOUR, fetchedAt: EARLY, version: written?.version },
    ];

    // Act
    const after = storedAfterWrites(before, plans, matching);
    const otherWriter = storedAfterWrites(before, plans, [
      { hourStart: T0, fetchedAt: LATE, version: 10 },
      matching[1] as (typeof matching)[number],
    ]);
    const extraHour = storedAfterWrites(before, plans, [
      ...matching,
      { hourStart: T0 + 2 * HOUR, fetchedAt: EARLY, version: 1 },
    ]);

    // Assess
    expect(after?.map((s) => [s.reading.hourStart, s.version])).toEqual([
      [new Date(T0).toISOString(), 10],
      [new Date(T0 + HOUR).toISOString(), written?.version],
    ]);
    expect(otherWriter).toBeUndefined();
    expect(extraHour).toBeUndefined();
  });
});
