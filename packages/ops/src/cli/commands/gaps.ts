/** `pulse gaps --from --to [--fix]`: hours missing in raw, curated or the table, and filling them. */
import type { Command } from 'commander';
import { LIVE_ALIAS } from '../../adapters/functions';
import { rawHoursPresent } from '../../adapters/zones';
import { hoursFromOptions, parsePositiveInt } from '../../domain/hour-range';
import { backfill } from '../../use-cases/backfill.use-case';
import { findGaps, type GapReport, planFix, reprocessKeys } from '../../use-cases/gaps.use-case';
import { reprocess } from '../../use-cases/reprocess.use-case';
import { plural, table } from '../format';
import { action, type Colors, type ProgramDeps } from '../runtime';

function renderGaps(c: Colors, report: GapReport): string[] {
  const { raw, curated, table: tableMissing } = report.missing;
  const head =
    report.gaps.length === 0
      ? `${c.green('✓')} no gaps in ${plural(report.hours, 'hour')} from ${report.from} to ${report.to}`
      : `${c.red('✗')} ${plural(report.gaps.length, 'hour')} of ${report.hours} incomplete: ` +
        `raw ${raw.length} missing, curated ${curated.length} missing, table ${tableMissing.length} missing`;
  if (report.gaps.length === 0) return [head];
  const yes = (present: boolean) => (present ? c.green('✓') : c.red('✗'));
  return [
    head,
    '',
    ...table(
      report.gaps.map((g) => [g.hour, yes(g.raw), yes(g.curated), yes(g.table)]),
      ['hour', 'raw', 'curated', 'table'],
      c,
    ),
  ];
}

export function registerGaps(program: Command, deps: ProgramDeps): void {
  program
    .command('gaps')
    .description('hours missing in the raw zone, the curated zone or the table; --fix backfills and reprocesses them')
    .option('--hours <n>', 'the last N complete hours')
    .option('--from <iso>', 'first hour (inclusive, ISO 8601 UTC)')
    .option('--to <iso>', 'end (exclusive, ISO 8601 UTC)')
    .option('--fix', 'backfill hours missing in raw, then reprocess hours missing in curated or the table')
    .option('--concurrency <n>', 'invocations in flight at once', '4')
    .action(
      action(
        deps,
        async (ctx, opts: { hours?: string; from?: string; to?: string; fix?: boolean; concurrency: string }) => {
          const range = hoursFromOptions(opts, ctx.now());
          const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', 32);
          const target = await ctx.target();
          const { s3, dynamo, lambda } = await ctx.clients();
          const gapDeps = {
            s3,
            dynamo,
            rawBucket: target.rawBucket,
            curatedBucket: target.curatedBucket,
            table: target.table,
          };
          const before = await findGaps(gapDeps, range.from, range.to, range.hours);
          if (!opts.fix || before.gaps.length === 0) {
            return { data: { before }, lines: renderGaps(ctx.c, before), problem: before.gaps.length > 0 };
          }

          const plan = planFix(before);
          const bar = ctx.progress(plan.backfill.length + plan.reprocess.length, 'gaps --fix');
          const backfilled = await backfill(
            {
              lambda,
              functionName: target.functions.ingest,
              qualifier: LIVE_ALIAS,
              concurrency,
              onHour: (run) => bar.increment(`backfill ${run.hour} ${run.outcome}`),
            },
            plan.backfill,
          );
          const rawNow = await rawHoursPresent(s3, target.rawBucket, range.from, range.to);
          const keys = reprocessKeys(plan, rawNow);
          bar.setTotal(plan.backfill.length + keys.length);
          const reprocessed = await reprocess(
            {
              lambda,
              functionName: target.functions.etl,
              qualifier: LIVE_ALIAS,
              bucket: target.rawBucket,
              region: target.region,
              concurrency,
              onKey: (run) => bar.increment(`reprocess ${run.key.split('/').slice(-4).join('/')} ${run.outcome}`),
            },
            keys,
          );
          bar.stop();
          const after = await findGaps(gapDeps, range.from, range.to, range.hours);
          const { c } = ctx;
          const lines = [
            ...renderGaps(c, before),
            '',
            c.bold('fix:'),
            `  backfill: ${plural(plan.backfill.length, 'hour')} → ${backfilled.counts.written} written, ${backfilled.counts.unchanged} unchanged, ` +
              `${backfilled.counts.skipped} skipped, ${backfilled.counts.failed} failed`,
            `  reprocess: ${plural(keys.length, 'raw object')} → ${reprocessed.counts.processed} processed, ${reprocessed.counts.skipped} skipped, ` +
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
          return {
            data: { before, fix: { plan, backfill: backfilled, reprocess: reprocessed }, after },
            lines,
            problem: after.gaps.length > 0,
          };
        },
      ),
    );
}
