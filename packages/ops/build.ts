/**
 * Builds what users run, into dist/ (gitignored), so no command compiles TypeScript at start:
 * - dist/cli/: the `pulse` CLI (bin/pulse.mjs, `pnpm pulse`, `pnpm start`), one ES module entry with
 *   code splitting, so each command's use cases, the AWS SDK clients and the local stack are
 *   chunks loaded only when a command runs. npm packages stay in node_modules (imported by path);
 *   the workspace's TypeScript is bundled.
 * - dist/functions/<key>.mjs: each Lambda handler the local stack hosts, bundled as deployed (the
 *   service's serverless.yml `custom.esbuild`, the SDK inside), for the stack's function workers.
 * Run by `pnpm install` (this package's `prepare`) and by `pnpm build` after a change to src/.
 * docs/architecture.md ("The pulse CLI") describes the layout.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { parseDocument } from 'yaml';

const ROOT = import.meta.dirname;
const REPO = resolve(ROOT, '../..');
export const DIST_DIR = join(ROOT, 'dist');
export const CLI_DIR = join(DIST_DIR, 'cli');
export const CLI_ENTRY = join(CLI_DIR, 'pulse.mjs');
export const FUNCTIONS_DIR = join(DIST_DIR, 'functions');

/** The hosted functions: key (as packages/local's function specs name them) -> service package. */
const FUNCTIONS = { ingest: 'ingest', etl: 'etl', api: 'api', healthCheck: 'ops' } as const;

/** serverless-esbuild's own keys under custom.esbuild, which esbuild does not take. */
const PLUGIN_ONLY = new Set(['exclude', 'packager', 'outputFileExtension', 'nodeExternals', 'packagerOptions']);

/**
 * Bundled: the workspace's TypeScript, and the AWS SDK with zod, which Node would otherwise load
 * file by file from node_modules (hundreds of small modules: most of `health --local`'s time).
 * Every other npm package stays where pnpm installed it, imported by a path relative to the output
 * (the local stack's servers, graphql-yoga: native or data files stay beside their package).
 */
const BUNDLED = /^(@opendata-pulse|@aws-sdk|@smithy|@aws-crypto|@aws\/|zod(\/|$))/;
const npmPackagesByPath = (outdir: string): Plugin => ({
  name: 'npm-packages-by-path',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || BUNDLED.test(args.path)) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
      if (found.errors.length > 0) return { errors: found.errors };
      const path = relative(outdir, found.path);
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
});

/**
 * Source files find files beside them (the local stack's worker and servers scripts) through
 * import.meta: keep each file's own location rather than the chunk's.
 */
const sourceLocation: Plugin = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const contents = readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

/** The CLI into `outdir` (default dist/cli; tests build a copy elsewhere). */
export async function buildCli(outdir = CLI_DIR): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { pulse: join(ROOT, 'src/cli/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The SDK's ES module builds, as the handlers' bundles take them; `require` for the CommonJS left.
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    sourcemap: true,
    // The local stack's function workers load these bundles instead of the handlers' source.
    define: { 'process.env.PULSE_PREBUILT_FUNCTIONS': JSON.stringify(FUNCTIONS_DIR) },
    plugins: [npmPackagesByPath(outdir), sourceLocation],
    logLevel: 'warning',
  });
}

/** A service's `custom.esbuild` as esbuild options (its plugin-only keys dropped). */
function deployedOptions(service: string): BuildOptions {
  const yml = parseDocument(readFileSync(join(REPO, 'packages', service, 'serverless.yml'), 'utf8'), {
    logLevel: 'silent',
  }).toJS({}) as { custom?: { esbuild?: Record<string, unknown> } };
  const options = Object.fromEntries(
    Object.entries(yml.custom?.esbuild ?? {}).filter(([key]) => !PLUGIN_ONLY.has(key)),
  ) as BuildOptions;
  // serverless-esbuild's `plugins`: a file, relative to the service, exporting esbuild plugins.
  if (typeof options.plugins === 'string') {
    const serviceDir = join(REPO, 'packages', service);
    options.plugins = createRequire(join(serviceDir, 'serverless.yml'))(resolve(serviceDir, options.plugins));
  }
  // This machine's Node, which may be older than the Lambda runtime the service targets.
  return { ...options, target: 'node20' };
}

export async function buildFunctions(): Promise<void> {
  rmSync(FUNCTIONS_DIR, { recursive: true, force: true });
  await Promise.all(
    Object.entries(FUNCTIONS).map(([key, service]) =>
      build({
        ...deployedOptions(service),
        entryPoints: { [key]: join(REPO, 'packages', service, 'src/handler.ts') },
        outdir: FUNCTIONS_DIR,
        outExtension: { '.js': '.mjs' },
        format: 'esm',
        logLevel: 'warning',
      }),
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const t0 = performance.now();
  await Promise.all([buildCli(), buildFunctions()]);
  process.stdout.write(`pulse: built dist/cli and dist/functions in ${Math.round(performance.now() - t0)} ms\n`);
}
