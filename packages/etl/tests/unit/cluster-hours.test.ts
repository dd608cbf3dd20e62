import { describe, expect, it } from 'vitest';
import { clusterHours } from '../../src/domain/derived-figures';

const H = 3_600_000;

describe('clusterHours', () => {
  it('reads adjacent hours of a batch together and far-apart hours separately', () => {
    const t = Date.parse('2026-03-01T00:00:00Z');
    expect(clusterHours([t + 2 * H, t, t + H, t + 200 * H, t + 48 * H, t + H])).toEqual([
      [t, t + H, t + 2 * H, t + 48 * H],
      [t + 200 * H],
    ]);
  });
});
