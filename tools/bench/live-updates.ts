/**
 * `pnpm -F @opendata-pulse/bench live-updates [--hours 20] [--stations 40]`: the live-update
 * latency on a fresh local stack (scenarios/live-updates.ts), printed with every sample.
 */
import { parseArgs } from 'node:util';
import { startStackSession } from './local-stack-session';
import { measureLiveUpdates } from './scenarios/live-updates';

const { values } = parseArgs({
  options: { hours: { type: 'string', default: '20' }, stations: { type: 'string', default: '40' } },
});
const hours = Number(values.hours);
const stations = Number(values.stations);
if (!Number.isInteger(hours) || hours < 1 || !Number.isInteger(stations) || stations < 1) {
  throw new Error('--hours and --stations take whole numbers of at least 1');
}

const session = await startStackSession({ source: 'sample', graphql: true });
try {
  const result = await measureLiveUpdates(session, { hours, stations, timeoutMs: 60_000 });
  for (const note of result.notes) console.log(note);
  console.log(`samples (ms): ${result.samplesMs.map((s) => s.toFixed(0)).join(', ')}`);
} finally {
  await session.stop();
}
