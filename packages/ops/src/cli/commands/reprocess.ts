/** `pulse reprocess`: raw objects sent to the ETL function as a plain S3 event, as the runbook does. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import type { Command } from 'commander';
import { parsePositiveInt } from '../../domain/hour-range';
import { plural, table } from '../format';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadReprocessUseCase = () => import('../../use-cases/reprocess.use-case');

export function registerReprocess(program: Command, deps: ProgramDeps): void {
  program
    .command('reprocess')
    .description(
      'send raw objects (hours, hour revisions, days, day revisions) to the ETL again, a plain S3 event per object; ' +
        'replays are idempotent and the newest fetch of each reading wins',
    )
    .option(
      '--date <yyyy-mm-dd>',
      'every raw object of this UTC date: all versions of its hours and of the NSW local days it touches',
    )
    .option(
      '--key <key>',
      'one raw object key, any kind: .../YYYY/MM/DD/HH[.rev-…].json or .../days/YYYY-MM-DD[.rev-…].json (repeatable)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--concurrency <n>', 'objects in flight at once', '4')
    .action(
      action(deps, async (ctx, opts: { date?: string; key?: string[]; concurrency: string }) => {
        if (!opts.date === !opts.key) throw new BadRequestError('give either --date YYYY-MM-DD or --key KEY');
        if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
          throw new BadRequestError(`--date "${opts.date}" is not YYYY-MM-DD`);
        }
        const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', 32);
        const target = await ctx.target();
        const summary = await (await loadReprocessUseCase()).reprocessObjects(await ctx.clients(), target, {
          ...(opts.date ? { date: opts.date } : { keys: opts.key ?? [] }),
          concurrency,
          progress: (total) => ctx.progress(total, 'reprocess'),
        });
        const { c } = ctx;
        if (summary.objects.length === 0) {
          return {
            data: summary,
            lines: [`${c.yellow('!')} no raw objects for ${opts.date} in ${target.rawBucket}`],
            problem: true,
          };
        }
        const { processed, skipped, failed } = summary.counts;
        const lines = [
          `${failed ? c.red('✗') : c.green('✓')} reprocessed ${plural(summary.objects.length, 'raw object')} through ${summary.function}: ` +
            `${processed} processed, ${skipped} skipped, ${failed} failed`,
        ];
        const notable = summary.objects.filter((o) => o.outcome !== 'processed');
        if (notable.length) {
          lines.push(
            '',
            ...table(
              notable.map((o) => [o.key, o.outcome, o.reason ?? '']),
              ['key', 'outcome', 'reason'],
              c,
            ),
          );
        }
        return { data: summary, lines, problem: failed > 0 };
      }),
    );
}
