/**
 * The runbook's three communication templates (initial notification, status update, resolution),
 * filled from flags: exactly their fields, labels and order, so what stakeholders receive reads as
 * the runbook shows it. Pure: the CLI prints the text and, with --publish, sends it to the
 * `incident-alerts` topic, the incident id and severity travelling in the subject and attributes.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';

export type Severity = 1 | 2 | 3 | 4;

export interface SeverityLevel {
  severity: Severity;
  label: string;
  definition: string;
  /** time to first response */
  response: string;
  examples: string[];
}

/** The runbook's incident classification: definition, response time, examples. */
export const SEVERITY_LEVELS: Record<Severity, SeverityLevel> = {
  1: {
    severity: 1,
    label: 'Critical',
    definition: 'complete system outage or data loss',
    response: '15 minutes',
    examples: [
      'GraphQL API completely unavailable',
      'data ingestion pipeline completely failed',
      'security breach detected',
      'complete DynamoDB table corruption',
    ],
  },
  2: {
    severity: 2,
    label: 'High',
    definition: 'major functionality impaired, significant user impact',
    response: '1 hour',
    examples: [
      'high error rates (>5%) in API responses',
      'data processing delays >4 hours',
      'authentication system partially down',
      'performance degradation >50%',
    ],
  },
  3: {
    severity: 3,
    label: 'Medium',
    definition: 'minor functionality impaired, limited user impact',
    response: '4 hours',
    examples: [
      'intermittent API errors (<5%)',
      'data processing delays 1-4 hours',
      'non-critical features unavailable',
      'performance degradation 20-50%',
    ],
  },
  4: {
    severity: 4,
    label: 'Low',
    definition: 'cosmetic issues, minimal user impact',
    response: '24 hours',
    examples: [
      'documentation updates needed',
      'minor UI inconsistencies',
      'non-critical monitoring alerts',
      'performance degradation <20%',
    ],
  },
};

export function parseSeverity(value: string | number): Severity {
  const n = Number(String(value).replace(/^sev/i, ''));
  if (n === 1 || n === 2 || n === 3 || n === 4) return n;
  throw new BadRequestError(`--severity must be 1, 2, 3 or 4 (SEV1 = critical); got "${value}"`);
}

/** The status update's statuses, in the order an incident moves through them. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export function parseStatus(value: string): IncidentStatus {
  const status = value.toLowerCase() as IncidentStatus;
  if (INCIDENT_STATUSES.includes(status)) return status;
  throw new BadRequestError(`--status must be one of ${INCIDENT_STATUSES.join(', ')}; got "${value}"`);
}

/** The initial notification promises the next update this long after it is sent. */
export const FIRST_UPDATE_MINUTES = 30;

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

/** A field's text: trimmed, and present, or an error naming the flag that fills it. */
function filled(value: string, flag: string): string {
  const text = value.trim();
  if (text === '') throw new BadRequestError(`${flag} must not be empty`);
  return text;
}

/** A list field's items: at least one, none empty. */
function items(values: readonly string[], flag: string): string[] {
  if (values.length === 0) throw new BadRequestError(`${flag} is required (give it once per item)`);
  return values.map((value) => `- ${filled(value, flag)}`);
}

function header(kind: 'ALERT' | 'UPDATE' | 'RESOLVED'): string {
  return `INCIDENT ${kind} - OpenData Pulse System`;
}

export interface NewIncidentInput {
  id?: string;
  severity: Severity;
  description: string;
  impact: string;
  commander: string;
  startedAt?: number;
}

