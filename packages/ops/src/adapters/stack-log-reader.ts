/**
 * The local stack's log file (`stack.log` in its data dir, named in endpoints.json): its own
 * lines `<ISO time> <tag> <level> <message>` and, between them, the handlers' output (Powertools
 * JSON lines and plain text). `pulse logs --local` reads it as `pulse logs` reads CloudWatch.
 */
import { readFile } from 'node:fs/promises';

export interface StackLogEntry {
  at: number;
  /** `ingest`, `etl`, `api`, `stack`, ... (the stack's tag, or the handler's function name) */
  source: string;
  level: string;
  message: string;
}

const STACK_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) (\S+) (info|ok|warn|error) (.*)$/;

/** Parse the file's lines; a plain handler line takes the time of the entry before it. */
export function parseStackLog(text: string): StackLogEntry[] {
  return parseStackLogLines(text).map((l) => l.entry);
}

/** Each non-empty line of the file as written, with what it parses to (a log export copies the lines). */
export function parseStackLogLines(text: string): { line: string; entry: StackLogEntry }[] {
  const entries: { line: string; entry: StackLogEntry }[] = [];
  let lastAt = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const stack = STACK_LINE.exec(line);
    if (stack) {
      lastAt = Date.parse(stack[1] as string);
      entries.push({
        line,
        entry: {
          at: lastAt,
          source: stack[2] as string,
          level: (stack[3] as string).toUpperCase(),
          message: stack[4] as string,
        },
      });
      continue;
    }
    if (line.startsWith('{')) {
      try {
        const json = JSON.parse(line) as {
          level?: string;
          message?: string;
          timestamp?: string;
          function_name?: string;
          service?: string;
          reason?: string;
          error?: { message?: string };
        };
        const at = json.timestamp ? Date.parse(json.timestamp) : lastAt;
        lastAt = Number.isNaN(at) ? lastAt : at;
        const detail = json.reason ?? json.error?.message;
        entries.push({
          line,
          entry: {
            at: lastAt,
            source: json.function_name ?? json.service ?? 'handler',
            level: (json.level ?? 'INFO').toUpperCase(),
            message: `${json.message ?? line}${detail ? `: ${detail}` : ''}`,
          },
        });
        continue;
      } catch {
        // not JSON after all: a plain line
      }
    }
    entries.push({ line, entry: { at: lastAt, source: 'handler', level: 'INFO', message: line } });
  }
  return entries;
}

export interface StackLogFilter {
  since: number;
  /** exclusive; default: no end */
  until?: number;
  /** the stack's tag and the function's deployed name, either matches */
  sources: string[];
  errorsOnly: boolean;
}

export function matchesStackLog(e: StackLogEntry, filter: StackLogFilter): boolean {
  return (
    e.at >= filter.since &&
    (filter.until === undefined || e.at < filter.until) &&
    filter.sources.includes(e.source) &&
    (!filter.errorsOnly || e.level === 'ERROR' || e.level === 'CRITICAL')
  );
}

export function filterStackLog(entries: StackLogEntry[], filter: StackLogFilter): StackLogEntry[] {
  return entries.filter((e) => matchesStackLog(e, filter));
}

export async function readStackLog(path: string): Promise<StackLogEntry[]> {
  return parseStackLog(await readFile(path, 'utf8'));
}

/** The file's lines that match, exactly as the stack wrote them. */
export async function readStackLogLines(path: string, filter: StackLogFilter): Promise<string[]> {
  return parseStackLogLines(await readFile(path, 'utf8'))
    .filter((l) => matchesStackLog(l.entry, filter))
    .map((l) => l.line);
}
