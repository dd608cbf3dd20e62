/**
 * `pnpm start` as a user starts it: the time from launching the process to the first answered
 * GraphQL query and to the first sample readings for Rozelle, and the resident memory of the whole
 * process tree once data is flowing — each beside a bare `node` process started the same way.
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
const MAIN = join(REPO_ROOT, 'packages/ops/src/cli/main.ts');
const QUERY = '{ getAirQualityData(suburb: "Rozelle", limit: 1) { items { hourStart } } }';

interface Sample {
  firstAnswerMs: number;
  firstReadingsMs: number;
  rssMb: number;
  processes: number;
}

/** RSS (kB) of a process and all its descendants, from /proc. */
function treeRss(root: number): { kb: number; processes: number } {
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

async function once(dataDir: string): Promise<Sample> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, 'local', '--source', 'sample'], {
    cwd: REPO_ROOT,
    // Uncached: the polls below repeat one query, and the cache would keep its first (empty) answer.
    env: {
      ...process.env,
      PULSE_DATA_DIR: dataDir,
      PULSE_PORT: '0',
      PULSE_API_CACHE: 'off',
      LOG_LEVEL: 'SILENT',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    let firstAnswerMs: number | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const endpoints = readEndpointsFile(dataDir);
      if (endpoints && endpoints.pid === child.pid) {
        const r = await query(endpoints.graphql.url, endpoints.graphql.apiKey);
        if (r.answered) firstAnswerMs ??= performance.now() - t0;
        if (r.readings > 0) {
          const firstReadingsMs = performance.now() - t0;
          // let the start-up ingest and ETL settle before measuring memory
          await new Promise((r2) => setTimeout(r2, 1500));
          const rss = treeRss(child.pid as number);
          return {
            firstAnswerMs: firstAnswerMs ?? firstReadingsMs,
            firstReadingsMs,
            rssMb: rss.kb / 1024,
            processes: rss.processes,
          };
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the stack did not answer with readings within 120 s; its log:\n${stderr}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** A bare `node -e 0` launched the same way: the floor for start-up time and memory. */
async function bareNode(): Promise<{ ms: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 150));
  const rss = treeRss(child.pid as number);
  await new Promise<void>((done) => child.once('exit', () => done()));
  return { ms: performance.now() - t0 - 300, rssMb: rss.kb / 1024 };
}

export async function measureLocalStartup(options: { runs: number }) {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const bare: Array<{ ms: number; rssMb: number }> = [];
  for (let i = 0; i < options.runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
    try {
      bare.push(await bareNode());
      cold.push(await once(dataDir));
      warm.push(await once(dataDir));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const nodeMs = Math.max(1, median(bare.map((b) => b.ms)));
  const nodeRssMb = median(bare.map((b) => b.rssMb));
  const processes = cold[0]?.processes ?? 1;
  const floor = (name: string, value: number) => ({ name, value });
  const figures: Figure[] = [
    figure({
      id: 'local.coldFirstQueryMs',
      section: 'local stack',
      name: 'pnpm start, fresh data dir: launch to first answered query',
      value: median(cold.map((s) => s.firstAnswerMs)),
      unit: 'ms',
      floor: floor('node -e 0', nodeMs),
      better: 'lower',
    }),
    figure({
      id: 'local.warmFirstQueryMs',
      section: 'local stack',
      name: 'pnpm start, same data dir again: launch to first answered query',
      value: median(warm.map((s) => s.firstAnswerMs)),
      unit: 'ms',
      floor: floor('node -e 0', nodeMs),
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
  ];
  const notes = [
    `Local stack: median of ${options.runs} launches of \`pulse local --source sample\` (what \`pnpm start\` runs) on random ports, each on a fresh data dir and then again on the same dir; "first answered query" is the first 200 answer to getAirQualityData; memory is the RSS summed over the process tree 1.5 s after the first readings, from /proc. Floors: a bare \`node\` process launched the same way (its start time, and its RSS once per process in the tree).`,
  ];
  return { figures, notes };
}