export function renderNewIncident(input: NewIncidentInput, now: number): IncidentNotice {
  const level = SEVERITY_LEVELS[input.severity];
  const id = input.id === undefined ? incidentId(now) : filled(input.id, '--id');
  const started = input.startedAt ?? now;
  if (started > now) throw new BadRequestError(`--started ${stamp(started)} is in the future (now ${stamp(now)})`);
  const description = filled(input.description, '--description');
  const message = [
    header('ALERT'),
    '',
    `Severity: SEV${level.severity} (${level.label}) — response within ${level.response}`,
    `Start Time: ${stamp(started)}`,
    'Status: Investigating',
    '',
    `Description: ${description}`,
    '',
    `Impact: ${filled(input.impact, '--impact')}`,
    '',
    `Next Update: ${stamp(now + FIRST_UPDATE_MINUTES * 60_000)}`,
    '',
    `Incident Commander: ${filled(input.commander, '--commander')}`,
  ].join('\n');
  return {
    phase: 'new',
    incidentId: id,
    severity: level.severity,
    subject: subject(`[SEV${level.severity}] OpenData Pulse incident ${id}: ${description}`),
    message,
  };
}

export interface UpdateIncidentInput {
  id: string;
  severity: Severity;
  status: IncidentStatus;
  update: string;
  actions: readonly string[];
  /** default: FIRST_UPDATE_MINUTES after this update */
  nextUpdateAt?: number;
}

export function renderIncidentUpdate(input: UpdateIncidentInput, now: number): IncidentNotice {
  const id = filled(input.id, '--id');
  const status = input.status.toUpperCase();
  const next = input.nextUpdateAt ?? now + FIRST_UPDATE_MINUTES * 60_000;
  if (next <= now) throw new BadRequestError(`--next-update ${stamp(next)} is not after this update (${stamp(now)})`);
  const message = [
    header('UPDATE'),
    '',
    `Incident ID: ${id}`,
    `Status: ${status}`,
    `Time: ${stamp(now)}`,
    '',
    `Update: ${filled(input.update, '--summary')}`,
    '',
    'Actions Taken:',
    ...items(input.actions, '--action'),
    '',
    `Next Update: ${stamp(next)}`,
  ].join('\n');
  return {
    phase: 'update',
    incidentId: id,
    severity: input.severity,
    subject: subject(
      `[SEV${input.severity}] ${status[0]}${status.slice(1).toLowerCase()}: OpenData Pulse incident ${id}`,
    ),
    message,
  };
}

export interface ResolveIncidentInput {
  id: string;
  severity: Severity;
  startedAt: number;
  rootCause: string;
  resolution: string;
  followUps: readonly string[];
  /** `YYYY-MM-DD`, or an ISO date-time when the meeting's time is known */
  postMortem: string;
}

/** The post-mortem's scheduled date as the notice shows it; not before the resolution. */
function postMortemDate(value: string, resolvedAt: number): string {
  const text = value.trim();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}($|T)/.test(text) || Number.isNaN(ms)) {
    throw new BadRequestError(`--postmortem-date "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time`);
  }
  const shown = text.length === 10 ? text : stamp(ms);
  if (shown.slice(0, 10) < new Date(resolvedAt).toISOString().slice(0, 10)) {
    throw new BadRequestError(`--postmortem-date ${shown} is before the resolution (${stamp(resolvedAt)})`);
  }
  return shown;
}

export function renderIncidentResolved(input: ResolveIncidentInput, now: number): IncidentNotice {
  const id = filled(input.id, '--id');
  if (input.startedAt > now) {
    throw new BadRequestError(`--started ${stamp(input.startedAt)} is after the resolution (${stamp(now)})`);
  }
  const message = [
    header('RESOLVED'),
    '',
    `Incident ID: ${id}`,
    `Resolution Time: ${stamp(now)}`,
    `Duration: ${duration(input.startedAt, now)}`,
    '',
    `Root Cause: ${filled(input.rootCause, '--root-cause')}`,
    '',
    `Resolution: ${filled(input.resolution, '--resolution')}`,
    '',
    'Follow-up Actions:',
    ...items(input.followUps, '--follow-up'),
    '',
    `Post-Mortem: ${postMortemDate(input.postMortem, now)}`,
  ].join('\n');
  return {
    phase: 'resolve',
    incidentId: id,
    severity: input.severity,
    subject: subject(`[SEV${input.severity}] Resolved: OpenData Pulse incident ${id}`),
    message,
  };
}
