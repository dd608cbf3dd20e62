/**
 * Cold start: each Lambda bundle as packaged (minified), its size, and the time a fresh Node
 * process takes to import it minus an empty Node process (median of N, all variants interleaved
 * round by round so drift hits them alike). Beside it:
 * - size floor: the same bundle with the AWS SDK left to the runtime (`@aws-sdk/*` external),
 *   built with esbuild directly from the service's own serverless-esbuild options;
 * - import floor: parsing the same bytes without running them (`node --check`), minus the same
 *   on an empty module.
 * The SDK-external variant is also imported (the SDK then loads from node_modules, unbundled, as
 * the Lambda runtime's copy would), and the packaged bundle is imported with and without the
 * function's `NODE_OPTIONS` (`--enable-source-maps` makes Node read the source map at load).
 *
 * Packaging reuses the deploy tools (`tools/deploy/package.ts`, `pnpm package`): `sls package`
 * per service, offline. A service without a serverless.yml yet, or a run with packaging off (the
 * smoke test), is built with esbuild from the options its serverless.yml (or the other services')
 * gives serverless-esbuild, and says so.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageServices } from '@opendata-pulse/deploy-tools/package';
import { SERVICES, type ServiceId } from '@opendata-pulse/deploy-tools/services';
import { LOCAL_FUNCTION_SPECS } from '@opendata-pulse/local/lambda';
import { type BuildOptions, build } from 'esbuild';
import { parseDocument } from 'yaml';
import { type Figure, figure } from '../report';
import { median } from '../stats';
import { readZip } from '../zip';
import { type BundleComposition, bundleComposition, formatComposition, sdkShareOf } from './bundle-composition';

export const ROOT = resolve(import.meta.dirname, '../../..');
const IMPORT_ONCE = join(import.meta.dirname, '../support/import-once.mjs');
const PACKAGE_OUT = '.build/bench/templates';

export interface BundlesOptions {
  services: readonly ServiceId[];
  /** cold imports per variant (the median is reported) */
  importRuns: number;
  /** package with `sls package` (false: esbuild with the same options only) */
  packageWithSls: boolean;
  log?: (line: string) => void;
}

export interface FunctionBundle {
  service: ServiceId;
  function: string;
  /** how the measured bundle was made */
  source: 'sls package' | 'esbuild (same options)';
  sourceNote?: string;
  memoryMb: number;
  memoryAssumed: boolean;
  architecture: string;
  sdkBundled: boolean;
  sizeKb: number;
  zipKb?: number;
  sourceMapKb: number;
  externalSdkSizeKb: number;
  /** share of the packaged bundle's bytes that is the AWS SDK and its @smithy/@aws-crypto parts */
  sdkShare: number;
  /** which modules weigh what (esbuild's metafile, grouped by package) */
  composition: BundleComposition;
  importMs: number;
  importNoSourceMapsMs: number;
  externalSdkImportMs: number;
  parseMs: number;
  externalParseMs: number;
  nodeOptions: string;
}

export interface BundlesResult {
  bundles: FunctionBundle[];
  figures: Figure[];
  notes: string[];
}

interface ServiceConfig {
  esbuild: Record<string, unknown>;
  functions: Array<{ name: string; handler: string; memoryMb?: number; environment: Record<string, string> }>;
  providerMemoryMb?: number;
  architecture: string;
  environment: Record<string, string>;
}

/** Fallback entries for services that have no serverless.yml yet. */
const FALLBACK_FUNCTIONS: Record<ServiceId, Array<{ name: string; handler: string }>> = {
  ingest: [{ name: 'ingest', handler: 'src/handler.handler' }],
  etl: [{ name: 'etl', handler: 'src/handler.handler' }],
  api: [{ name: 'api', handler: 'src/handler.handler' }],
  ops: [{ name: 'healthCheck', handler: 'src/handler.handler' }],
  // deploy-time only (the site upload), not bundled: nothing to measure
  web: [],
};

/** What serverless-esbuild merges under custom.esbuild (its defaults) and removes before esbuild. */
const PLUGIN_DEFAULTS = {
  bundle: true,
  target: 'node18',
  external: [] as string[],
  exclude: ['aws-sdk'],
  platform: 'node',
  outputFileExtension: '.js',
};
const PLUGIN_ONLY_KEYS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
];

