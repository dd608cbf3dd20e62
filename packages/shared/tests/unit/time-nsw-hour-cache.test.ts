import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { nswHourToUtc } from '../../src/time';

describe('nswHourToUtc remembered per label', () => {
  it('answers a repeated label the same, per zone', () => {
    const first = nswHourToUtc('2026-11-21', 1, 'Australia/Sydney');
    expect(nswHourToUtc('2026-11-21', 1, 'Australia/Sydney')).toBe(first);
    expect(first).toBe('2026-11-20T13:00:00.000Z');
    expect(nswHourToUtc('2026-11-21', 1, 'Australia/Brisbane')).toBe('2026-11-20T14:00:00.000Z');
  });

  it('throws a ValidationError with the same message every time for a label in the daylight-saving gap', () => {
    const attempt = () => nswHourToUtc('2025-10-05', 3, 'Australia/Sydney');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/daylight-saving gap/);
  });
});
