/**
 * The local stack's own output: one human line per event (ingest, ETL, DLQ, lifecycle), on the
 * terminal. The handlers keep their structured Powertools logs; this is the operator's view of the
 * pipeline, so it is plain text with a time and a tag, and colour only on a terminal.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
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

/** A log file is rotated once (to `<file>.1`) when a start finds it bigger than this. */
const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

/** Open the stack's log file for appending, rotating a large one first. */
export function openLogFile(path: string): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).size > LOG_ROTATE_BYTES) renameSync(path, `${path}.1`);
  return createWriteStream(path, { flags: 'a' });
}

/** Every line also to a file, plain: `<ISO time> <tag> <level> <message>`. */
export function teeLog(log: StackLog, file: NodeJS.WritableStream): StackLog {
  return {
    line(tag, level, message) {
      file.write(`${new Date().toISOString()} ${tag} ${level} ${message}\n`);
      log.line(tag, level, message);
    },
  };
}
