import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestHours, startLocalStack, writtenKeysOf } from './local-stack';

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
const child = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const dataDir = mkdtempSync(join(tmpdir(), 'pulse-mem-'));
console.log('base', rss().toFixed(0));
let t = Date.now();
const stack = await startLocalStack({
  dataDir,
  port: 0,
  apiKey: 'k',
  source: 'sample',
  ingestOnStart: 0,
  schedule: false,
});
console.log(
  'started',
  Date.now() - t,
  'ms main',
  rss().toFixed(0),
  'child',
  child(stack.localAws.pid as number).toFixed(0),
);
t = Date.now();
const q = () =>
  fetch(stack.endpoints.graphql.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({ query: '{ listStations { siteId } }' }),
  });
await q();
console.log('api cold', Date.now() - t, 'ms main', rss().toFixed(0));
t = Date.now();
await q();
console.log('api warm', Date.now() - t);
t = Date.now();
const runs = await stack.ingestHours(latestHours(1));
console.log('ingest cold', Date.now() - t, 'ms main', rss().toFixed(0));
t = Date.now();
await stack.waitUntilDrained({ expectKeys: writtenKeysOf(runs) });
console.log(
  'etl cold+drain',
  Date.now() - t,
  'ms main',
  rss().toFixed(0),
  'child',
  child(stack.localAws.pid as number).toFixed(0),
);
await stack.stop();
