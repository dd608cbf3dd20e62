/**
 * Readable stack traces for a minified Lambda bundle without `--enable-source-maps`: that flag makes
 * Node read and parse the whole source map (over 1 MB) while the bundle loads, on every cold start.
 * Here the map beside the bundle is read only when a stack trace is first formatted, and each
 * frame is mapped back to its TypeScript source (docs/DEPLOY.md, "Source maps and cold starts").
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';
import { fileURLToPath } from 'node:url';

type CallSite = NodeJS.CallSite;

const maps = new Map<string, SourceMap | null>();

function mapFor(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null; // no readable map: the frame stays as it ran
    }
    maps.set(file, map);
  }
  return map;
}

function fileOf(site: CallSite): string | undefined {
  const name = site.getFileName() ?? undefined;
  return name?.startsWith('file://') ? fileURLToPath(name) : name;
}

/** Node's SourceMap entries carry the source name too (not in every @types/node release). */
type Entry = SourceMapping & { name?: string };

function entryAt(site: CallSite | undefined, bundle: string): Entry | undefined {
  if (!site || fileOf(site) !== bundle) return undefined;
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  const entry = line && column ? mapFor(bundle)?.findEntry(line - 1, column - 1) : undefined;
  // an empty object where the map has nothing for the position
  return entry && 'originalSource' in entry ? (entry as Entry) : undefined;
}

/**
 * One frame as V8 writes it, at its source position when it ran in `bundle`. A minified frame's
 * function name is a short alias: the source name is the one its caller's call site maps to.
 */
function frame(site: CallSite, caller: CallSite | undefined, bundle: string): string {
  const entry = entryAt(site, bundle);
  if (!entry) return `    at ${site}`;
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  const where = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = entryAt(caller, bundle)?.name ?? site.getFunctionName();
  const async = site.isAsync() ? 'async ' : '';
  return name ? `    at ${async}${name} (${where})` : `    at ${async}${where}`;
}

/**
 * Maps the frames of `moduleUrl` (a handler's `import.meta.url`) in every stack trace, when that
 * module is a bundle with a `.map` beside it and Node is not mapping stack traces itself (tests,
 * tsx and `--enable-source-maps` keep theirs). Costs one file check at load.
 */
export function mapBundleStackTraces(moduleUrl: string): boolean {
  if (process.sourceMapsEnabled || !moduleUrl.startsWith('file:')) return false;
  const bundle = fileURLToPath(moduleUrl);
  if (!existsSync(`${bundle}.map`)) return false;
  Error.prepareStackTrace = (error, sites) => {
    const head = (() => {
      try {
        return String(error);
      } catch {
        return '<error>';
      }
    })();
    return [head, ...sites.map((site, i) => frame(site, sites[i + 1], bundle))].join('\n');
  };
  return true;
}