const stringsOnly = (o: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((o ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;

function fromState(stateFile: string): ServiceConfig {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    service: {
      custom?: { esbuild?: Record<string, unknown> };
      functions: Record<string, { handler: string; memory?: number; memorySize?: number; environment?: unknown }>;
      provider: { memorySize?: number; architecture?: string; environment?: unknown };
    };
  };
  const s = state.service;
  return {
    esbuild: s.custom?.esbuild ?? {},
    functions: Object.entries(s.functions).map(([name, f]) => ({
      name,
      handler: f.handler,
      memoryMb: f.memory ?? f.memorySize ?? s.provider.memorySize,
      environment: stringsOnly(f.environment),
    })),
    providerMemoryMb: s.provider.memorySize,
    architecture: s.provider.architecture ?? 'x86_64',
    environment: stringsOnly(s.provider.environment),
  };
}

/** custom.esbuild, memory and environment from a serverless.yml (CloudFormation tags left unresolved). */
function fromServerlessYml(file: string): ServiceConfig {
  const doc = parseDocument(readFileSync(file, 'utf8'), { logLevel: 'silent' }).toJS({}) as {
    custom?: { esbuild?: Record<string, unknown> };
    functions?: Record<string, { handler: string; memorySize?: number; environment?: unknown }>;
    provider?: { memorySize?: number; architecture?: string; environment?: unknown };
  };
  const literal = (n: unknown) => (typeof n === 'number' ? n : undefined);
  return {
    esbuild: doc.custom?.esbuild ?? {},
    functions: Object.entries(doc.functions ?? {}).map(([name, f]) => ({
      name,
      handler: f.handler,
      memoryMb: literal(f.memorySize) ?? literal(doc.provider?.memorySize),
      environment: stringsOnly(f.environment),
    })),
    providerMemoryMb: literal(doc.provider?.memorySize),
    architecture: doc.provider?.architecture ?? 'x86_64',
    environment: stringsOnly(doc.provider?.environment),
  };
}

function esbuildOptions(custom: Record<string, unknown>, external: readonly string[] = []) {
  const merged = { ...PLUGIN_DEFAULTS, ...custom } as Record<string, unknown>;
  const exclude = (merged.exclude as string[] | undefined) ?? [];
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged)) if (!PLUGIN_ONLY_KEYS.includes(k)) options[k] = v;
  options.external = [...((merged.external as string[]) ?? []), ...(exclude.includes('*') ? [] : exclude), ...external];
  const ext = String(merged.outputFileExtension ?? '.js');
  if (ext !== '.js') options.outExtension = { '.js': ext };
  return { options: options as BuildOptions, extension: ext, external: options.external as string[] };
}

function entryFile(serviceDir: string, handler: string): string {
  const module = handler.slice(0, handler.lastIndexOf('.'));
  for (const ext of ['.ts', '.mts', '.js', '.mjs']) {
    if (existsSync(join(serviceDir, module + ext))) return module + ext;
  }
  throw new Error(`no source for handler ${handler} in ${serviceDir}`);
}

