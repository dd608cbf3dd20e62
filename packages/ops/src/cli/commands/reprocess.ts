/** `pulse reprocess`: raw objects sent to the ETL function as a plain S3 event, as the runbook does. */
import { BadRequestError } from '@opendata-pulse/shared/errors';
import { hourOfRawKey } from '@opendata-pulse/shared/keys';
import type { Command } from 'commander';
import { LIVE_ALIAS } from '../../adapters/functions';
import { rawKeysOfDate } from '../../adapters/zones';
import { parsePositiveInt } from '../../domain/hour-range';
import { reprocess } from '../../use-cases/reprocess.use-case';
import { plural, table } from '../format';
import { action, type ProgramDeps } from '../runtime';

export function registerReprocess(program: Command, deps: ProgramDeps): void {
  program
    .command('reprocess')
    .description('send raw objects to the ETL again (a plain S3 event per object); replays are idempotent')
    .option('--date <yyyy-mm-dd>', 'every raw hour of this UTC date')
    .option('--key <key>', 'one raw object key (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--concurrency <n>', 'objects in flight at once', '4')
    .action(
      action(deps, async (ctx, opts: { date?: string; key?: string[]; concurrency: string }) => {
        if (!opts.date === !opts.key) throw new BadRequestError('give either --date YYYY-MM-DD or --key KEY');
        if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
          throw new BadRequestError(`--date "${opts.date}" is not YYYY-MM-DD`);
        }
        const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', 32);
        const target = await ctx.target();
        const { s3, lambda } = await ctx.clients();
        const keys = opts.date ? await rawKeysOfDate(s3, target.rawBucket, opts.date) : (opts.key ?? []);
        for (const key of keys) {
          if (hourOfRawKey(key) === undefined) {
            throw new BadRequestError(`"${key}" is not a raw object key (nsw-air-quality/raw/YYYY/MM/DD/HH.json)`);
          }
        }
        if (keys.length === 0) {
          return {
            data: {
              function: target.functions.etl,
              bucket: target.rawBucket,
              objects: [],
              counts: { processed: 0, skipped: 0, failed: 0 },
            },
            lines: [`${ctx.c.yellow('!')} no raw objects for ${opts.date} in ${target.rawBucket}`],
            problem: true,
          };
        }
        const bar = ctx.progress(keys.length, 'reprocess');
        const summary = await reprocess(
          {
            lambda,
            functionName: target.functions.etl,
            qualifier: LIVE_ALIAS,
            bucket: target.rawBucket,
            region: target.region,
            concurrency,
            onKey: (run) => bar.increment(`${run.key.split('/').slice(-4).join('/')} ${run.outcome}`),
          },
          keys,
        );
        bar.stop();
        const { c } = ctx;
        const { processed, skipped, failed } = summary.counts;
        const lines = [
          `${failed ? c.red('✗') : c.green('✓')} reprocessed ${plural(keys.length, 'raw object')} through ${summary.function}: ` +
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
