/** `pulse gaps --from --to [--fix]`: hours missing in raw, curated or the table, and filling them. */
import type { Command } from 'commander';
import { hoursFromOptions, parsePositiveInt } from '../../domain/hour-range';
import type { GapReport } from '../../use-cases/gaps.use-case';
import { plural, table } from '../format';
import { action, type Colors, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadGapsUseCase = () => import('../../use-cases/gaps.use-case');

function renderGaps(c: Colors, report: GapReport): string[] {
  const { raw, curated, table: tableMissing, stationHours } = report.missing;
  const unreadable = (report.unreadableRaw ?? []).map(
    (u) => `${c.yellow('!')} raw object ${u.key} could not be read (its hours checked by region only): ${u.reason}`,
  );
  const head =
    report.gaps.length === 0
      ? `${c.green('✓')} no gaps in ${plural(report.hours, 'hour')} from ${report.from} to ${report.to}`
      : `${c.red('✗')} ${plural(report.gaps.length, 'hour')} of ${report.hours} incomplete: ` +
        `raw ${raw.length} missing, curated ${curated.length} missing, table ${tableMissing.length} missing` +
        (stationHours.length ? ` (${plural(stationHours.length, 'station-hour')} without a reading)` : '');
  if (report.gaps.length === 0) return [head, ...unreadable];
  const yes = (present: boolean) => (present ? c.green('✓') : c.red('✗'));
  return [
    head,
    ...unreadable,
    '',
    ...table(
      report.gaps.map((g) => [
        g.hour,
        yes(g.raw),
        yes(g.curated),
        yes(g.table),
        (g.missingStations ?? []).map((s) => `SITE ${s}`).join(', '),
      ]),
      ['hour', 'raw', 'curated', 'table', 'stations without a reading'],
      c,
    ),
  ];
}

export function registerGaps(program: Command, deps: ProgramDeps): void {
  program
    .command('gaps')
    .description(
      'hours missing in the raw zone (any hour version, or a day object holding the hour), the curated zone or the ' +
        'table (per station: every station the raw object holds for the hour needs its reading); ' +
        '--fix backfills (once per NSW local date) and reprocesses them',
    )
    .option('--hours <n>', 'the last N complete hours')
    .option('--from <iso>', 'first hour (inclusive, ISO 8601 UTC)')
    .option('--to <iso>', 'end (exclusive, ISO 8601 UTC)')
    .option(
      '--fix',
      'backfill hours missing in raw, then reprocess the newest raw object of each hour missing in curated or the table',
    )
    .option('--concurrency <n>', 'invocations in flight at once', '4')
    .action(
      action(
        deps,
        async (ctx, opts: { hours?: string; from?: string; to?: string; fix?: boolean; concurrency: string }) => {
          const range = hoursFromOptions(opts, ctx.now());
          const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', 32);
          const target = await ctx.target();
          const outcome = await (await loadGapsUseCase()).checkGaps(await ctx.clients(), target, range, {
            fix: Boolean(opts.fix),
            concurrency,
            progress: (total) => ctx.progress(total, 'gaps --fix'),
          });
          const { before, fix, after } = outcome;
          if (!fix || !after) {
            return { data: outcome, lines: renderGaps(ctx.c, before), problem: before.gaps.length > 0 };
          }
          const { c } = ctx;
          const { plan, backfill: backfilled, reprocess: reprocessed } = fix;
          const keys = reprocessed.objects.length;
          const lines = [
            ...renderGaps(c, before),
            '',
            c.bold('fix:'),
            `  backfill: ${plural(plan.backfill.length, 'hour')} (${plural(backfilled.days.length, 'local date')}) → ${backfilled.counts.written} written, ${backfilled.counts.unchanged} unchanged, ` +
              `${backfilled.counts.skipped} skipped, ${backfilled.counts.failed} failed`,
            `  reprocess: ${plural(keys, 'raw object')} → ${reprocessed.counts.processed} processed, ${reprocessed.counts.skipped} skipped, ` +
              `${reprocessed.counts.failed} failed`,
            '',
            c.bold('after:'),
            ...renderGaps(c, after),
          ];
          if (after.missing.raw.length) {
            lines.push(
              '',
              'Hours still missing in raw: the source had nothing for them or ingest failed (see the backfill errors).',
            );
          }
          return { data: outcome, lines, problem: after.gaps.length > 0 };
        },
      ),
    );
}
