/**
 * The benchmark harness at its smallest size (`--size smoke`): one bundle, a few hours, a few
 * stations, a few requests. It checks that the run produces every figure with its floor and the
 * files it writes, never how fast anything was.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCostMarkdown } from '../cost/cost-model';
import { GOALS } from '../goals';
import { renderBenchMarkdown } from '../main';
import type { BenchReport } from '../report';

const ROOT = resolve(import.meta.dirname, '../../..');

function runSmoke(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/bench/main.ts', '--size', 'smoke', '--json'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

const EXPECTED_FIGURES = [
  'bundle.ingest.sizeKb',
  'bundle.ingest.importMs',
  'bundle.ingest.importNoSourceMapsMs',
  'bundle.ingest.externalSdkImportMs',
  'local.coldFirstQueryMs',
  'local.warmFirstQueryMs',
  'local.rssMb',
  'local.rssAfterBackfillMb',
  'cli.helpMs',
  'cli.healthLocalMs',
  'etl.transform.obsPerSec',
  'etl.transformParquet.obsPerSec',
  'etl.endToEnd.stationHoursPerSec',
  ...[1, 8, 32].flatMap((c) => [`api.c${c}.p50Ms`, `api.c${c}.p99Ms`, `api.c${c}.reqPerSec`]),
  'web.bundleGzipKb',
  'web.firstMapRenderMs',
  'web.panelMs',
  'backfill.stationHoursPerSec',
  'backfill.yearMinutes',
  'backfill.tableMb',
  'backfill.tableYearMb',
  'backfill.writeRequestsPerStationHour',
  'backfill.writeUnitsPerStationHour',
  'steady.writeUnitsPerStationHour',
  'cost.monthUsd',
  'cost.perMillionQueriesUsd',
];

describe('pnpm bench --size smoke', () => {
  let report: BenchReport;
  let stderr = '';

  beforeAll(async () => {
    // Prepare / Act: one minimal run of the whole harness, as `pnpm bench` starts it.
    const run = await runSmoke();
    stderr = run.stderr;
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    report = JSON.parse(run.stdout) as BenchReport;
  }, 300_000);

  it('produces every figure, each with a finite value, a floor and the ratio to it', () => {
    // Assess
    const ids = report.figures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(EXPECTED_FIGURES));
    for (const f of report.figures) {
      expect(Number.isFinite(f.value), `${f.id} value`).toBe(true);
      expect(f.floor, `${f.id} floor`).toBeDefined();
      expect(Number.isFinite(f.floor?.value), `${f.id} floor value`).toBe(true);
      expect(f.ratio, `${f.id} ratio`).toBeGreaterThan(0);
    }
  });

  it('measures every figure a speed goal bounds (the smoke run packages only ingest)', () => {
    // Assess
    const produced = new Set(report.figures.map((f) => f.id));
    const unmeasured = GOALS.map((g) => g.figureId).filter(
      (id) => !produced.has(id) && !/^bundle\.(etl|api|healthCheck)\./.test(id),
    );
    expect(unmeasured).toEqual([]);
  });

  it('names the largest overhead and says what causes it', () => {
    expect(report.largestOverhead?.id).toBeTypeOf('string');
    expect(report.largestOverhead?.cause.length).toBeGreaterThan(20);
    const ratios = report.figures.map((f) => f.ratio ?? 0);
    expect(report.largestOverhead?.ratio).toBe(Math.max(...ratios));
    expect(report.topOverheads[0]).toEqual(report.largestOverhead);
  });

  it('prices the month and a million queries from measured counts', () => {
    expect(report.cost.month.map((l) => l.item)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Lambda ingest duration'),
        expect.stringContaining('Lambda ETL duration'),
        expect.stringContaining('DynamoDB writes'),
        expect.stringContaining('S3 PUT'),
        expect.stringContaining('SQS requests'),
      ]),
    );
    const writes = report.cost.month.find((l) => l.item.startsWith('DynamoDB writes'));
    expect(writes?.quantity).toBeGreaterThan(0);
    expect(report.cost.perMillionQueries.find((l) => l.item === 'AppSync queries')?.quantity).toBe(1e6);
  });

  it('says on stderr what it is doing, and keeps stdout for the JSON', () => {
    expect(stderr).toContain('6/6 cost');
  });

  it('renders BENCH.md with the machine and docs/cost.md with its price sources', () => {
    // Act
    const bench = renderBenchMarkdown(report);
    const cost = renderCostMarkdown(report.cost, { generatedAt: '2026-11-27', machine: 'test', command: 'pnpm bench' });
    // Assess
    expect(bench).toContain(`CPUs: ${report.machine.nproc}`);
    expect(bench).toContain(report.machine.cpuModel);
    expect(bench).toContain(`Memory: ${report.machine.memoryGiB} GiB`);
    expect(bench).toContain(`Node: ${report.machine.node}`);
    expect(bench).toContain('| section | figure | value | floor | floor is | ratio |');
    expect(cost).toContain('ap-southeast-2');
    expect(cost).toContain('https://aws.amazon.com/dynamodb/pricing/');
    expect(cost).toMatch(/\| \*\*total\*\* \| \| \| \*\*\$/);
  });
});
