/**
 * `pnpm bench [--json] [--size full|smoke] [--no-write]` (`pnpm -s bench --json` for clean JSON on stdout)
 *
 * Runs every benchmark once on the local stack and prints one table: each figure beside the floor
 * it cannot beat and the ratio between them (or the whole report as JSON with --json). A full run
 * also rewrites BENCH.md (the last results and the machine) and docs/cost.md (the cost tables).
 * Progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, SMOKE } from './config';
import { renderCostMarkdown } from './cost/cost-model';
import { checkGoals, goalsMarkdown, goalsText } from './goals';
import { runBench } from './harness';
import { describeMachine } from './machine';
import { type BenchReport, formatNumber, formatReport, markdownTable } from './report';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMAND = 'pnpm bench';

export function renderBenchMarkdown(report: BenchReport): string {
  const m = report.machine;
  const o = report.largestOverhead;
  return [
    '# Benchmarks',
    '',
    `The last \`${COMMAND}\` run, written by the bench itself (do not edit by hand; run it again). ` +
      'Every figure sits beside the floor beneath it — what the same work costs with nothing of ours on top — and the ratio (how many times worse than the floor; 1× is the floor).',
    '',
    '## Machine',
    '',
    `- CPUs: ${m.nproc} (\`nproc\`), ${m.cpuModel}`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node}`,
    `- OS: ${m.os}`,
    `- Run: ${report.startedAt}, ${report.durationSeconds.toFixed(0)} s in all`,
    '',
    '## Results',
    '',
    markdownTable(report.figures),
    '',
    '## Goals',
    '',
    'Each speed goal beside the figure it bounds, from the run above: a ratio to the floor, a value, or (for figures that must not get slower) the ratio recorded before the speed work. How the same pipeline would fare past one machine: [docs/scale.md](docs/scale.md).',
    '',
    goalsMarkdown(checkGoals(report.figures)),
    '',
    ...(o ? [`**Largest overhead:** ${o.name} at ${o.ratio.toFixed(1)}× its floor — ${o.cause}.`, ''] : []),
    ...report.topOverheads.slice(1).map((x) => `- Next: ${x.name} at ${x.ratio.toFixed(1)}× — ${x.cause}.`),
    '',
    `Cost: ${formatNumber(report.cost.monthUsd)} USD a month for the pipeline with ${report.cost.stations} stations, ` +
      `${formatNumber(report.cost.perMillionQueriesUsd)} USD per million API queries (tables and sources in [docs/cost.md](docs/cost.md)).`,
    '',
    '## How each figure was measured',
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
    '## Run it',
    '',
    '```sh',
    `${COMMAND}            # the table; rewrites BENCH.md and docs/cost.md`,
    `pnpm -s bench --json  # the same run as JSON on stdout (-s: without pnpm's own header line)`,
    '```',
    '',
    `Sizes: ${Object.entries(report.size)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : v}`)
      .join('; ')}.`,
    '',
  ].join('\n');
}

export function writeResults(report: BenchReport, root = ROOT): string[] {
  const bench = join(root, 'BENCH.md');
  const cost = join(root, 'docs/cost.md');
  writeFileSync(bench, renderBenchMarkdown(report));
  writeFileSync(
    cost,
    renderCostMarkdown(report.cost, {
      generatedAt: report.startedAt.slice(0, 10),
      machine: describeMachine(report.machine),
      command: COMMAND,
    }),
  );
  formatWithBiome([bench, cost], root);
  return [bench, cost];
}

/** The repo's formatter checks Markdown too (`pnpm test` runs biome check): lay the tables out its way. */
function formatWithBiome(files: readonly string[], root: string): void {
  const biome = join(root, 'node_modules/.bin/biome');
  if (!existsSync(biome)) {
    process.stderr.write('biome is not installed: BENCH.md and docs/cost.md were written unformatted\n');
    return;
  }
  const r = spawnSync(biome, ['format', '--write', ...files], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`biome format failed on the results: ${r.stderr || r.stdout}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      size: { type: 'string', default: 'full' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  if (values.size !== 'full' && values.size !== 'smoke')
    throw new Error(`--size must be full or smoke, not ${values.size}`);
  // The SDK's notice about Node 22 would interleave with the table; this repo supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const size = values.size === 'full' ? FULL : SMOKE;
  const report = await runBench(size, (line) => process.stderr.write(`${line}\n`));
  const goals = checkGoals(report.figures);
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ ...report, goals }, null, 2)}\n`
      : `${formatReport(report)}Goals:\n${goalsText(goals)}\n`,
  );
  if (size.name === 'full' && !values['no-write']) {
    for (const file of writeResults(report)) process.stderr.write(`wrote ${file}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
