/** `pulse incident new|update|resolve`: the runbook's notifications, printed, and published with --publish. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { parseInstant } from '../../domain/hour-range';
import {
  INCIDENT_STATUSES,
  type IncidentStatus,
  parseSeverity,
  SEVERITY_LEVELS,
} from '../../domain/incident-templates';
import { type IncidentRequest, type IncidentTopic, notifyIncident } from '../../use-cases/incident.use-case';
import { action, type CommandContext, type CommandOutcome, type ProgramDeps } from '../runtime';

/** The stage's incident-alerts topic, resolved only when the notice is to be published. */
function incidentTopic(ctx: CommandContext): () => Promise<IncidentTopic> {
  return async () => {
    const target = await ctx.target();
    const { sns } = await ctx.clients();
    return { sns, topicArn: target.incidentTopicArn };
  };
}

async function deliver(ctx: CommandContext, request: IncidentRequest, publish?: boolean): Promise<CommandOutcome> {
  const sent = await notifyIncident(request, ctx.now(), publish ? incidentTopic(ctx) : undefined);
  const { notice } = sent;
  const lines = [ctx.c.bold(`Subject: ${notice.subject}`), '', notice.message];
  if (!sent.published) {
    return {
      data: { ...notice, published: false },
      lines: [...lines, '', ctx.c.dim('(not sent: add --publish to send it to incident-alerts)')],
    };
  }
  return {
    data: { ...notice, published: true, topicArn: sent.topicArn, messageId: sent.messageId },
    lines: [...lines, '', `${ctx.c.green('✓')} published to ${sent.topicArn} (message ${sent.messageId})`],
  };
}

const startedFlag = (value: string | undefined) => (value === undefined ? undefined : parseInstant(value, '--started'));

function registerNew(incident: Command, deps: ProgramDeps): void {
  incident
    .command('new')
    .description('declare an incident')
    .requiredOption('--severity <1-4>', 'SEV level')
    .requiredOption('--title <text>', 'one-line summary')
    .requiredOption('--impact <text>', 'who is affected and how')
    .option('--components <text>', 'affected components (ingest, ETL, API, ...)')
    .option('--lead <name>', 'incident lead')
    .option('--actions <text>', 'what is being done now')
    .option('--started <iso>', 'when it started (default now)')
    .option('--id <id>', 'incident id (default INC-YYYYMMDD-HHMM)')
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Record<string, string | boolean | undefined>) => {
        const request: IncidentRequest = {
          phase: 'new',
          input: {
            severity: parseSeverity(String(o.severity)),
            title: String(o.title),
            impact: String(o.impact),
            ...(o.components ? { components: String(o.components) } : {}),
            ...(o.lead ? { lead: String(o.lead) } : {}),
            ...(o.actions ? { actions: String(o.actions) } : {}),
            ...(o.id ? { id: String(o.id) } : {}),
            ...(o.started ? { startedAt: startedFlag(String(o.started)) } : {}),
          },
        };
        return deliver(ctx, request, Boolean(o.publish));
      }),
    );
}

function registerUpdate(incident: Command, deps: ProgramDeps): void {
  incident
    .command('update')
    .description('a progress update')
    .requiredOption('--id <id>', 'incident id')
    .requiredOption('--severity <1-4>', 'SEV level (may have changed)')
    .requiredOption('--summary <text>', 'what is known now')
    .option('--status <status>', INCIDENT_STATUSES.join(' | '), 'investigating')
    .option('--actions <text>', 'actions taken')
    .option('--next-steps <text>', 'what happens next')
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Record<string, string | boolean | undefined>) => {
        const status = String(o.status) as IncidentStatus;
        if (!INCIDENT_STATUSES.includes(status)) {
          throw new BadRequestError(`--status must be one of ${INCIDENT_STATUSES.join(', ')}`);
        }
        const request: IncidentRequest = {
          phase: 'update',
          input: {
            id: String(o.id),
            severity: parseSeverity(String(o.severity)),
            status,
            summary: String(o.summary),
            ...(o.actions ? { actions: String(o.actions) } : {}),
            ...(o.nextSteps ? { nextSteps: String(o.nextSteps) } : {}),
          },
        };
        return deliver(ctx, request, Boolean(o.publish));
      }),
    );
}

function registerResolve(incident: Command, deps: ProgramDeps): void {
  incident
    .command('resolve')
    .description('the resolution notice')
    .requiredOption('--id <id>', 'incident id')
    .requiredOption('--severity <1-4>', 'SEV level')
    .requiredOption('--root-cause <text>', 'what caused it')
    .requiredOption('--resolution <text>', 'what fixed it')
    .option('--impact <text>', 'impact summary')
    .option('--started <iso>', 'when it started (gives the duration)')
    .option('--follow-up <text>', 'follow-up actions')
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Record<string, string | boolean | undefined>) => {
        const request: IncidentRequest = {
          phase: 'resolve',
          input: {
            id: String(o.id),
            severity: parseSeverity(String(o.severity)),
            rootCause: String(o.rootCause),
            resolution: String(o.resolution),
            ...(o.impact ? { impact: String(o.impact) } : {}),
            ...(o.followUp ? { followUp: String(o.followUp) } : {}),
            ...(o.started ? { startedAt: startedFlag(String(o.started)) } : {}),
          },
        };
        return deliver(ctx, request, Boolean(o.publish));
      }),
    );
}

function registerSeverities(incident: Command, deps: ProgramDeps): void {
  incident
    .command('severities')
    .description('the severity levels and their response times')
    .action(
      action(deps, async (ctx) => {
        const levels = Object.values(SEVERITY_LEVELS);
        return {
          data: levels,
          lines: levels.map(
            (l) =>
              `${ctx.c.bold(`SEV${l.severity} ${l.label}`)}: ${l.meaning}. Respond within ${l.response}; updates ${l.updates}.`,
          ),
        };
      }),
    );
}

export function registerIncident(program: Command, deps: ProgramDeps): void {
  const incident = program
    .command('incident')
    .description(
      'incident notifications (SEV1 critical: respond in 15 min; SEV2: 1 h; SEV3: 4 h; SEV4: next business day)',
    );
  registerNew(incident, deps);
  registerUpdate(incident, deps);
  registerResolve(incident, deps);
  registerSeverities(incident, deps);
}
