/**
 * `pnpm start` as a user starts it: the time from launching the process to the first answered
 * GraphQL query and to the first sample readings for Rozelle, and the resident memory of the whole
 * process tree once data is flowing and after a 2-day backfill — beside `pnpm exec node -e 0`
 * (time) and a bare `node` process per process in the tree (memory).
 * Each run is a cold start on a fresh data dir with the bundled sample source (no network), then a
 * warm restart on the same dir. Linux only for memory (reads /proc).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readEndpointsFile } from '@opendata-pulse/local/endpoints';
import { type Figure, figure } from '../report';
import { median } from '../stats';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const QUERY = '{ getAirQualityData(suburb: "Rozelle", limit: 1) { items { hourStart } } }';
/** what the bench waits for before it reads memory after a backfill: the stack's log quiet this long */
const SETTLED_MS = 4000;

interface Sample {
  firstAnswerMs: number;
  firstReadingsMs: number;
  rssMb: number;
  processes: number;
}

/** `pnpm start` as a user launches it, with these arguments, in its own process group. */
export function spawnPnpm(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn('pnpm', [...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Stop what `spawnPnpm` started: the whole group (pnpm, and the stack it runs). */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
  try {
    process.kill(-(child.pid as number), 'SIGTERM');
  } catch {
    // already gone
  }
  await exited;
}

/** The pids of a process and all its descendants, from /proc. */
export function processTree(root: number): Set<number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** RSS (kB) of a process and all its descendants, from /proc. */
export function treeRss(root: number): { kb: number; processes: number } {
  const tree = processTree(root);
  let kb = 0;
  for (const pid of tree) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return { kb, processes: tree.size };
}

async function query(url: string, apiKey: string): Promise<{ answered: boolean; readings: number }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: QUERY }),
    });
    if (res.status !== 200) return { answered: false, readings: 0 };
    const body = (await res.json()) as { data?: { getAirQualityData?: { items?: unknown[] } } };
    return { answered: true, readings: body.data?.getAirQualityData?.items?.length ?? 0 };
  } catch {
    return { answered: false, readings: 0 };
  }
}

/** The stack's endpoints once the stack that `pnpm start` runs (a descendant of `child`) wrote them. */
export function stackEndpoints(child: ChildProcess, dataDir: string) {
  const endpoints = readEndpointsFile(dataDir);
  return endpoints && processTree(child.pid as number).has(endpoints.pid) ? endpoints : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(dataDir: string, backfillHours?: number): Promise<Sample> {
  const t0 = performance.now();
  const args = ['start', '--source', 'sample', ...(backfillHours ? ['--backfill-hours', String(backfillHours)] : [])];
  // Uncached: the polls below repeat one query, and the cache would keep its first (empty) answer.
  const child = spawnPnpm(args, {
    PULSE_DATA_DIR: dataDir,
    PULSE_PORT: '0',
    PULSE_API_CACHE: 'off',
    LOG_LEVEL: 'SILENT',
    NO_COLOR: '1',
  });
  let stderr = '';
  let lastOutput = performance.now();
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    lastOutput = performance.now();
  });
  try {
    let firstAnswerMs: number | undefined;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const endpoints = stackEndpoints(child, dataDir);
      if (endpoints) {
        const r = await query(endpoints.graphql.url, endpoints.graphql.apiKey);
        if (r.answered) firstAnswerMs ??= performance.now() - t0;
        if (r.readings > 0) {
          const firstReadingsMs = performance.now() - t0;
          // let the start-up ingest and ETL (or the whole backfill) settle before measuring memory
          await sleep(1500);
          while (backfillHours && performance.now() - lastOutput < SETTLED_MS && Date.now() < deadline)
            await sleep(250);
          // The stack's tree: the process `pnpm start` runs and its children (pnpm's own launcher is not the stack).
          const rss = treeRss(endpoints.pid);
          return {
            firstAnswerMs: firstAnswerMs ?? firstReadingsMs,
            firstReadingsMs,
            rssMb: rss.kb / 1024,
            processes: rss.processes,
          };
        }
      }
      await sleep(25);
    }
    throw new Error(`the stack did not answer with readings within 180 s; its log:\n${stderr}`);
  } finally {
    await stopGroup(child);
  }
}

