/**
 * The `pulse` CLI as users run it: the esbuild bundle (build.ts, what `pnpm install` makes), run
 * with plain node. Built into a temporary directory from the current source, so the test never
 * runs a stale dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../build';
import { createProgram } from '../../src/cli/program';
import { runPulse } from '../support/run-pulse';

let outdir: string;

function runBuilt(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(outdir, 'pulse.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the built pulse CLI', () => {
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'pulse-cli-build-'));
    await buildCli(outdir);
  }, 120_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('lists every command in --help, `local` included', () => {
    // Prepare: the commands the program registers (main.ts adds `local`)
    const program = createProgram({ io: { stdout() {}, stderr() {} } as never, setExitCode() {} });
    const names = [...program.commands.map((c) => c.name()), 'local'];

    // Act
    const run = runBuilt(['--help']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    for (const name of names) expect(run.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it("prints a command's own --help, the same as the source program's", async () => {
    // Act
    const built = runBuilt(['health', '--help']);
    const source = await runPulse(['health', '--help']);

    // Assess
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('--after-deploy');
    expect(built.stdout).toBe(source.stdout);
  });

  it('loads a command’s parts when it runs: health --local with no stack says how to start one', () => {
    // Prepare: a data dir with no running stack
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-cli-nostack-'));
    try {
      // Act
      const run = runBuilt(['health', '--local'], { PULSE_DATA_DIR: dataDir });

      // Assess: exit 2 (could not run), the reason names the missing stack
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/pnpm start/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
