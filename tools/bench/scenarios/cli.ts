/**
 * The `pulse` CLI as an operator runs it: `pnpm pulse --help`, and `pnpm pulse health --local`
 * against a stack started with `pnpm start`, each beside `pnpm exec node -e 0` (the same launcher
 * with nothing to run). The commands alternate run by run, so drift on a shared machine hits them
 * alike; each figure is the median.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Figure, figure } from '../report';
import { median } from '../stats';
import { pnpmNode, spawnPnpm, stackEndpoints, stopGroup } from './local-startup';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wall time of one `pnpm <args>` to its exit; its exit code (health says 1 for "unhealthy"). */
async function timed(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number }> {
  const t0 = performance.now();
  const child = spawnPnpm(args, env);
  const code = await new Promise<number>((done) => child.once('exit', (c) => done(c ?? 1)));
  return { ms: performance.now() - t0, code };
}

/** `pnpm start` on a fresh data dir, resolved once its endpoints are written. */
async function startStack(dataDir: string) {
  const child = spawnPnpm(['start', '--source', 'sample'], {
    PULSE_DATA_DIR: dataDir,
    PULSE_PORT: '0',
    LOG_LEVEL: 'SILENT',
    NO_COLOR: '1',
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const deadline = Date.now() + 180_000;
  while (!stackEndpoints(child, dataDir)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stopGroup(child);
      throw new Error(`pnpm start did not write its endpoints within 180 s; its log:\n${log}`);
    }
    await sleep(50);
  }
  return child;
}

export async function measureCli(options: { runs: number }) {
  const help: number[] = [];
  const health: number[] = [];
  const floor: number[] = [];
  const codes = new Set<number>();
  for (let i = 0; i < options.runs; i++) {
    floor.push(await pnpmNode());
    help.push((await timed(['pulse', '--help'], {})).ms);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-cli-'));
  const stack = await startStack(dataDir);
  try {
    // One unmeasured call: the stack's first health check warms its handlers, as an operator's first does.
    await timed(['pulse', 'health', '--local'], { PULSE_DATA_DIR: dataDir, NO_COLOR: '1' });
    for (let i = 0; i < options.runs; i++) {
      floor.push(await pnpmNode());
      const run = await timed(['pulse', 'health', '--local'], { PULSE_DATA_DIR: dataDir, NO_COLOR: '1' });
      health.push(run.ms);
      codes.add(run.code);
    }
  } finally {
    await stopGroup(stack);
    rmSync(dataDir, { recursive: true, force: true });
  }
  if ([...codes].some((c) => c > 1)) throw new Error(`pnpm pulse health --local could not run (exit ${[...codes]})`);
  const nodeMs = { name: 'pnpm exec node -e 0', value: Math.max(1, median(floor)) };
  const figures: Figure[] = [
    figure({
      id: 'cli.helpMs',
      section: 'cli',
      name: 'pnpm pulse --help',
      value: median(help),
      unit: 'ms',
      floor: nodeMs,
      better: 'lower',
    }),
    figure({
      id: 'cli.healthLocalMs',
      section: 'cli',
      name: 'pnpm pulse health --local',
      value: median(health),
      unit: 'ms',
      floor: nodeMs,
      better: 'lower',
    }),
  ];
  const notes = [
    `CLI: median of ${options.runs} runs each of \`pnpm pulse --help\` and \`pnpm pulse health --local\` (against a stack from \`pnpm start --source sample\`, after one unmeasured call), alternating with \`pnpm exec node -e 0\` (the floor, median of all its runs); wall time from spawn to exit. The CLI runs prebuilt (packages/ops dist/cli, made by \`pnpm install\`/\`pnpm build\`).`,
  ];
  return { figures, notes };
}
