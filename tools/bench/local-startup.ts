/**
 * Benchmark of `pulse local` as a user starts it: time from launching the process to the first
 * answered GraphQL query and to the first sample readings for Rozelle, and the resident memory of
 * the whole process tree once data is flowing. Prints figures; asserts nothing.
 *
 *   npx tsx packages/ops/src/local/bench-startup.ts [runs=5]
 *
 * Each run is a cold start on a fresh data dir with the bundled sample source (no network), then
 * a warm restart on the same dir. Linux only for memory (reads /proc).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEndpointsFile } from '@opendata-pulse/local/endpoints';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
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
    env: { ...process.env, PULSE_DATA_DIR: dataDir, PULSE_PORT: '0', LOG_LEVEL: 'SILENT', NO_COLOR: '1' },
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

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${median.toFixed(0)}  min ${(sorted[0] ?? 0).toFixed(0)}  max ${(sorted.at(-1) ?? 0).toFixed(0)}`;
}

const runs = Number(process.argv[2] ?? 5);
const cold: Sample[] = [];
const warm: Sample[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  cold.push(await once(dataDir));
  warm.push(await once(dataDir));
  rmSync(dataDir, { recursive: true, force: true });
  console.error(`run ${i + 1}/${runs} done`);
}
const print = (label: string, samples: Sample[]) => {
  console.log(`${label} (n=${samples.length})`);
  console.log(`  launch -> first answered GraphQL query (ms)  ${stats(samples.map((s) => s.firstAnswerMs))}`);
  console.log(`  launch -> first Rozelle readings (ms)        ${stats(samples.map((s) => s.firstReadingsMs))}`);
  console.log(`  RSS of the process tree (MB)                 ${stats(samples.map((s) => s.rssMb))}`);
  console.log(`  processes in the tree                        ${samples[0]?.processes ?? 0}`);
};
console.log(`pulse local start-up, node ${process.version}, sample source, random ports`);
print('cold start (fresh data dir)', cold);
print('warm restart (same data dir)', warm);
