/**
 * The three incident notifications against the runbook's communication templates (transcribed
 * below as the runbook prints them): the same header, field labels, order, lists and blank lines;
 * the runbook's severity classification; and the flags that fill them, with the error for each
 * one missing or wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATUSES,
  renderIncidentResolved,
  renderIncidentUpdate,
  renderNewIncident,
  SEVERITY_LEVELS,
} from '../../src/domain/incident-templates';
import { runPulse } from '../support/run-pulse';

const RUNBOOK_TEMPLATES = {
  initial: `INCIDENT ALERT - OpenData Pulse System

Severity: [SEVERITY_LEVEL]
Start Time: [TIMESTAMP]
Status: Investigating

Description: [BRIEF_DESCRIPTION]

Impact: [USER_IMPACT_DESCRIPTION]

Next Update: [TIMESTAMP + 30 minutes]

Incident Commander: [NAME]`,
  update: `INCIDENT UPDATE - OpenData Pulse System

Incident ID: [INCIDENT_ID]
Status: [INVESTIGATING/IDENTIFIED/MONITORING/RESOLVED]
Time: [TIMESTAMP]

Update: [DETAILED_UPDATE]

Actions Taken:
- [ACTION_1]
- [ACTION_2]

Next Update: [TIMESTAMP]`,
  resolution: `INCIDENT RESOLVED - OpenData Pulse System

Incident ID: [INCIDENT_ID]
Resolution Time: [TIMESTAMP]
Duration: [TOTAL_DURATION]

Root Cause: [ROOT_CAUSE_SUMMARY]

Resolution: [RESOLUTION_SUMMARY]

Follow-up Actions:
- [ACTION_1]
- [ACTION_2]

Post-Mortem: [SCHEDULED_DATE]`,
};

const LABEL = /^([A-Z][A-Za-z -]*):(?: |$)/;

/** The field labels, in order. */
function labels(text: string): string[] {
  return text.split('\n').flatMap((line) => LABEL.exec(line)?.[1] ?? []);
}

/** The layout with the values taken out: header, `Label:`, `-` per list item, blank lines. */
function shape(text: string): string[] {
  return text.split('\n').map((line) => {
    const label = LABEL.exec(line)?.[1];
    if (label) return `${label}:`;
    return line.startsWith('- ') ? '-' : line;
  });
}

const AT = Date.parse('2026-11-20T10:00:00Z');
const minutes = (n: number) => AT + n * 60_000;

