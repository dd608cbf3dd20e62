/**
 * The runbook's three incident notifications (declared, update, resolved), filled from flags.
 * Pure: the CLI prints the text and, with --publish, sends it to the `incident-alerts` topic.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';

export type Severity = 1 | 2 | 3 | 4;

export interface SeverityLevel {
  severity: Severity;
  label: string;
  meaning: string;
  /** time to first response */
  response: string;
  /** how often stakeholders hear from the incident lead */
  updates: string;
  updateMinutes: number;
}

/** The runbook's severity levels, with their response times. */
export const SEVERITY_LEVELS: Record<Severity, SeverityLevel> = {
  1: {
    severity: 1,
    label: 'Critical',
    meaning: 'API down or serving no current data for everyone; data loss',
    response: '15 minutes',
    updates: 'every 30 minutes',
    updateMinutes: 30,
  },
  2: {
    severity: 2,
    label: 'High',
    meaning: 'major degradation: data stale over 2 hours, API error rate over 5%, ingestion failing',
    response: '1 hour',
    updates: 'every hour',
    updateMinutes: 60,
  },
  3: {
    severity: 3,
    label: 'Medium',
    meaning: 'partial degradation: some stations or regions missing, elevated latency, DLQ backlog',
    response: '4 hours',
    updates: 'every 4 hours',
    updateMinutes: 240,
  },
  4: {
    severity: 4,
    label: 'Low',
    meaning: 'minor issue with no user impact; cosmetic or tooling faults',
    response: 'one business day',
    updates: 'daily',
    updateMinutes: 1440,
  },
};

export function parseSeverity(value: string | number): Severity {
  const n = Number(String(value).replace(/^sev/i, ''));
  if (n === 1 || n === 2 || n === 3 || n === 4) return n;
  throw new BadRequestError(`--severity must be 1, 2, 3 or 4 (SEV1 = critical); got "${value}"`);
}

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentNotice {
  phase: 'new' | 'update' | 'resolve';
  incidentId: string;
  severity: Severity;
  subject: string;
  message: string;
}

function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function incidentId(now: number): string {
  const iso = new Date(now).toISOString();
  return `INC-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
}

function duration(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.round((toMs - fromMs) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** SNS subjects: at most 100 characters, no line breaks. */
function subject(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}

function lines(entries: [string, string | undefined][]): string[] {
  return entries.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`);
}

export interface NewIncidentInput {
  id?: string;
  severity: Severity;
  title: string;
  impact: string;
  components?: string;
  lead?: string;
  actions?: string;
  startedAt?: number;
}

export function renderNewIncident(input: NewIncidentInput, now: number): IncidentNotice {
  const level = SEVERITY_LEVELS[input.severity];
  const id = input.id ?? incidentId(now);
  const started = input.startedAt ?? now;
  const message = [
    `INCIDENT DECLARED — ${id}`,
    '',
    ...lines([
      ['Severity', `SEV${level.severity} (${level.label}) — response within ${level.response}`],
      ['Status', 'Investigating'],
      ['Summary', input.title],
      ['Impact', input.impact],
      ['Affected components', input.components],
      ['Started', stamp(started)],
      ['Incident lead', input.lead],
      ['Current actions', input.actions],
      ['Next update', `${stamp(now + level.updateMinutes * 60_000)} (updates ${level.updates})`],
    ]),
    '',
    'OpenData Pulse operations',
  ].join('\n');
  return {
    phase: 'new',
    incidentId: id,
    severity: level.severity,
    subject: subject(`[SEV${level.severity}] OpenData Pulse incident ${id}: ${input.title}`),
    message,
  };
}

export interface UpdateIncidentInput {
  id: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  actions?: string;
  nextSteps?: string;
}

export function renderIncidentUpdate(input: UpdateIncidentInput, now: number): IncidentNotice {
  const level = SEVERITY_LEVELS[input.severity];
  const status = input.status[0]?.toUpperCase() + input.status.slice(1);
  const message = [
    `INCIDENT UPDATE — ${input.id}`,
    '',
    ...lines([
      ['Severity', `SEV${level.severity} (${level.label})`],
      ['Status', status],
      ['Update', input.summary],
      ['Actions taken', input.actions],
      ['Next steps', input.nextSteps],
      ['As of', stamp(now)],
      ['Next update', `${stamp(now + level.updateMinutes * 60_000)} (updates ${level.updates})`],
    ]),
    '',
    'OpenData Pulse operations',
  ].join('\n');
  return {
    phase: 'update',
    incidentId: input.id,
    severity: level.severity,
    subject: subject(`[SEV${level.severity}] ${status}: OpenData Pulse incident ${input.id}`),
    message,
  };
}

export interface ResolveIncidentInput {
  id: string;
  severity: Severity;
  rootCause: string;
  resolution: string;
  impact?: string;
  startedAt?: number;
  followUp?: string;
}

export function renderIncidentResolved(input: ResolveIncidentInput, now: number): IncidentNotice {
  const level = SEVERITY_LEVELS[input.severity];
  const message = [
    `INCIDENT RESOLVED — ${input.id}`,
    '',
    ...lines([
      ['Severity', `SEV${level.severity} (${level.label})`],
      ['Status', 'Resolved'],
      ['Resolved at', stamp(now)],
      [
        'Duration',
        input.startedAt === undefined
          ? undefined
          : `${duration(input.startedAt, now)} (from ${stamp(input.startedAt)})`,
      ],
      ['Root cause', input.rootCause],
      ['Resolution', input.resolution],
      ['Impact', input.impact],
      [
        'Follow-up',
        input.followUp ??
          (level.severity <= 2
            ? 'post-incident review within 5 business days; `pulse validate` passed before closing'
            : 'tracked in the backlog; `pulse validate` passed before closing'),
      ],
    ]),
    '',
    'OpenData Pulse operations',
  ].join('\n');
  return {
    phase: 'resolve',
    incidentId: input.id,
    severity: level.severity,
    subject: subject(`[SEV${level.severity}] Resolved: OpenData Pulse incident ${input.id}`),
    message,
  };
}
