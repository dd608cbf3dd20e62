/**
 * `pnpm -F @opendata-pulse/bench stack-memory [--backfill-hours 48]`: where the local stack's
 * memory goes, per process. Launches `pnpm start --source sample` on a fresh data dir (random
 * ports), waits for the first readings (and, with `--backfill-hours N`, until the stack's log has
 * been quiet 4 s), prints each process's RSS and the tree's total, and stops the stack.
 * packages/local/README.md ("Memory") quotes its output.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processTree, spawnPnpm, stackEndpoints, stopGroup } from './scenarios/local-startup';

const QUERY = '{ getAirQualityData(suburb: "Rozelle", limit: 1) { items { hourStart } } }';
const { values } = parseArgs({ options: { 'backfill-hours': { type: 'string' } } });
const backfill = values['backfill-hours'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readings(url: string, apiKey: string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as { data?: { getAirQualityData?: { items?: unknown[] } } };
    return body.data?.getAirQualityData?.items?.length ?? 0;
  } catch {
    return 0;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'pulse-memory-'));
// Uncached: the polls repeat one query, and the cache would keep its first (empty) answer.
const child = spawnPnpm(['start', '--source', 'sample', ...(backfill ? ['--backfill-hours', backfill] : [])], {
  PULSE_DATA_DIR: dataDir,
  PULSE_PORT: '0',
  PULSE_API_CACHE: 'off',
  LOG_LEVEL: 'SILENT',
  NO_COLOR: '1',
});
let quietSince = Date.now();
child.stderr?.on('data', () => {
  quietSince = Date.now();
});
try {
  const deadline = Date.now() + 300_000;
  let endpoints: ReturnType<typeof stackEndpoints>;
  while (Date.now() < deadline) {
    endpoints = stackEndpoints(child, dataDir);
    if (endpoints && (await readings(endpoints.graphql.url, endpoints.graphql.apiKey)) > 0) break;
    await sleep(100);
  }
  if (!endpoints || Date.now() >= deadline) throw new Error('the stack gave no readings within 300 s');
  await sleep(1500);
  while (backfill && Date.now() - quietSince < 4000 && Date.now() < deadline) await sleep(250);
  let total = 0;
  for (const pid of processTree(endpoints.pid)) {
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
  await stopGroup(child);
  rmSync(dataDir, { recursive: true, force: true });
}
