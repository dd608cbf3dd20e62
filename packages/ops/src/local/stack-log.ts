/**
 * The local stack's own output: one human line per event (ingest, ETL, DLQ, lifecycle), on the
 * terminal. The handlers keep their structured Powertools logs; this is the operator's view of the
 * pipeline, so it is plain text with a time and a tag, and colour only on a terminal.
 */
import pc from 'picocolors';

export type StackLogLevel = 'info' | 'ok' | 'warn' | 'error';

export interface StackLogLine {
  at: Date;
  tag: string;
  level: StackLogLevel;
  message: string;
}

export interface StackLog {
  line(tag: string, level: StackLogLevel, message: string): void;
}

const TAG_WIDTH = 7;

/** Lines to a stream (stderr by default, so stdout carries only the banner and the summary). */
export function terminalLog(stream: NodeJS.WritableStream = process.stderr, colour = pc.isColorSupported): StackLog {
  const paint = pc.createColors(colour);
  const levelColour: Record<StackLogLevel, (s: string) => string> = {
    info: (s) => s,
    ok: paint.green,
    warn: paint.yellow,
    error: paint.red,
  };
  return {
    line(tag, level, message) {
      const time = new Date().toTimeString().slice(0, 8);
      stream.write(`${paint.dim(time)} ${paint.cyan(tag.padEnd(TAG_WIDTH))} ${levelColour[level](message)}\n`);
    },
  };
}

/** Keeps lines in memory (tests, benchmarks) and optionally passes them on. */
export function memoryLog(next?: StackLog): StackLog & { lines: StackLogLine[] } {
  const lines: StackLogLine[] = [];
  return {
    lines,
    line(tag, level, message) {
      lines.push({ at: new Date(), tag, level, message });
      next?.line(tag, level, message);
    },
  };
}

export const silentLog: StackLog = { line: () => {} };

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
