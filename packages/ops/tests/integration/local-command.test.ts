/**
 * `pulse local` in a separate process (node + tsx on the source, so it tests the code as it is; the
 * bundle `pnpm start` runs is built-cli.test.ts's), stopped with a signal, and `--once` as CI runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import {
  endpointsPath,
  isProcessAlive,
  type LocalStackEndpoints,
  readEndpointsFile,
} from '@opendata-pulse/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const MAIN = join(REPO_ROOT, 'packages/ops/src/cli/main.ts');

let nsw: FakeNsw;
beforeAll(async () => {
  nsw = await startFakeNsw();
});
afterAll(async () => {
  await nsw.close();
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function pulse(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'SILENT', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined, run: Run, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (exited || Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

describe('pulse local, run as a command', () => {
  it('comes up, prints the banner, answers GraphQL, and stops cleanly on SIGTERM', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-local-cmd-'));
    const run = pulse(['local', '--source', nsw.endpoint], {
      PULSE_DATA_DIR: dataDir,
      PULSE_PORT: '0',
      PULSE_API_KEY: 'cmd-key',
    });
    const endpoints = await waitFor<LocalStackEndpoints>('endpoints.json', () => readEndpointsFile(dataDir), run);
    await waitFor('the banner', () => (run.stdout().includes('Stop  Ctrl-C') ? true : undefined), run);

    // Act
    const answer = await fetch(endpoints.graphql.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'cmd-key' },
      body: JSON.stringify({ query: '{ listStations { siteId } }' }),
    });
    run.child.kill('SIGTERM');
    const exit = await run.exited;

    // Assess
    expect(answer.status).toBe(200);
    expect(endpoints.pid).toBe(run.child.pid);
    expect(run.stdout()).toContain(endpoints.graphql.url);
    expect(run.stdout()).toContain('cmd-key');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isProcessAlive(endpoints.pids.localAws)).toBe(false);
    expect(existsSync(endpointsPath(dataDir))).toBe(false);
    const ports = [endpoints.graphql.url, ...Object.values(endpoints.endpoints)].map((u) => Number(new URL(u).port));
    for (const port of ports) await expect(canListen(port)).resolves.toBe(true);
  });

  it('--once ingests the hours, waits for the ETL, prints the summary and exits 0', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-local-once-'));

    // Act
    const run = pulse(['local', '--once', '--backfill-hours', '2', '--source', nsw.endpoint, '--json'], {
      PULSE_DATA_DIR: dataDir,
      PULSE_PORT: '0',
    });
    const exit = await run.exited;

    // Assess
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(run.stdout())).toMatchObject({
      hoursRequested: 2,
      hoursIngested: 2,
      failedHours: [],
      stationHours: 24,
      dlqDepth: 0,
      drained: true,
      apiStations: 12,
      source: 'custom',
    });
    expect(existsSync(endpointsPath(dataDir))).toBe(false);
  });
});
