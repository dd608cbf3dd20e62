/**
 * `pnpm package [--stage prod] [--service ingest,etl] [--compose] [--out .build/templates]`
 *
 * Packages every service for a stage with no AWS credentials and no network, and collects the
 * CloudFormation templates as `<out>/<service>.json` plus `manifest.json` (stage, params, timings).
 *
 * Default mode: each service alone, `sls package --param k=v` with the params serverless-compose.yml
 * would pass, resolved from placeholder outputs (docs/DEPLOY.md). `--compose`: seed
 * `.serverless/state.<stage>.json` with the same placeholders (only when no state exists, and removed
 * afterwards) and run osls compose's own `package` at the root.
 */

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Manifest, PackagedService } from './check';
import { placeholderOutputs, readCompose, resolveParams } from './compose';
import { SERVICE_IDS, SERVICES, type ServiceId } from './services';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DEFAULT_OUT = '.build/templates';
const REGION = 'ap-southeast-2';

/** The environment a packaging runs in: telemetry off and no way to reach an AWS account. */
export function offlineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^AWS_/.test(k) && k !== 'AWS_REGION') continue;
    env[k] = v;
  }
  return {
    ...env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DISABLE_AUTO_UPDATE: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function slsBin(dir: string): string {
  for (const candidate of [join(dir, 'node_modules/.bin/sls'), join(ROOT, 'node_modules/.bin/sls')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no sls binary in ${dir}/node_modules/.bin or the root; run pnpm install`);
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

export interface PackageOptions {
  stage: string;
  services: ServiceId[];
  out: string;
  compose: boolean;
  /** deploy params beyond what compose passes, per service (`alertEmail` for ops, ...); params mode only */
  extraParams?: Partial<Record<ServiceId, Record<string, string>>>;
  log?: (line: string) => void;
}

export async function packageServices(opts: PackageOptions): Promise<Manifest> {
  if (opts.compose && opts.extraParams) {
    throw new Error('extra params apply when each service is packaged alone, not with compose');
  }
  const log = opts.log ?? (() => {});
  const outDir = resolve(ROOT, opts.out);
  // Each output folder gets its own work folder, so a test run and a CLI run never share one.
  const workDir = `${outDir}-work`;
  mkdirSync(outDir, { recursive: true });
  const compose = readCompose(ROOT);
  const outputs = placeholderOutputs(opts.stage, REGION);
  const params: Record<string, Record<string, string>> = {};
  for (const svc of compose) {
    params[svc.id] = { ...resolveParams(svc, outputs), ...opts.extraParams?.[svc.id as ServiceId] };
  }

  const packaged: PackagedService[] = [];
  const failures: string[] = [];
  if (opts.compose) {
    const started = Date.now();
    const result = await packageWithCompose(opts.stage, outputs);
    const seconds = (Date.now() - started) / 1000;
    if (result.code !== 0) failures.push(`compose package failed:\n${result.output}`);
    for (const id of opts.services) {
      const svc = SERVICES.find((s) => s.id === id);
      const template = svc && join(ROOT, svc.dir, '.serverless/cloudformation-template-update-stack.json');
      if (!template || !existsSync(template)) continue;
      copyFileSync(template, join(outDir, `${id}.json`));
      packaged.push({ id, file: `${id}.json`, seconds });
    }
    log(`compose package: ${seconds.toFixed(1)} s for ${packaged.length} services`);
  } else {
    for (const id of opts.services) {
      const svc = SERVICES.find((s) => s.id === id);
      if (!svc) throw new Error(`unknown service ${id}`);
      const dir = join(ROOT, svc.dir);
      if (!existsSync(join(dir, 'serverless.yml'))) {
        failures.push(`${id}: ${svc.dir}/serverless.yml does not exist`);
        continue;
      }
      const target = join(workDir, id);
      rmSync(target, { recursive: true, force: true });
      const args = ['package', '--stage', opts.stage, '--package', target];
      for (const [k, v] of Object.entries(params[id] ?? {})) args.push('--param', `${k}=${v}`);
      const started = Date.now();
      const result = await run(slsBin(dir), args, dir, offlineEnv());
      const seconds = (Date.now() - started) / 1000;
      const template = join(target, 'cloudformation-template-update-stack.json');
      if (result.code !== 0 || !existsSync(template)) {
        failures.push(
          `${id}: sls package failed (exit ${result.code}) after ${seconds.toFixed(1)} s:\n${result.output.trim()}`,
        );
        continue;
      }
      copyFileSync(template, join(outDir, `${id}.json`));
      packaged.push({ id, file: `${id}.json`, seconds });
      log(`${id.padEnd(6)} packaged in ${seconds.toFixed(1)} s (${artifactSizes(target)})`);
    }
  }

  const manifest: Manifest = {
    stage: opts.stage,
    region: REGION,
    mode: opts.compose ? 'compose' : 'params',
    params,
    services: packaged,
  };
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
  return manifest;
}

function artifactSizes(dir: string): string {
  const zips = readdirSync(dir).filter((n) => n.endsWith('.zip'));
  return zips.map((z) => `${z} ${(statSync(join(dir, z)).size / 1024).toFixed(0)} KB`).join(', ') || 'no artifact';
}

async function packageWithCompose(stage: string, outputs: Record<string, Record<string, string>>) {
  const stateFile = join(ROOT, '.serverless', `state.${stage}.json`);
  const seeded = !existsSync(stateFile);
  if (seeded) {
    mkdirSync(join(ROOT, '.serverless'), { recursive: true });
    const components = Object.fromEntries(Object.entries(outputs).map(([id, o]) => [id, { outputs: o, state: {} }]));
    writeFileSync(stateFile, JSON.stringify({ service: { id: 'offline-package' }, components }, null, 2));
  }
  try {
    return await run(join(ROOT, 'node_modules/.bin/sls'), ['package', '--stage', stage], ROOT, offlineEnv());
  } finally {
    if (seeded) rmSync(stateFile, { force: true });
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: 'prod' },
      service: { type: 'string', multiple: true },
      out: { type: 'string', default: DEFAULT_OUT },
      compose: { type: 'boolean', default: false },
    },
  });
  const services = (values.service ?? [...SERVICE_IDS]).flatMap((s) => s.split(',')) as ServiceId[];
  for (const s of services)
    if (!SERVICE_IDS.includes(s)) throw new Error(`unknown service "${s}" (${SERVICE_IDS.join(', ')})`);
  const started = Date.now();
  const manifest = await packageServices({
    stage: values.stage,
    services,
    out: values.out,
    compose: values.compose,
    log: (line) => out(line),
  });
  out(
    `packaged ${manifest.services.length} service(s) for stage ${manifest.stage} in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${values.out}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    err((error as Error).message);
    process.exit(1);
  });
}
