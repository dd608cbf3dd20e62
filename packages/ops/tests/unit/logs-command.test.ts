/** `pulse logs --local` reads the local stack's log file (a real one, captured from `pnpm start`). */
import { describe, expect, it } from 'vitest';
import { parseStackLog } from '../../src/adapters/stack-log-reader';
import { localStackDir } from '../support/endpoints-dir';
import { runPulse } from '../support/run-pulse';

describe('pulse logs --local', () => {
  const now = Date.parse('2026-11-27T05:40:00Z');

  it('--errors shows the ETL handler error lines with their reason, and exits 1', async () => {
    // Act
    const run = await runPulse(['logs', '--function', 'etl', '--since', '1h', '--errors', '--local'], {
      env: { PULSE_DATA_DIR: localStackDir(true) },
      now,
    });

    // Assess
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/stack\.log \(etl\) since 2026-11-27T04:40:00\.000Z \(errors only\): 3 line\(s\)$/);
    expect(lines[1]).toBe(
      '2026-11-27T05:34:03.738Z ERROR raw object failed; its message returns to the queue: raw object is not JSON: Unterminated string in JSON at position 33',
    );
    expect(lines[3]).toContain('raw object failed for the last time; the queue moves its message to the DLQ');
    expect(run.code).toBe(1);
  });

  it('without --errors shows the stack lines of that function only, newest last, within --since', async () => {
    // Act
    const run = await runPulse(['logs', '--function', 'ingest', '--since', '10m', '--local', '--json'], {
      env: { PULSE_DATA_DIR: localStackDir(true) },
      now,
    });

    // Assess
    const out = run.json<{ lines: { at: string; level: string; message: string }[] }>();
    expect(out.lines.length).toBeGreaterThan(0);
    expect(out.lines.every((l) => Date.parse(l.at) >= now - 600_000)).toBe(true);
    expect(out.lines.at(-1)?.message).toMatch(/^hour \d{4}-\d{2}-\d{2}T\d{2}:00:00Z done: /);
    expect(run.code).toBe(0);
  });

  it('says logs are not available when the stack names no log file', async () => {
    // Act
    const run = await runPulse(['logs', '--function', 'etl', '--local'], {
      env: { PULSE_DATA_DIR: localStackDir(false) },
      now,
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('logs is not available with --local');
  });

  it('gives plain handler lines the time of the line before them', () => {
    // Act
    const entries = parseStackLog('2026-11-27T05:33:13.301Z stack info up\nNo application metrics to publish.\n');

    // Assess
    expect(entries).toEqual([
      { at: Date.parse('2026-11-27T05:33:13.301Z'), source: 'stack', level: 'INFO', message: 'up' },
      {
        at: Date.parse('2026-11-27T05:33:13.301Z'),
        source: 'handler',
        level: 'INFO',
        message: 'No application metrics to publish.',
      },
    ]);
  });
});