describe('incident notifications follow the runbook templates', () => {
  it('the initial notification has the runbook fields in its order, and promises the next update in 30 minutes', () => {
    // Act
    const notice = renderNewIncident(
      {
        severity: 2,
        description: 'Data stale since 07:00 UTC',
        impact: 'API answers readings up to 3 hours old',
        commander: 'Alex Chen',
        startedAt: minutes(-190),
      },
      AT,
    );

    // Assess
    expect(labels(notice.message)).toEqual([
      'Severity',
      'Start Time',
      'Status',
      'Description',
      'Impact',
      'Next Update',
      'Incident Commander',
    ]);
    expect(labels(notice.message)).toEqual(labels(RUNBOOK_TEMPLATES.initial));
    expect(shape(notice.message)).toEqual(shape(RUNBOOK_TEMPLATES.initial));
    expect(notice.message).toContain('Start Time: 2026-11-20 06:50 UTC\nStatus: Investigating');
    expect(notice.message).toContain('Next Update: 2026-11-20 10:30 UTC');
  });

  it('the status update has the runbook fields in its order, one list item per action', () => {
    // Act
    const notice = renderIncidentUpdate(
      {
        id: 'INC-20261120-0950',
        severity: 2,
        status: 'identified',
        update: 'NSW API answers HTTP 500 since 07:00 UTC',
        actions: ['circuit breaker on for ingest', 'NSW data team contacted'],
      },
      AT,
    );

    // Assess
    expect(labels(notice.message)).toEqual(['Incident ID', 'Status', 'Time', 'Update', 'Actions Taken', 'Next Update']);
    expect(labels(notice.message)).toEqual(labels(RUNBOOK_TEMPLATES.update));
    expect(shape(notice.message)).toEqual(shape(RUNBOOK_TEMPLATES.update));
    expect(notice.message).toContain(
      'Actions Taken:\n- circuit breaker on for ingest\n- NSW data team contacted\n\nNext Update: 2026-11-20 10:30 UTC',
    );
  });

  it('the resolution has the runbook fields in its order, with the duration and the post-mortem date', () => {
    // Act
    const notice = renderIncidentResolved(
      {
        id: 'INC-20261120-0950',
        severity: 2,
        startedAt: minutes(-190),
        rootCause: 'NSW Air Quality API outage (HTTP 500)',
        resolution: 'Circuit breaker off; pulse gaps --fix backfilled 3 hours; pulse validate passed',
        followUps: ['alarm on NSW 5xx answers', 'add the outage to the NSW API page'],
        postMortem: '2026-11-21',
      },
      AT,
    );

    // Assess
    expect(labels(notice.message)).toEqual([
      'Incident ID',
      'Resolution Time',
      'Duration',
      'Root Cause',
      'Resolution',
      'Follow-up Actions',
      'Post-Mortem',
    ]);
    expect(labels(notice.message)).toEqual(labels(RUNBOOK_TEMPLATES.resolution));
    expect(shape(notice.message)).toEqual(shape(RUNBOOK_TEMPLATES.resolution));
    expect(notice.message).toContain('Resolution Time: 2026-11-20 10:00 UTC\nDuration: 3 h 10 min');
    expect(notice.message).toContain('Post-Mortem: 2026-11-21');
  });

  it('a status update shows each status as the runbook spells it', () => {
    // Prepare
    const spelled = /Status: \[(.*)\]/.exec(RUNBOOK_TEMPLATES.update)?.[1]?.split('/');

    // Act
    const shown = INCIDENT_STATUSES.map(
      (status) =>
        /Status: (.*)/.exec(
          renderIncidentUpdate({ id: 'INC-1', severity: 3, status, update: 'u', actions: ['a'] }, AT).message,
        )?.[1],
    );

    // Assess
    expect(shown).toEqual(spelled);
  });

  it('severities carry the runbook response times: SEV1 15 minutes, SEV2 1 hour, SEV3 4 hours, SEV4 24 hours', () => {
    // Act
    const levels = Object.values(SEVERITY_LEVELS).map((l) => [l.severity, l.label, l.response]);

    // Assess
    expect(levels).toEqual([
      [1, 'Critical', '15 minutes'],
      [2, 'High', '1 hour'],
      [3, 'Medium', '4 hours'],
      [4, 'Low', '24 hours'],
    ]);
  });
});

describe('incident notification input', () => {
  const resolution = {
    id: 'INC-1',
    severity: 3 as const,
    startedAt: minutes(-60),
    rootCause: 'r',
    resolution: 'r',
    followUps: ['f'],
    postMortem: '2026-11-21',
  };

  it.each([
    [
      'a blank Incident Commander',
      () => renderNewIncident({ severity: 1, description: 'd', impact: 'i', commander: ' ' }, AT),
      '--commander must not be empty',
    ],
    [
      'a start in the future',
      () =>
        renderNewIncident({ severity: 1, description: 'd', impact: 'i', commander: 'c', startedAt: minutes(5) }, AT),
      '--started 2026-11-20 10:05 UTC is in the future (now 2026-11-20 10:00 UTC)',
    ],
    [
      'an update without actions',
      () => renderIncidentUpdate({ id: 'INC-1', severity: 3, status: 'monitoring', update: 'u', actions: [] }, AT),
      '--action is required (give it once per item)',
    ],
    [
      'a next update that is not after the update',
      () =>
        renderIncidentUpdate(
          { id: 'INC-1', severity: 3, status: 'monitoring', update: 'u', actions: ['a'], nextUpdateAt: AT },
          AT,
        ),
      '--next-update 2026-11-20 10:00 UTC is not after this update (2026-11-20 10:00 UTC)',
    ],
    [
      'a resolution without follow-up actions',
      () => renderIncidentResolved({ ...resolution, followUps: [] }, AT),
      '--follow-up is required (give it once per item)',
    ],
    [
      'a post-mortem date that is not a date',
      () => renderIncidentResolved({ ...resolution, postMortem: 'next week' }, AT),
      '--postmortem-date "next week" is not a date (YYYY-MM-DD) or an ISO 8601 date-time',
    ],
    [
      'a post-mortem before the resolution',
      () => renderIncidentResolved({ ...resolution, postMortem: '2026-11-19' }, AT),
      '--postmortem-date 2026-11-19 is before the resolution (2026-11-20 10:00 UTC)',
    ],
    [
      'a start after the resolution',
      () => renderIncidentResolved({ ...resolution, startedAt: minutes(1) }, AT),
      '--started 2026-11-20 10:01 UTC is after the resolution (2026-11-20 10:00 UTC)',
    ],
  ])('refuses %s, naming the flag', (_case, render, message) => {
    // Act + Assess
    expect(render).toThrow(message);
  });
});

