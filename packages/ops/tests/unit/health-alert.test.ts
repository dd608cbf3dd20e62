/** The alert an unhealthy health-check run sends to critical-alerts: pure text from the report. */
import { describe, expect, it } from 'vitest';
import { type HealthFindings, renderHealthAlert, snsSubject } from '../../src/domain/health-alert';

const UNHEALTHY: HealthFindings = {
  checkedAt: '2026-11-20T10:05:00.000Z',
  stage: 'local',
  mode: 'local',
  healthy: false,
  checks: [
    { name: 'table opendata-pulse-hot-aggregates-local', status: 'ok', detail: 'ACTIVE' },
    { name: 'newest raw hour', status: 'fail', detail: 'none: the raw zone is empty' },
    { name: 'newest table hour', status: 'fail', detail: 'none: the table holds no hourly data' },
    { name: 'ETL queue backlog', status: 'warn', detail: '140 waiting, 0 in flight' },
  ],
  freshness: { verdict: 'NO_DATA', explanation: 'nothing has been ingested yet' },
  dlqDepth: 0,
};

describe('renderHealthAlert', () => {
  it('names the verdict and the failing checks in the subject, and every failing and warning check in the text', () => {
    // Act
    const alert = renderHealthAlert(UNHEALTHY);

    // Assess
    expect(alert.subject).toBe('UNHEALTHY: OpenData Pulse local stack - data NO_DATA, 2 failing checks');
    expect(alert.message).toBe(
      [
        'The OpenData Pulse health check found problems (local stack, 2026-11-20T10:05:00.000Z).',
        '',
        'Data freshness: NO_DATA - nothing has been ingested yet',
        '  table: no hour yet; raw zone: no hour yet',
        '',
        'Failing:',
        '  - newest raw hour: none: the raw zone is empty',
        '  - newest table hour: none: the table holds no hourly data',
        '',
        'Warnings:',
        '  - ETL queue backlog: 140 waiting, 0 in flight',
        '',
        'Next: pnpm pulse health --local, then the runbook page it points to (packages/ops/runbooks/health-check.md).',
      ].join('\n'),
    );
    expect(alert.attributes).toEqual({
      source: { dataType: 'String', value: 'health-check' },
      stage: { dataType: 'String', value: 'local' },
      verdict: { dataType: 'String', value: 'NO_DATA' },
      failedChecks: { dataType: 'Number', value: '2' },
    });
  });

  it('points an AWS stage at pulse health --stage, and names one failing check with fresh data', () => {
    // Prepare
    const findings: HealthFindings = {
      ...UNHEALTHY,
      stage: 'prod',
      mode: 'aws',
      checks: [{ name: 'DLQ depth', status: 'fail', detail: '1 message(s) failed processing' }],
      freshness: { verdict: 'FRESH', explanation: 'current', tableAgeMinutes: 35, rawAgeMinutes: 35 },
    };

    // Act
    const alert = renderHealthAlert(findings);

    // Assess
    expect(alert.subject).toBe('UNHEALTHY: OpenData Pulse stage prod - 1 failing check');
    expect(alert.message).toContain('  table: newest hour ended 35 min ago; raw zone: newest hour ended 35 min ago');
    expect(alert.message).toContain('Next: pnpm pulse health --stage prod,');
  });
});

describe('snsSubject: what SNS accepts as a subject', () => {
  it('keeps printable ASCII on one line under 100 characters', () => {
    expect(snsSubject('A — b\nc ü')).toBe('A - b?c ?');
    expect(snsSubject('x'.repeat(150))).toBe(`${'x'.repeat(96)}...`);
    expect(snsSubject('x'.repeat(150))).toHaveLength(99);
  });
});