async function esbuildBundle(
  serviceDir: string,
  entry: string,
  custom: Record<string, unknown>,
  outRoot: string,
  external: string[] = [],
) {
  const { options, extension } = esbuildOptions(custom, external);
  // serverless-esbuild's `plugins`: a file, relative to the service, exporting esbuild plugins.
  if (typeof options.plugins === 'string') {
    options.plugins = createRequire(join(serviceDir, 'serverless.yml'))(resolve(serviceDir, options.plugins));
  }
  const outdir = join(outRoot, dirname(entry));
  rmSync(outRoot, { recursive: true, force: true });
  const result = await build({
    ...options,
    absWorkingDir: serviceDir,
    entryPoints: [entry],
    outdir,
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  const file = join(outdir, basename(entry).replace(/\.[^.]+$/, extension));
  return { file, metafile: result.metafile };
}

const kb = (bytes: number) => bytes / 1024;

/**
 * A folder whose node_modules links every `@aws-sdk/*` package installed in the workspace (pnpm
 * keeps each package's dependencies private, and a bundle with the SDK external imports all the
 * clients shared/aws names, used or not — as it would from the Lambda runtime, which has them all).
 */
function runtimeSdkDir(dir: string): string {
  const scope = join(dir, 'node_modules/@aws-sdk');
  mkdirSync(scope, { recursive: true });
  for (const svc of SERVICES) {
    const installed = join(ROOT, svc.dir, 'node_modules/@aws-sdk');
    if (!existsSync(installed)) continue;
    for (const name of readdirSync(installed)) {
      const link = join(scope, name);
      if (!existsSync(link)) symlinkSync(realpathSync(join(installed, name)), link, 'dir');
    }
  }
  return dir;
}

interface Target {
  id: string;
  args: string[];
  nodeOptions: string;
  env: Record<string, string>;
}

/** A clean environment for the child: nothing of this process's loaders (tsx) or AWS identity. */
function childEnv(extra: Record<string, string>, nodeOptions: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    AWS_REGION: 'ap-southeast-2',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
    NODE_OPTIONS: nodeOptions,
  };
}

function runOnce(target: Target): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, target.args, {
    env: childEnv(target.env, target.nodeOptions),
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    throw new Error(
      `${target.id}: node ${target.args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 600)}`,
    );
  }
  return ms;
}

/** Medians of interleaved runs, one round at a time over every target. */
function timeAll(targets: readonly Target[], runs: number): Map<string, number> {
  const samples = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  for (const t of targets) runOnce(t); // first touch: file cache, not measured
  for (let round = 0; round < runs; round++) {
    for (const t of targets) samples.get(t.id)?.push(runOnce(t));
  }
  return new Map([...samples].map(([id, values]) => [id, median(values)]));
}

interface Prepared {
  bundle: Omit<
    FunctionBundle,
    'importMs' | 'importNoSourceMapsMs' | 'externalSdkImportMs' | 'parseMs' | 'externalParseMs'
  >;
  packagedFile: string;
  externalFile: string;
  env: Record<string, string>;
}

