/**
 * The speed goals the bench checks each run against (docs/scale.md models the same pipeline past
 * one machine). A goal bounds one figure's ratio to its floor, or its value, or — for figures that
 * must not regress — its ratio against the one recorded before the speed work (BASELINE_RATIOS).
 */
import { type Figure, formatNumber } from './report';

export type GoalBound =
  | { kind: 'ratio'; max: number }
  | { kind: 'value'; max: number }
  /** at most `tolerance` (0.1 = 10 %) above the ratio recorded in `baseline` */
  | { kind: 'no-regression'; baseline: number; tolerance: number };

export interface Goal {
  /** what people wait for, in a few words */
  aim: string;
  figureId: string;
  bound: GoalBound;
}

export interface GoalResult {
  goal: Goal;
  figure?: Figure;
  /** the measured quantity the bound applies to (a ratio or the value), absent when not measured */
  measured?: number;
  met: boolean;
}

/**
 * Ratios from the BENCH.md run before the speed work (2026-12-02, commit 4ca8892's BENCH.md): the
 * API's latency and the transform's throughput must not move more than 10 % above them.
 */
export const BASELINE_RATIOS: Readonly<Record<string, number>> = {
  'api.c1.p50Ms': 1.69,
  'api.c1.p99Ms': 0.87,
  'api.c8.p50Ms': 1.98,
  'api.c8.p99Ms': 1.48,
  'api.c32.p50Ms': 2.24,
  'api.c32.p99Ms': 2.31,
  'etl.transform.obsPerSec': 2.98,
};

const FUNCTIONS = ['ingest', 'etl', 'api', 'healthCheck'] as const;

export const GOALS: readonly Goal[] = [
  { aim: 'CLI help starts like a native tool', figureId: 'cli.helpMs', bound: { kind: 'ratio', max: 1.6 } },
  { aim: 'CLI health check on the local stack', figureId: 'cli.healthLocalMs', bound: { kind: 'ratio', max: 3 } },
  { aim: 'local stack memory after start', figureId: 'local.rssMb', bound: { kind: 'value', max: 400 } },
  {
    aim: 'local stack memory after a 2-day backfill',
    figureId: 'local.rssAfterBackfillMb',
    bound: { kind: 'value', max: 450 },
  },
  { aim: 'local stack first answered query', figureId: 'local.coldFirstQueryMs', bound: { kind: 'ratio', max: 4 } },
  { aim: 'ETL end to end', figureId: 'etl.endToEnd.stationHoursPerSec', bound: { kind: 'ratio', max: 2 } },
  { aim: 'backfill', figureId: 'backfill.stationHoursPerSec', bound: { kind: 'ratio', max: 3 } },
  { aim: 'table sized to its data', figureId: 'backfill.tableMb', bound: { kind: 'ratio', max: 5 } },
  ...FUNCTIONS.flatMap((fn): Goal[] => [
    { aim: `${fn} cold import vs parse`, figureId: `bundle.${fn}.importMs`, bound: { kind: 'ratio', max: 1.5 } },
    { aim: `${fn} cold import`, figureId: `bundle.${fn}.importMs`, bound: { kind: 'value', max: 45 } },
  ]),
  ...Object.entries(BASELINE_RATIOS).map(
    ([figureId, baseline]): Goal => ({
      aim: figureId.startsWith('api.') ? 'getAirQualityData does not regress' : 'transform does not regress',
      figureId,
      bound: { kind: 'no-regression', baseline, tolerance: 0.1 },
    }),
  ),
];

function limitOf(bound: GoalBound): number {
  return bound.kind === 'no-regression' ? bound.baseline * (1 + bound.tolerance) : bound.max;
}

export function checkGoals(figures: readonly Figure[], goals: readonly Goal[] = GOALS): GoalResult[] {
  return goals.map((goal) => {
    const figure = figures.find((f) => f.id === goal.figureId);
    const measured = goal.bound.kind === 'value' ? figure?.value : figure?.ratio;
    return {
      goal,
      ...(figure ? { figure } : {}),
      ...(measured !== undefined ? { measured } : {}),
      met: measured !== undefined && measured <= limitOf(goal.bound),
    };
  });
}

function describeBound(r: GoalResult): string {
  const b = r.goal.bound;
  if (b.kind === 'ratio') return `≤ ${b.max}× floor`;
  if (b.kind === 'value') return `≤ ${formatNumber(b.max)} ${r.figure?.unit ?? ''}`.trimEnd();
  return `≤ ${limitOf(b).toFixed(2)}× (was ${b.baseline.toFixed(2)}×, +${b.tolerance * 100} %)`;
}

function describeMeasured(r: GoalResult): string {
  if (r.measured === undefined) return 'not measured';
  return r.goal.bound.kind === 'value'
    ? `${formatNumber(r.measured)} ${r.figure?.unit ?? ''}`
    : `${r.measured.toFixed(2)}×`;
}

/** The goals as a Markdown table: each figure beside its goal, and whether this run met it. */
export function goalsMarkdown(results: readonly GoalResult[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  return [
    '| goal | figure | measured | goal bound | met |',
    '|---|---|---:|---|---|',
    ...results.map(
      (r) =>
        `| ${esc(r.goal.aim)} | ${esc(r.figure?.name ?? r.goal.figureId)} | ${describeMeasured(r)} | ${describeBound(r)} | ${r.met ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');
}

/** One line per goal for the terminal. */
export function goalsText(results: readonly GoalResult[]): string {
  return results
    .map(
      (r) =>
        `${r.met ? 'met    ' : 'NOT MET'}  ${r.goal.aim}: ${describeMeasured(r)} (goal ${describeBound(r)}; ${r.goal.figureId})`,
    )
    .join('\n');
}
