/**
 * What a run produces: figures, each beside the floor beneath it and the ratio between them, plus
 * the notes a reader needs to trust them. Printed as a table (or JSON) and kept in BENCH.md.
 */
import type { CostReport } from './cost/cost-model';
import { describeMachine, type MachineInfo } from './machine';

export type Section = 'cold start' | 'local stack' | 'cli' | 'etl' | 'api' | 'web' | 'backfill' | 'cost';

export interface Floor {
  name: string;
  value: number;
}

export interface Figure {
  /** stable key, e.g. `bundle.ingest.import.ms` (the smoke test checks these) */
  id: string;
  section: Section;
  name: string;
  value: number;
  unit: string;
  /** what the figure is measured against; absent only where nothing sits beneath it */
  floor?: Floor;
  /** `lower`: a cost (ms, KB); `higher`: a rate (per second) */
  better: 'lower' | 'higher';
  /** times worse than the floor (>= 1 means overhead): value/floor for costs, floor/value for rates */
  ratio?: number;
  note?: string;
}

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  const ratio =
    f.floor && f.floor.value > 0 && f.value > 0
      ? f.better === 'lower'
        ? f.value / f.floor.value
        : f.floor.value / f.value
      : undefined;
  return { ...f, ...(ratio !== undefined ? { ratio } : {}) };
}

export interface Overhead {
  id: string;
  name: string;
  ratio: number;
  cause: string;
}

export interface BenchReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  /** the sizes this run used (full `pnpm bench`, or the smoke test's minimal ones) */
  size: Record<string, number | string | string[]>;
  figures: Figure[];
  /** how each section was measured, extrapolations, what could not be measured */
  notes: string[];
  cost: CostReport;
  /** the figure furthest above its floor */
  largestOverhead?: Overhead;
  /** the largest few, one per cause */
  topOverheads: Overhead[];
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-AU');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The human table: one line per figure, floor and ratio beside it. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.floor ? `${formatNumber(f.floor.value)} ${f.unit}` : '—',
    f.floor ? f.floor.name : '',
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '—',
  ]);
  const head = ['section', 'figure', 'value', 'floor', 'floor is', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i] ?? 0, i === 2 || i === 3 || i === 5)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** The same table in Markdown. */
export function markdownTable(figures: readonly Figure[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const lines = [
    '| section | figure | value | floor | floor is | ratio |',
    '|---|---|---:|---:|---|---:|',
    ...figures.map(
      (f) =>
        `| ${f.section} | ${esc(f.name)} | ${formatNumber(f.value)} ${f.unit} | ${
          f.floor ? `${formatNumber(f.floor.value)} ${f.unit}` : '—'
        } | ${f.floor ? esc(f.floor.name) : ''} | ${f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '—'} |`,
    ),
  ];
  return lines.join('\n');
}

export function formatReport(report: BenchReport): string {
  const parts = [
    `OpenData Pulse benchmarks — ${describeMachine(report.machine)}`,
    `run ${report.startedAt}, ${report.durationSeconds.toFixed(0)} s`,
    '',
    formatTable(report.figures),
    '',
  ];
  for (const [i, o] of report.topOverheads.entries()) {
    parts.push(`${i === 0 ? 'Largest overhead' : 'Next'}: ${o.name} at ${o.ratio.toFixed(1)}× its floor — ${o.cause}`);
  }
  parts.push('');
  parts.push('Notes:', ...report.notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}