export async function measureBundles(options: BundlesOptions): Promise<BundlesResult> {
  // Per run, so a smoke test and a full run never share one.
  const work = mkdtempSync(join(tmpdir(), 'pulse-bench-bundles-'));
  try {
    return await measureIn(work, options);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureIn(work: string, options: BundlesOptions): Promise<BundlesResult> {
  const log = options.log ?? (() => {});
  const notes: string[] = [];

  // 1. Package what can be packaged, with the deploy tools.
  const withYml = options.services.filter((id) => existsSync(join(ROOT, `packages/${id}/serverless.yml`)));
  const packaged = new Set<ServiceId>();
  if (options.packageWithSls && withYml.length) {
    log(`packaging ${withYml.join(', ')} with sls package (tools/deploy)`);
    for (const id of withYml) {
      try {
        await packageServices({ stage: 'prod', services: [id], out: PACKAGE_OUT, compose: false });
        packaged.add(id);
      } catch (error) {
        notes.push(
          `${id}: sls package failed, measured the esbuild build instead: ${(error as Error).message.split('\n')[0]}`,
        );
      }
    }
  }
  // Options for services without a serverless.yml: those the other services give serverless-esbuild.
  const reference = withYml[0] ?? SERVICES.find((s) => existsSync(join(ROOT, s.dir, 'serverless.yml')))?.id;
  const referenceConfig = reference ? fromServerlessYml(join(ROOT, `packages/${reference}/serverless.yml`)) : undefined;

  const sdkRuntime = runtimeSdkDir(join(work, 'runtime'));
  const prepared: Prepared[] = [];
  for (const id of options.services) {
    const serviceDir = join(ROOT, `packages/${id}`);
    const workDir = join(ROOT, `${PACKAGE_OUT}-work`, id);
    let config: ServiceConfig;
    let sourceNote: string | undefined;
    if (packaged.has(id)) config = fromState(join(workDir, 'serverless-state.json'));
    else if (withYml.includes(id)) {
      config = fromServerlessYml(join(serviceDir, 'serverless.yml'));
      sourceNote = options.packageWithSls ? 'packaging failed' : 'packaging off for this run';
    } else {
      if (!referenceConfig) throw new Error('no service has a serverless.yml to take esbuild options from');
      config = { ...referenceConfig, functions: FALLBACK_FUNCTIONS[id].map((f) => ({ ...f, environment: {} })) };
      sourceNote = `no packages/${id}/serverless.yml yet: esbuild with packages/${reference}'s options`;
    }
    for (const fn of config.functions) {
      const entry = entryFile(serviceDir, fn.handler);
      const fnWork = join(work, `${id}-${fn.name}`);
      let packagedFile: string;
      let zipKb: number | undefined;
      const sameOptions = await esbuildBundle(serviceDir, entry, config.esbuild, join(fnWork, 'bundled'));
      if (packaged.has(id)) {
        const zipFile = join(workDir, `${fn.name}.zip`);
        const entries = readZip(zipFile);
        const wanted = relative('.', sameOptions.file.slice(join(fnWork, 'bundled').length + 1));
        const code = entries.find((e) => e.name === wanted);
        if (!code) throw new Error(`${zipFile} holds no ${wanted} (entries: ${entries.map((e) => e.name).join(', ')})`);
        packagedFile = join(fnWork, 'packaged', wanted);
        mkdirSync(dirname(packagedFile), { recursive: true });
        writeFileSync(packagedFile, code.read());
        const map = entries.find((e) => e.name === `${wanted}.map`);
        if (map) writeFileSync(`${packagedFile}.map`, map.read());
        zipKb = kb(statSync(zipFile).size);
      } else packagedFile = sameOptions.file;
      const composition = bundleComposition(sameOptions.metafile, sameOptions.file);

      // The SDK-external variant sits beside a node_modules holding every @aws-sdk package the
      // workspace installs, as the runtime's copy sits at /var/runtime/node_modules.
      const externalRoot = join(sdkRuntime, `${id}-${fn.name}`);
      const external = await esbuildBundle(serviceDir, entry, config.esbuild, externalRoot, ['@aws-sdk/*']);
      const { external: externals } = esbuildOptions(config.esbuild);
      const memory = fn.memoryMb ?? config.providerMemoryMb;
      const localSpec = LOCAL_FUNCTION_SPECS.find((s) => s.key === fn.name || s.baseName.endsWith(fn.name));
      const env = { ...config.environment, ...fn.environment };
      const mapFile = `${packagedFile}.map`;
      prepared.push({
        packagedFile,
        externalFile: external.file,
        env: { LOG_LEVEL: 'INFO', ...env, AWS_LAMBDA_FUNCTION_NAME: `opendata-pulse-${fn.name}` },
        bundle: {
          service: id,
          function: fn.name,
          source: packaged.has(id) ? 'sls package' : 'esbuild (same options)',
          ...(sourceNote ? { sourceNote } : {}),
          memoryMb: memory ?? localSpec?.memoryMb ?? 256,
          memoryAssumed: memory === undefined,
          architecture: config.architecture,
          sdkBundled: !externals.some((e) => e.startsWith('@aws-sdk')),
          sizeKb: kb(statSync(packagedFile).size),
          ...(zipKb !== undefined ? { zipKb } : {}),
          sourceMapKb: existsSync(mapFile) ? kb(statSync(mapFile).size) : 0,
          externalSdkSizeKb: kb(statSync(external.file).size),
          sdkShare: sdkShareOf(composition),
          composition,
          nodeOptions: env.NODE_OPTIONS ?? '',
        },
      });
      log(
        `bundled ${id}/${fn.name}: ${kb(statSync(packagedFile).size).toFixed(0)} KB (${packaged.has(id) ? 'sls package' : 'esbuild'})`,
      );
    }
  }

  // 2. Cold imports, interleaved.
  const empty = join(work, 'empty.mjs');
  writeFileSync(empty, '');
  const targets: Target[] = [
    { id: 'baseline', args: [IMPORT_ONCE], nodeOptions: '', env: {} },
    { id: 'baseline+maps', args: [IMPORT_ONCE], nodeOptions: '--enable-source-maps', env: {} },
    { id: 'check-empty', args: ['--check', empty], nodeOptions: '', env: {} },
  ];
  for (const p of prepared) {
    const key = `${p.bundle.service}/${p.bundle.function}`;
    const url = (f: string) => pathToFileURL(f).href;
    targets.push(
      { id: `${key}:import`, args: [IMPORT_ONCE, url(p.packagedFile)], nodeOptions: p.bundle.nodeOptions, env: p.env },
      { id: `${key}:import-plain`, args: [IMPORT_ONCE, url(p.packagedFile)], nodeOptions: '', env: p.env },
      {
        id: `${key}:import-external`,
        args: [IMPORT_ONCE, url(p.externalFile)],
        nodeOptions: p.bundle.nodeOptions,
        env: p.env,
      },
      { id: `${key}:check`, args: ['--check', p.packagedFile], nodeOptions: '', env: {} },
      { id: `${key}:check-external`, args: ['--check', p.externalFile], nodeOptions: '', env: {} },
    );
  }
  log(`cold imports: ${targets.length} variants x ${options.importRuns} runs`);
  const medians = timeAll(targets, options.importRuns);
  const m = (id: string) => medians.get(id) ?? Number.NaN;
  const baselineFor = (nodeOptions: string) =>
    nodeOptions.includes('--enable-source-maps') ? m('baseline+maps') : m('baseline');

  const bundles: FunctionBundle[] = prepared.map((p) => {
    const key = `${p.bundle.service}/${p.bundle.function}`;
    return {
      ...p.bundle,
      importMs: m(`${key}:import`) - baselineFor(p.bundle.nodeOptions),
      importNoSourceMapsMs: m(`${key}:import-plain`) - m('baseline'),
      externalSdkImportMs: m(`${key}:import-external`) - baselineFor(p.bundle.nodeOptions),
      parseMs: m(`${key}:check`) - m('check-empty'),
      externalParseMs: m(`${key}:check-external`) - m('check-empty'),
    };
  });

  const figures: Figure[] = [];
  for (const b of bundles) {
    const label = `${b.function}${b.source === 'sls package' ? '' : ' (esbuild)'}`;
    const maps = b.nodeOptions.includes('--enable-source-maps');
    figures.push(
      figure({
        id: `bundle.${b.function}.sizeKb`,
        section: 'cold start',
        name: `${label}: bundle size, minified, SDK ${b.sdkBundled ? 'bundled' : 'external'}`,
        value: b.sizeKb,
        unit: 'KB',
        better: 'lower',
        floor: { name: 'same bundle, @aws-sdk/* left to the runtime', value: b.externalSdkSizeKb },
      }),
      figure({
        id: `bundle.${b.function}.importMs`,
        section: 'cold start',
        name: `${label}: cold import as deployed${maps ? ' (--enable-source-maps)' : ''}`,
        value: b.importMs,
        unit: 'ms',
        better: 'lower',
        floor: { name: 'parse only (node --check), same bytes', value: b.parseMs },
      }),
      figure({
        id: `bundle.${b.function}.importNoSourceMapsMs`,
        section: 'cold start',
        name: `${label}: cold import without --enable-source-maps`,
        value: b.importNoSourceMapsMs,
        unit: 'ms',
        better: 'lower',
        floor: { name: 'parse only (node --check), same bytes', value: b.parseMs },
      }),
      figure({
        id: `bundle.${b.function}.externalSdkImportMs`,
        section: 'cold start',
        name: `${label}: cold import, SDK from node_modules (runtime-provided style)`,
        value: b.externalSdkImportMs,
        unit: 'ms',
        better: 'lower',
        floor: { name: 'parse only (node --check) of the packaged bundle, SDK included', value: b.parseMs },
      }),
    );
  }
  for (const b of bundles) {
    notes.push(
      `${b.service}/${b.function}: ${b.source}${b.sourceNote ? ` (${b.sourceNote})` : ''}; ${b.sizeKb.toFixed(0)} KB code` +
        `${b.zipKb !== undefined ? `, ${b.zipKb.toFixed(0)} KB zipped` : ''}, ${b.sourceMapKb.toFixed(0)} KB source map; ` +
        `the AWS SDK is ${(b.sdkShare * 100).toFixed(0)}% of the bundle; ${b.memoryMb} MB ${b.architecture}${b.memoryAssumed ? ' (memory assumed: no serverless.yml)' : ''}. ` +
        `Composition (esbuild metafile, bytes each module leaves in the minified bundle): ${formatComposition(b.composition)}.`,
    );
  }
  return { bundles, figures, notes };
}
