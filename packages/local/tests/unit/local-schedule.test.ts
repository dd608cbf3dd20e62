import { afterEach, describe, expect, it, vi } from 'vitest';
import { HourlySchedule, msUntilNextHour, scheduledEvent } from '../../src/glue/hourly-schedule';
import { HEALTH_CHECK_RATE_MS, RateSchedule } from '../../src/glue/rate-schedule';

describe('scheduledEvent: what the hourly rule sends the ingest function', () => {
  it('is an EventBridge Scheduled Event naming the rule, its time to the second', () => {
    // Act
    const event = scheduledEvent(Date.parse('2026-11-20T13:00:00.004Z'), {
      region: 'ap-southeast-2',
      account: '000000000000',
      ruleName: 'opendata-pulse-hourly-ingestion-local',
    });

    // Assess
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-11-20T13:00:00Z',
      region: 'ap-southeast-2',
      resources: ['arn:aws:events:ap-southeast-2:000000000000:rule/opendata-pulse-hourly-ingestion-local'],
      detail: {},
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('HourlySchedule: fires on every hour boundary', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('computes the time left to the next boundary', () => {
    expect(msUntilNextHour(Date.parse('2026-11-20T13:59:30Z'))).toBe(30_000);
    expect(msUntilNextHour(Date.parse('2026-11-20T13:00:00Z'))).toBe(3_600_000);
  });

  it('ticks at each boundary with the boundary as the time, until stopped', () => {
    // Prepare
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-11-20T13:40:00Z'));
    const ticks: string[] = [];
    const schedule = new HourlySchedule((at) => ticks.push(new Date(at).toISOString()));

    // Act
    schedule.start();
    vi.advanceTimersByTime(20 * 60_000 + 2 * 3_600_000);
    schedule.stop();
    vi.advanceTimersByTime(3 * 3_600_000);

    // Assess
    expect(ticks).toEqual(['2026-11-20T14:00:00.000Z', '2026-11-20T15:00:00.000Z', '2026-11-20T16:00:00.000Z']);
  });
});

describe('RateSchedule: what a rate(N minutes) rule does', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires one period after it starts and then every period, with the planned time, until stopped', () => {
    // Prepare
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-11-20T13:02:10Z'));
    const ticks: string[] = [];
    const schedule = new RateSchedule(HEALTH_CHECK_RATE_MS, (at) => ticks.push(new Date(at).toISOString()));

    // Act
    schedule.start();
    vi.advanceTimersByTime(16 * 60_000);
    schedule.stop();
    vi.advanceTimersByTime(60 * 60_000);

    // Assess
    expect(ticks).toEqual(['2026-11-20T13:07:10.000Z', '2026-11-20T13:12:10.000Z', '2026-11-20T13:17:10.000Z']);
  });

  it('skips the periods a sleeping machine missed instead of firing them in a burst', () => {
    // Prepare
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-11-20T13:00:00Z'));
    const ticks: string[] = [];
    const schedule = new RateSchedule(5 * 60_000, (at) => ticks.push(new Date(at).toISOString()));
    schedule.start();

    // Act: the wall clock jumps 22 minutes while no timer runs; the armed timer then fires at 13:27
    vi.setSystemTime(Date.parse('2026-11-20T13:22:00Z'));
    vi.advanceTimersByTime(5 * 60_000);
    vi.advanceTimersByTime(4 * 60_000);
    schedule.stop();

    // Assess: the late tick once, then back on the 5-minute grid
    expect(ticks).toEqual(['2026-11-20T13:05:00.000Z', '2026-11-20T13:30:00.000Z']);
  });

  it('refuses a period that is not a positive number of milliseconds', () => {
    expect(() => new RateSchedule(0, () => {})).toThrow(
      'a rate schedule needs a positive period in milliseconds; got 0',
    );
  });
});