/** `pnpm exec node -e 0`, launched the same way: the floor for start-up time. */
export async function pnpmNode(): Promise<number> {
  const t0 = performance.now();
  const child = spawnPnpm(['exec', 'node', '-e', '0'], {});
  await new Promise<void>((done) => child.once('exit', () => done()));
  return performance.now() - t0;
}

/** A bare `node` process: the floor for memory, once per process in the stack's tree. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' });
  await sleep(150);
  const rss = treeRss(child.pid as number);
  await new Promise<void>((done) => child.once('exit', () => done()));
  return rss.kb / 1024;
}

export async function measureLocalStartup(options: { runs: number; backfillHours?: number }) {
  const backfillHours = options.backfillHours ?? 48;
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const backfilled: Sample[] = [];
  const floorMs: number[] = [];
  const bareRss: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
    const backfillDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
    try {
      floorMs.push(await pnpmNode());
      bareRss.push(await bareNodeRss());
      cold.push(await once(dataDir));
      floorMs.push(await pnpmNode());
      warm.push(await once(dataDir));
      if (i === 0) backfilled.push(await once(backfillDir, backfillHours));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(backfillDir, { recursive: true, force: true });
    }
  }
  const nodeMs = Math.max(1, median(floorMs));
  const nodeRssMb = median(bareRss);
  const processes = cold[0]?.processes ?? 1;
  const floor = (name: string, value: number) => ({ name, value });
  const figures: Figure[] = [
    figure({
      id: 'local.coldFirstQueryMs',
      section: 'local stack',
      name: 'pnpm start, fresh data dir: launch to first answered query',
      value: median(cold.map((s) => s.firstAnswerMs)),
      unit: 'ms',
      floor: floor('pnpm exec node -e 0', nodeMs),
      better: 'lower',
    }),
    figure({
      id: 'local.warmFirstQueryMs',
      section: 'local stack',
      name: 'pnpm start, same data dir again: launch to first answered query',
      value: median(warm.map((s) => s.firstAnswerMs)),
      unit: 'ms',
      floor: floor('pnpm exec node -e 0', nodeMs),
      better: 'lower',
    }),
    figure({
      id: 'local.rssMb',
      section: 'local stack',
      name: `resident memory of the stack's process tree (${processes} processes) after start`,
      value: median(cold.map((s) => s.rssMb)),
      unit: 'MB',
      floor: floor(`${processes} bare node processes`, nodeRssMb * processes),
      better: 'lower',
    }),
    figure({
      id: 'local.rssAfterBackfillMb',
      section: 'local stack',
      name: `resident memory of the stack's process tree after a ${backfillHours}-hour backfill`,
      value: median(backfilled.map((s) => s.rssMb)),
      unit: 'MB',
      floor: floor(`${processes} bare node processes`, nodeRssMb * processes),
      better: 'lower',
    }),
  ];
  const notes = [
    `Local stack: median of ${options.runs} launches of \`pnpm start --source sample\` on random ports, each on a fresh data dir and then again on the same dir, plus one with \`--backfill-hours ${backfillHours}\`; "first answered query" is the first 200 answer to getAirQualityData, timed from spawning \`pnpm start\`; memory is the RSS summed over the stack's process tree (the node process \`pnpm start\` runs and its children; not pnpm's own launcher) 1.5 s after the first readings (after the backfill: once the stack's log has been quiet ${SETTLED_MS / 1000} s), from /proc. Floors: \`pnpm exec node -e 0\` launched the same way (its time to exit), and a bare \`node\` process's RSS once per process in the tree. packages/local/README.md ("Memory") has the per-process figures.`,
  ];
  return { figures, notes };
}
