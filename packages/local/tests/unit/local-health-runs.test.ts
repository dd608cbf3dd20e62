/** The stack's one line per health-check run, from what the handler returned. */
import { describe, expect, it } from 'vitest';
import { describeHealthRun } from '../../src/stack/health-check-runs';

const FAILING = [
  { name: 'newest raw hour', status: 'fail' },
  { name: 'DLQ depth', status: 'ok' },
  { name: 'newest table hour', status: 'fail' },
];
const TOPIC = 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local';

describe('describeHealthRun', () => {
  it('says HEALTHY with the freshness verdict', () => {
    expect(describeHealthRun({ healthy: true, freshness: { verdict: 'FRESH' }, checks: [] })).toEqual({
      level: 'ok',
      text: 'HEALTHY (FRESH)',
    });
  });

  it('names the failing checks and the topic the alert went to', () => {
    // Act
    const line = describeHealthRun({
      healthy: false,
      freshness: { verdict: 'NO_DATA' },
      checks: FAILING,
      alert: { topicArn: TOPIC, messageId: 'm-1' },
    });

    // Assess
    expect(line).toEqual({
      level: 'warn',
      text: 'UNHEALTHY (NO_DATA; failing: newest raw hour, newest table hour) -> alert on critical-alerts-local',
    });
  });

  it('is an error line when the alert could not be sent, with why', () => {
    // Act
    const line = describeHealthRun({
      healthy: false,
      freshness: { verdict: 'STALE' },
      checks: [],
      alert: { topicArn: TOPIC, error: 'Topic does not exist' },
    });

    // Assess
    expect(line).toEqual({
      level: 'error',
      text: 'UNHEALTHY (STALE); the alert to critical-alerts-local was NOT sent: Topic does not exist',
    });
  });

  it('says so when the handler had no topic to alert', () => {
    expect(describeHealthRun({ healthy: false, freshness: { verdict: 'STALE' }, checks: [] }).text).toBe(
      'UNHEALTHY (STALE); no alert topic configured',
    );
  });
});