describe('pulse incident flags', () => {
  it('new requires the Incident Commander and names the flag when it is missing', async () => {
    // Act
    const run = await runPulse(['incident', 'new', '--severity', '1', '--description', 'API down', '--impact', 'all'], {
      now: AT,
    });

    // Assess
    expect(run.code).not.toBe(0); // commander's usage error, before the command runs
    expect(run.stderr).toContain("required option '--commander <name>' not specified");
  });

  it('new prints the notice and the incident id the later notices need', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'new',
        '--severity',
        'SEV3',
        '--description',
        'Two Hunter stations missing',
        '--impact',
        'No readings for Muswellbrook and Singleton',
        '--commander',
        'Alex Chen',
      ],
      { now: AT },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Subject: [SEV3] OpenData Pulse incident INC-20261120-1000: Two Hunter stations missing',
    );
    expect(run.stdout).toContain('Severity: SEV3 (Medium) — response within 4 hours');
    expect(run.stdout).toContain('Incident Commander: Alex Chen');
    expect(run.stdout).toContain('(reuse the id in every later notice: --id INC-20261120-1000)');
  });

  it('update takes one --action per list item and a --next-update delay', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'update',
        '--id',
        'INC-20261120-0950',
        '--severity',
        '2',
        '--status',
        'MONITORING',
        '--summary',
        'Backfill done; watching the next two hours',
        '--action',
        'pulse gaps --fix',
        '--action',
        'circuit breaker off',
        '--next-update',
        '2h',
      ],
      { now: AT },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      [
        'Incident ID: INC-20261120-0950',
        'Status: MONITORING',
        'Time: 2026-11-20 10:00 UTC',
        '',
        'Update: Backfill done; watching the next two hours',
        '',
        'Actions Taken:',
        '- pulse gaps --fix',
        '- circuit breaker off',
        '',
        'Next Update: 2026-11-20 12:00 UTC',
      ].join('\n'),
    );
  });

  it('update says which statuses there are when given another', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'update',
        '--id',
        'INC-1',
        '--severity',
        '2',
        '--status',
        'fixed',
        '--summary',
        's',
        '--action',
        'a',
      ],
      { now: AT },
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'incident update: --status must be one of investigating, identified, monitoring, resolved; got "fixed"',
    );
  });

  it('resolve requires the post-mortem date and says so', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'resolve',
        '--id',
        'INC-1',
        '--severity',
        '2',
        '--started',
        '2026-11-20T07:00:00Z',
        '--root-cause',
        'r',
        '--resolution',
        'r',
        '--follow-up',
        'f',
      ],
      { now: AT },
    );

    // Assess
    expect(run.code).not.toBe(0); // commander's usage error, before the command runs
    expect(run.stderr).toContain("required option '--postmortem-date <date>' not specified");
  });

  it('resolve without a --follow-up names the flag', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'resolve',
        '--id',
        'INC-1',
        '--severity',
        '2',
        '--started',
        '2026-11-20T07:00:00Z',
        '--root-cause',
        'r',
        '--resolution',
        'r',
        '--postmortem-date',
        '2026-11-21',
      ],
      { now: AT },
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('incident resolve: --follow-up is required (give it once per item)');
  });
});
