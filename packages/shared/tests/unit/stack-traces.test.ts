import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'pulse-stack-traces-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stackTraces = join(import.meta.dirname, '../../src/lambda/stack-traces.ts');

/** A minified ESM bundle with its map beside it, as the services' serverless.yml builds them. */
async function bundle(name: string, body: string, sourcemap: boolean): Promise<string> {
  const entry = join(work, `${name}.ts`);
  writeFileSync(
    entry,
    [
      `import { mapBundleStackTraces } from ${JSON.stringify(stackTraces)};`,
      'export const mapped = mapBundleStackTraces(import.meta.url);',
      body,
    ].join('\n'),
  );
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    keepNames: true,
    sourcemap,
    sourcesContent: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  return outfile;
}

/** Imports the bundle in a fresh Node (the mapping is process-wide) and prints what it reports. */
function run(file: string, nodeOptions = ''): string {
  const script = `const m = await import(${JSON.stringify(`file://${file}`)}); try { m.fail(); } catch (e) { console.log(JSON.stringify({ mapped: m.mapped, stack: e.stack })); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const failing = [
  'function checkStation(id: string): never {',
  "  throw new TypeError('no station ' + id);",
  '}',
  'export function fail() {',
  "  return checkStation('Liverpool');",
  '}',
].join('\n');

describe('mapBundleStackTraces: a minified bundle reports its TypeScript lines, its map read when needed', () => {
  it('maps each frame of the bundle to its source file, line and function name', async () => {
    const file = await bundle('mapped', failing, true);
    const { mapped, stack } = JSON.parse(run(file)) as { mapped: boolean; stack: string };
    expect(mapped).toBe(true);
    const lines = stack.split('\n');
    expect(lines[0]).toBe('TypeError: no station Liverpool');
    // the entry's line 4 throws, its line 7 calls (the import and the mapping come first)
    expect(lines[1]).toMatch(/^ {4}at checkStation \(.*mapped\.ts:4:9\)$/);
    expect(lines[2]).toMatch(/^ {4}at fail \(.*mapped\.ts:7:10\)$/);
  });

  it('leaves the stack alone without a map, or when Node maps stack traces itself', async () => {
    const bare = await bundle('bare', failing, false);
    const withoutMap = JSON.parse(run(bare)) as { mapped: boolean; stack: string };
    expect(withoutMap.mapped).toBe(false);
    expect(withoutMap.stack).toContain('bare.mjs:');

    const file = await bundle('node-maps', failing, true);
    const byNode = JSON.parse(run(file, '--enable-source-maps')) as { mapped: boolean; stack: string };
    expect(byNode.mapped).toBe(false);
    expect(byNode.stack).toContain('node-maps.ts:4:');
  });
});
