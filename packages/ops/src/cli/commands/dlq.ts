/**
 * `pulse dlq show | redrive | drop`: what failed processing, sending it back once the cause is
 * fixed, and clearing the messages of a raw object whose hours were fetched again.
 */
import type { Command } from 'commander';
import { parsePositiveInt } from '../../domain/hour-range';
import { formatMinutes, plural, table } from '../format';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadDlqUseCase = () => import('../../use-cases/dlq.use-case');

function registerShow(dlq: Command, deps: ProgramDeps): void {
  dlq
    .command('show')
    .description('message count, oldest age and a few message summaries (messages stay in the queue)')
    .option('--limit <n>', 'messages to summarise (1-10)', '5')
    .action(
      action(deps, async (ctx, opts: { limit: string }) => {
        const limit = parsePositiveInt(opts.limit, '--limit', 10);
        const target = await ctx.target();
        const { sqs } = await ctx.clients();
        const view = await (await loadDlqUseCase()).inspectDlq(sqs, target, { limit, now: ctx.now() });
        const { c } = ctx;
        if (view.depth + view.inFlight === 0) {
          return { data: view, lines: [`${c.green('✓')} ${target.dlqName} is empty`] };
        }
        const lines = [
          `${c.red('✗')} ${target.dlqName}: ${plural(view.depth, 'message')} waiting` +
            `${view.inFlight ? `, ${view.inFlight} in flight` : ''}` +
            `${view.oldestAgeMinutes !== null ? `, oldest ${formatMinutes(view.oldestAgeMinutes)} old` : ''}`,
          '',
          ...table(
            view.messages.map((m) => [
              m.messageId.slice(0, 8),
              m.sentAt ?? '?',
              String(m.receiveCount ?? '?'),
              m.objects.join(', ') || (m.note ?? ''),
            ]),
            ['message', 'sent', 'receives', 'object'],
            c,
          ),
          '',
          'Fix the cause, then `pulse dlq redrive`. A bad raw object: `pulse backfill` its hours (the newer fetch wins), then `pulse dlq drop --object KEY`.',
        ];
        return { data: view, lines, problem: true };
      }),
    );
}

function registerRedrive(dlq: Command, deps: ProgramDeps): void {
  dlq
    .command('redrive')
    .description('move every DLQ message back to the processing queue (SQS message move task)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { yes?: boolean }) => {
        const target = await ctx.target();
        const { sqs } = await ctx.clients();
        const result = await (await loadDlqUseCase()).redriveDlqMessages(sqs, target, {
          confirm: ({ depth }) =>
            ctx.confirm(
              `Move ${plural(depth, 'message')} from ${target.dlqName} back to ${target.queueName}?`,
              opts.yes,
            ),
          progress: (total) => ctx.progress(total, 'redrive'),
          ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
          now: ctx.now(),
        });
        const { c } = ctx;
        if (!result) {
          return {
            data: { moved: 0, status: 'NOTHING_TO_MOVE' },
            lines: [`${c.green('✓')} ${target.dlqName} is empty: nothing to redrive`],
          };
        }
        const ok = result.status === 'COMPLETED';
        return {
          data: { ...result, dlq: target.dlqName, queue: target.queueName },
          lines: [
            `${ok ? c.green('✓') : c.red('✗')} ${result.status}: ${result.moved} of ${result.toMove} message(s) moved to ${target.queueName}` +
              ` (${result.method})${result.failureReason ? `: ${result.failureReason}` : ''}`,
            ...(ok ? ['The ETL picks them up from the queue; check with `pulse dlq show` and `pulse health`.'] : []),
          ],
          problem: !ok,
        };
      }),
    );
}

function registerDrop(dlq: Command, deps: ProgramDeps): void {
  dlq
    .command('drop')
    .description(
      'delete the DLQ messages naming one raw object, once its hours were backfilled (the object itself stays)',
    )
    .requiredOption('--object <key>', 'the raw object key (or s3:// URI) the messages name')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(deps, async (ctx, opts: { object: string; yes?: boolean }) => {
        const target = await ctx.target();
        const { sqs } = await ctx.clients();
        const result = await (await loadDlqUseCase()).dropDlqMessages(sqs, target, {
          object: opts.object,
          confirm: ({ matching }) =>
            ctx.confirm(
              `Delete ${plural(matching, 'message')} naming ${opts.object} from ${target.dlqName}?`,
              opts.yes,
            ),
          now: ctx.now(),
        });
        const { c } = ctx;
        const left = result.kept ? `; ${plural(result.kept, 'other message')} left in the DLQ` : '';
        return {
          data: { ...result, dlq: target.dlqName, object: opts.object },
          lines: [
            result.dropped.length
              ? `${c.green('✓')} dropped ${plural(result.dropped.length, 'message')} naming ${opts.object}${left}`
              : `${c.yellow('!')} no DLQ message names ${opts.object}${left}`,
          ],
          problem: result.dropped.length === 0,
        };
      }),
    );
}

export function registerDlq(program: Command, deps: ProgramDeps): void {
  const dlq = program.command('dlq').description('the processing dead-letter queue');
  registerShow(dlq, deps);
  registerRedrive(dlq, deps);
  registerDrop(dlq, deps);
}
