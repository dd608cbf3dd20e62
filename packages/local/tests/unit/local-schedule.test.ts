import { afterEach, describe, expect, it, vi } from 'vitest';
import { HourlySchedule, msUntilNextHour, scheduledEvent } from '../../src/glue/hourly-schedule';

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
