/** `pulse test-ingest` and `pulse backfill`: the ingest function invoked as the runbook does, never re-implemented. */

import { toHourIso } from '@opendata-pulse/shared/time';
import type { Command } from 'commander';
import { LIVE_ALIAS } from '../../deployment/deployment';
import { hoursFromOptions, parsePositiveInt } from '../../domain/hour-range';
import type { DayRun } from '../../use-cases/backfill.use-case';
import type { TestRunAnswer } from '../../use-cases/test-ingest.use-case';
import { formatMs, plural, table } from '../format';
import { action, type ProgramDeps } from '../runtime';

// Use cases and their AWS clients load when the command runs, not for `--help` (docs/architecture.md).
const loadSourceTimeZone = () => import('../../adapters/source-time-zone');
const loadBackfillUseCase = () => import('../../use-cases/backfill.use-case');
const loadTestIngestUseCase = () => import('../../use-cases/test-ingest.use-case');

function registerTestIngest(program: Command, deps: ProgramDeps): void {
  program
    .command('test-ingest')
    .description('invoke ingest with {"test": true}: reaches NSW and S3, writes nothing, reports what it found')
    .action(
      action(deps, async (ctx) => {
        const target = await ctx.target();
        const outcome = await (await loadTestIngestUseCase()).testIngest(await ctx.clients(), target.functions.ingest);
        const { c } = ctx;
        if (!outcome.ok) {
          return {
            data: { function: target.functions.ingest, ok: false, error: outcome },
            lines: [`${c.red('✗')} ${target.functions.ingest} failed: ${outcome.errorType}: ${outcome.errorMessage}`],
            problem: true,
          };
        }
        const r = (outcome.payload ?? {}) as TestRunAnswer;
        if (r.skipped) {
          return {
            data: { function: target.functions.ingest, ok: false, result: r },
            lines: [`${c.yellow('!')} ${target.functions.ingest} took no work: ${r.skipped} (circuit breaker on)`],
            problem: true,
          };
        }
        const lines = [
          `${r.reachable ? c.green('✓') : c.red('✗')} NSW source ${r.reachable ? 'reachable' : `NOT usable: ${r.error ?? 'unknown'}`}`,
          `  records in the current snapshot: ${r.recordCount ?? 0}`,
          `  NSW latency: ${formatMs(r.latencyMs ?? 0)}; invocation ${formatMs(outcome.durationMs)}`,
          ...(r.wouldWriteKey
            ? [`  a scheduled run now would write ${r.wouldWriteKey}${r.alreadyStored ? ' (already stored)' : ''}`]
            : []),
          `  nothing was written (test mode)`,
        ];
        return {
          data: { function: target.functions.ingest, ok: r.reachable === true, result: r },
          lines,
          problem: !r.reachable,
        };
      }),
    );
}

function registerBackfill(program: Command, deps: ProgramDeps): void {
  program
    .command('backfill')
    .description(
      'invoke ingest once per NSW local date the hours touch (NSW answers whole days; each day is stored once); safe to re-run',
    )
    .option('--hours <n>', 'the last N complete hours')
    .option('--from <iso>', 'first hour (inclusive, ISO 8601 UTC)')
    .option('--to <iso>', 'end (exclusive, ISO 8601 UTC)')
    .option('--concurrency <n>', 'local dates in flight at once', '4')
    .option('--dry-run', 'list the local dates and hours without invoking anything')
    .action(
      action(
        deps,
        async (ctx, opts: { hours?: string; from?: string; to?: string; concurrency: string; dryRun?: boolean }) => {
          const range = hoursFromOptions(opts, ctx.now());
          const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', 32);
          const target = await ctx.target();
          const { lambda } = await ctx.clients();
          const timeZone = await (await loadSourceTimeZone()).sourceTimeZone(lambda, target);
          const { planBackfillDays } = await import('@opendata-pulse/shared/raw');
          const hourList = range.hours.map((h) => toHourIso(h));
          if (opts.dryRun) {
            const days = planBackfillDays(range.hours, timeZone).map((d) => ({
              date: d.date,
              hour: toHourIso(d.hour),
              hours: d.hours.map((h) => toHourIso(h)),
            }));
            return {
              data: { function: target.functions.ingest, dryRun: true, timeZone, hours: hourList, days },
              lines: [
                `would invoke ${target.functions.ingest} ${plural(days.length, 'time')} (one per ${timeZone} date) ` +
                  `for ${plural(hourList.length, 'hour')}:`,
                ...days.map((d) => `  ${d.date}  with ${d.hour}  (${plural(d.hours.length, 'requested hour')})`),
              ],
            };
          }
          const plan = planBackfillDays(range.hours, timeZone);
          const bar = ctx.progress(plan.length, 'backfill');
          const summary = await (await loadBackfillUseCase()).backfill(
            {
              lambda,
              functionName: target.functions.ingest,
              qualifier: LIVE_ALIAS,
              timeZone,
              concurrency,
              onDay: (run: DayRun) => bar.increment(`${run.date} ${run.outcome}`),
            },
            range.hours,
          );
          bar.stop();
          const { c } = ctx;
          const { written, unchanged, skipped, failed } = summary.counts;
          const bad = summary.hours.filter((h) => h.outcome === 'failed' || h.outcome === 'skipped');
          const lines = [
            `${failed + skipped ? c.red('✗') : c.green('✓')} backfill of ${plural(summary.hours.length, 'hour')} ` +
              `(${plural(summary.days.length, 'local date')}) through ${summary.function}: ` +
              `${written} written, ${unchanged} unchanged, ${skipped} skipped, ${failed} failed`,
          ];
          if (bad.length) {
            lines.push(
              '',
              ...table(
                bad.map((h) => [h.hour, h.outcome, h.error ?? '']),
                ['hour', 'outcome', 'error'],
                c,
              ),
            );
            lines.push(
              '',
              `re-run: pulse backfill --from ${bad[0]?.hour} --to <end>  (stored days are kept; re-runs are safe)`,
            );
          }
          return { data: summary, lines, problem: failed + skipped > 0 };
        },
      ),
    );
}

export function registerIngest(program: Command, deps: ProgramDeps): void {
  registerTestIngest(program, deps);
  registerBackfill(program, deps);
}
