/** Small renderers for human output: ✓/✗ check lines, aligned tables, durations. */
import type { Colors } from './runtime';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export function mark(c: Colors, status: CheckStatus): string {
  switch (status) {
    case 'ok':
      return c.green('✓');
    case 'warn':
      return c.yellow('!');
    case 'fail':
      return c.red('✗');
    default:
      return c.dim('-');
  }
}

export function checkLine(c: Colors, status: CheckStatus, name: string, detail: string, width = 28): string {
  const text = status === 'fail' ? c.red(detail) : status === 'warn' ? c.yellow(detail) : detail;
  return `${mark(c, status)} ${name.padEnd(width)} ${text}`;
}

/** Columns padded to the widest cell (ANSI colour codes are not counted). */
export function table(rows: string[][], header?: string[], c?: Colors): string[] {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  const render = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const lines = rows.map(render);
  if (!header) return lines;
  const head = render(header);
  return [c ? c.bold(head) : head, ...lines];
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** 95 -> "1h 35m", 12 -> "12m", 3000 -> "2d 2h" */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m}m`;
  if (m < 24 * 60) return `${Math.floor(m / 60)}h ${m % 60}m`;
  return `${Math.floor(m / 1440)}d ${Math.floor((m % 1440) / 60)}h`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
