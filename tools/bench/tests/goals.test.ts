/**
 * The speed goals BENCH.md reports: each bounds one figure, and a run meets it or says it did not.
 */
import { describe, expect, it } from 'vitest';
import { checkGoals, type Goal, goalsMarkdown } from '../goals';
import { type Figure, figure } from '../report';

function ms(id: string, value: number, floor: number): Figure {
  return figure({
    id,
    section: 'etl',
    name: id,
    value,
    unit: 'ms',
    floor: { name: 'floor', value: floor },
    better: 'lower',
  });
}

const GOALS: Goal[] = [
  { aim: 'ratio goal', figureId: 'a', bound: { kind: 'ratio', max: 1.6 } },
  { aim: 'value goal', figureId: 'a', bound: { kind: 'value', max: 45 } },
  { aim: 'no regression', figureId: 'b', bound: { kind: 'no-regression', baseline: 2, tolerance: 0.1 } },
  { aim: 'missing figure', figureId: 'c', bound: { kind: 'ratio', max: 2 } },
];

describe('speed goals', () => {
  it('meets a ratio goal at or under its bound and a value goal by the value, not the ratio', () => {
    // Act
    const [ratio, value] = checkGoals([ms('a', 48, 30)], GOALS);
    // Assess
    expect(ratio).toMatchObject({ met: true, measured: 1.6 });
    expect(value).toMatchObject({ met: false, measured: 48 });
  });

  it('allows a figure to move 10 % above its recorded ratio, and no further', () => {
    // Act
    const within = checkGoals([ms('b', 22, 10)], GOALS)[2];
    const beyond = checkGoals([ms('b', 22.1, 10)], GOALS)[2];
    // Assess
    expect(within?.met).toBe(true);
    expect(beyond?.met).toBe(false);
  });

  it('counts a goal whose figure was not measured as not met, and says so in the table', () => {
    // Act
    const results = checkGoals([ms('a', 30, 30)], GOALS);
    const table = goalsMarkdown(results);
    // Assess
    expect(results[3]).toMatchObject({ met: false });
    expect(table).toContain('| missing figure | c | not measured | ≤ 2× floor | **no** |');
    expect(table).toContain('| no regression | b | not measured | ≤ 2.20× (was 2.00×, +10 %) | **no** |');
  });
});
