/**
 * Builds the dashboard into dist/ (index.html, app.js, app.css) with esbuild: one minified ES
 * module and one stylesheet (Leaflet's, uPlot's and ours). Run by `pnpm install` (this package's
 * `prepare`), and by the local stack at start when `webBundleIsStale()` (a source newer than the
 * bundle): never on the request path. `tsx build.ts` builds by hand.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = import.meta.dirname;
export const WEB_DIST_DIR = join(ROOT, 'dist');
const SRC_DIR = join(ROOT, 'src');
/** What the bundle is made from besides src/: a change to either rebuilds. */
const INPUTS = [SRC_DIR, join(ROOT, 'build.ts'), join(ROOT, 'package.json')];
const OUTPUTS = ['index.html', 'app.js', 'app.css'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/ is missing a file or a source is newer than the oldest output (a cheap mtime walk). */
export function webBundleIsStale(): boolean {
  const outputs = OUTPUTS.map((f) => join(WEB_DIST_DIR, f));
  if (!outputs.every((f) => existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return INPUTS.some((input) => existsSync(input) && newestMtime(input) > built);
}

export interface WebBuild {
  /** bytes per output file, before compression */
  bytes: Record<string, number>;
  ms: number;
}

export async function buildWeb(): Promise<WebBuild> {
  const t0 = performance.now();
  rmSync(WEB_DIST_DIR, { recursive: true, force: true });
  mkdirSync(WEB_DIST_DIR, { recursive: true });
  await build({
    entryPoints: { app: join(SRC_DIR, 'main.ts') },
    outdir: WEB_DIST_DIR,
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    legalComments: 'eof',
    sourcemap: false,
    loader: { '.json': 'json', '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  });
  await build({
    entryPoints: { app: join(SRC_DIR, 'styles/app.css') },
    outdir: WEB_DIST_DIR,
    bundle: true,
    minify: true,
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  });
  copyFileSync(join(SRC_DIR, 'index.html'), join(WEB_DIST_DIR, 'index.html'));
  const bytes = Object.fromEntries(OUTPUTS.map((f) => [f, statSync(join(WEB_DIST_DIR, f)).size]));
  return { bytes, ms: performance.now() - t0 };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const result = await buildWeb();
  const sizes = Object.entries(result.bytes)
    .map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`)
    .join(', ');
  process.stdout.write(`web: built ${WEB_DIST_DIR} (${sizes}) in ${result.ms.toFixed(0)} ms\n`);
}
