// Where the local stack's memory goes, per process: launches `pnpm start --source sample` on a
// fresh data dir (random ports), waits for the first readings (and, with `--backfill-hours N`,
// until the stack's log has been quiet 4 s), prints each process's RSS and the tree's total, and
// stops the stack. packages/local/README.md ("Memory") quotes its output.
//   node tools/bench/support/stack-memory.mjs [--backfill-hours 48]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const QUERY = '{ getAirQualityData(suburb: "Rozelle", limit: 1) { items { hourStart } } }';
const backfillAt = process.argv.indexOf('--backfill-hours');
const backfill = backfillAt > 0 ? process.argv[backfillAt + 1] : undefined;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tree(root) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended while we looked
    }
  }
  const pids = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (pids.has(ppid) && !pids.has(pid)) {
        pids.add(pid);
        grew = true;
      }
    }
  }
  return pids;
}

async function readings(endpoints) {
  try {
    const res = await fetch(endpoints.graphql.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': endpoints.graphql.apiKey },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = await res.json();
    return body.data?.getAirQualityData?.items?.length ?? 0;
  } catch {
    return 0;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'pulse-memory-'));
const args = ['start', '--source', 'sample', ...(backfill ? ['--backfill-hours', backfill] : [])];
// Uncached: the polls repeat one query, and the cache would keep its first (empty) answer.
const env = {
  ...process.env,
  PULSE_DATA_DIR: dataDir,
  PULSE_PORT: '0',
  PULSE_API_CACHE: 'off',
  LOG_LEVEL: 'SILENT',
  NO_COLOR: '1',
};
const child = spawn('pnpm', args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
let quietSince = Date.now();
child.stderr.on('data', () => {
  quietSince = Date.now();
});
try {
  const deadline = Date.now() + 300_000;
  let endpoints;
  while (Date.now() < deadline) {
    const file = join(dataDir, 'endpoints.json');
    endpoints = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    if (endpoints && (await readings(endpoints)) > 0) break;
    await sleep(100);
  }
  if (!endpoints || Date.now() >= deadline) throw new Error('the stack gave no readings within 300 s');
  await sleep(1500);
  while (backfill && Date.now() - quietSince < 4000 && Date.now() < deadline) await sleep(250);
  let total = 0;
  for (const pid of tree(endpoints.pid)) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const threads = /Threads:\s+(\d+)/.exec(status)?.[1];
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    total += mb;
    process.stdout.write(`${mb.toFixed(0).padStart(5)} MB  ${threads} threads  ${command}\n`);
  }
  process.stdout.write(
    `${total.toFixed(0).padStart(5)} MB  the stack's process tree${backfill ? `, after a ${backfill}-hour backfill` : ''}\n`,
  );
} finally {
  process.kill(-child.pid, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
