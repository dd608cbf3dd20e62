/** `pulse incident new|update|resolve`: the runbook's three notifications, printed, and published with --publish. */
import type { Command } from 'commander';
import { parseInstant } from '../../domain/hour-range';
import {
  FIRST_UPDATE_MINUTES,
  INCIDENT_STATUSES,
  parseSeverity,
  parseStatus,
  SEVERITY_LEVELS,
} from '../../domain/incident-templates';
import type { IncidentRequest, IncidentTopic } from '../../use-cases/incident.use-case';
import { action, type CommandContext, type CommandOutcome, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadIncidentUseCase = () => import('../../use-cases/incident.use-case');

/** The stage's incident-alerts topic, resolved only when the notice is to be published. */
function incidentTopic(ctx: CommandContext): () => Promise<IncidentTopic> {
  return async () => {
    const target = await ctx.target();
    const { sns } = await ctx.clients();
    return { sns, topicArn: target.incidentTopicArn };
  };
}

async function deliver(ctx: CommandContext, request: IncidentRequest, publish?: boolean): Promise<CommandOutcome> {
  const sent = await (await loadIncidentUseCase()).notifyIncident(
    request,
    ctx.now(),
    publish ? incidentTopic(ctx) : undefined,
  );
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

/** Repeatable flags (`--action a --action b`): one list item each, in the order given. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--next-update`: an ISO date-time, or a delay from now such as `45m` or `2h`. */
function nextUpdateFlag(value: string, now: number): number {
  const delay = /^(\d+)\s*(m|min|h)$/i.exec(value.trim());
  if (!delay) return parseInstant(value, '--next-update');
  return now + Number(delay[1]) * ((delay[2] ?? '').toLowerCase() === 'h' ? 3_600_000 : 60_000);
}

type Flags = Record<string, string | string[] | boolean | undefined>;

const text = (o: Flags, key: string) => String(o[key]);
const list = (o: Flags, key: string) => (Array.isArray(o[key]) ? o[key] : []);

function registerNew(incident: Command, deps: ProgramDeps): void {
  incident
    .command('new')
    .description('the initial incident notification')
    .requiredOption('--severity <1-4>', 'SEV level (pulse incident severities)')
    .requiredOption('--description <text>', 'brief description of what is wrong')
    .requiredOption('--impact <text>', 'user impact: who is affected and how')
    .requiredOption('--commander <name>', 'Incident Commander')
    .option('--started <iso>', 'Start Time (default now)')
    .option('--id <id>', 'incident id (default INC-YYYYMMDD-HHMM)')
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Flags) => {
        const request: IncidentRequest = {
          phase: 'new',
          input: {
            severity: parseSeverity(text(o, 'severity')),
            description: text(o, 'description'),
            impact: text(o, 'impact'),
            commander: text(o, 'commander'),
            ...(o.id ? { id: text(o, 'id') } : {}),
            ...(o.started ? { startedAt: parseInstant(text(o, 'started'), '--started') } : {}),
          },
        };
        const outcome = await deliver(ctx, request, Boolean(o.publish));
        // The runbook's initial notification has no id field (the id travels in the subject).
        const id = (outcome.data as { incidentId: string }).incidentId;
        return { ...outcome, lines: [...outcome.lines, ctx.c.dim(`(reuse the id in every later notice: --id ${id})`)] };
      }),
    );
}

function registerUpdate(incident: Command, deps: ProgramDeps): void {
  incident
    .command('update')
    .description('a status update')
    .requiredOption('--id <id>', 'incident id (from the initial notification)')
    .requiredOption('--severity <1-4>', 'SEV level (may have changed; in the subject)')
    .requiredOption('--status <status>', INCIDENT_STATUSES.join(' | '))
    .requiredOption('--summary <text>', 'the Update: what is known now, in detail')
    .option('--action <text>', 'an action taken (repeat for each; at least one)', collect)
    .option('--next-update <when>', `ISO date-time or a delay (45m, 2h); default ${FIRST_UPDATE_MINUTES}m`)
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Flags) => {
        const request: IncidentRequest = {
          phase: 'update',
          input: {
            id: text(o, 'id'),
            severity: parseSeverity(text(o, 'severity')),
            status: parseStatus(text(o, 'status')),
            update: text(o, 'summary'),
            actions: list(o, 'action'),
            ...(o.nextUpdate ? { nextUpdateAt: nextUpdateFlag(text(o, 'nextUpdate'), ctx.now()) } : {}),
          },
        };
        return deliver(ctx, request, Boolean(o.publish));
      }),
    );
}

function registerResolve(incident: Command, deps: ProgramDeps): void {
  incident
    .command('resolve')
    .description('the resolution notification')
    .requiredOption('--id <id>', 'incident id')
    .requiredOption('--severity <1-4>', 'SEV level (in the subject)')
    .requiredOption('--started <iso>', 'when it started (gives the Duration)')
    .requiredOption('--root-cause <text>', 'root cause summary')
    .requiredOption('--resolution <text>', 'resolution summary')
    .option('--follow-up <text>', 'a follow-up action (repeat for each; at least one)', collect)
    .requiredOption('--postmortem-date <date>', 'when the post-mortem is scheduled (YYYY-MM-DD or ISO date-time)')
    .option('--publish', 'send to the incident-alerts topic')
    .action(
      action(deps, async (ctx, o: Flags) => {
        const request: IncidentRequest = {
          phase: 'resolve',
          input: {
            id: text(o, 'id'),
            severity: parseSeverity(text(o, 'severity')),
            startedAt: parseInstant(text(o, 'started'), '--started'),
            rootCause: text(o, 'rootCause'),
            resolution: text(o, 'resolution'),
            followUps: list(o, 'followUp'),
            postMortem: text(o, 'postmortemDate'),
          },
        };
        return deliver(ctx, request, Boolean(o.publish));
      }),
    );
}

function registerSeverities(incident: Command, deps: ProgramDeps): void {
  incident
    .command('severities')
    .description('the severity levels, their response times and examples')
    .action(
      action(deps, async (ctx) => {
        const levels = Object.values(SEVERITY_LEVELS);
        return {
          data: levels,
          lines: levels.flatMap((l) => [
            `${ctx.c.bold(`SEV${l.severity} ${l.label}`)} — respond within ${l.response}: ${l.definition}`,
            `  e.g. ${l.examples.join('; ')}`,
          ]),
        };
      }),
    );
}

export function registerIncident(program: Command, deps: ProgramDeps): void {
  const incident = program.command('incident').description(
    `the runbook's incident notifications (response times: ${Object.values(SEVERITY_LEVELS)
      .map((l) => `SEV${l.severity} ${l.response}`)
      .join(', ')})`,
  );
  registerNew(incident, deps);
  registerUpdate(incident, deps);
  registerResolve(incident, deps);
  registerSeverities(incident, deps);
}
