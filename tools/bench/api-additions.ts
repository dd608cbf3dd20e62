/**
 * `pnpm -F @opendata-pulse/bench api-additions [--stations N] [--queries N] [--days N]`
 *
 * Issue 14's figures on a fresh local stack: nearestStations p50 beside listStations p50, and the
 * time and size of a 366-day export of one station (scenarios/api-additions.ts). Prints a table
 * and the figures as JSON; writes nothing.
 */
import { parseArgs } from 'node:util';
import { startStackSession } from './local-stack-session';
import { measureApiAdditions } from './scenarios/api-additions';

const { values } = parseArgs({
  options: {
    stations: { type: 'string', default: '150' },
    queries: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '10' },
    days: { type: 'string', default: '366' },
  },
});
const count = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number, 1 or more (got ${values[name]})`);
  return n;
};
const options = {
  stations: count('stations'),
  queries: count('queries'),
  warmup: count('warmup'),
  exportDays: count('days'),
};

process.stderr.write(
  `starting the local stack; ${options.stations} stations, ${options.exportDays} days of one station...\n`,
);
const session = await startStackSession({ source: 'sample', graphql: true });
try {
  const r = await measureApiAdditions(session, options);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const lines = [
    `listStations     p50 ${ms(r.listStations.p50)}  p90 ${ms(r.listStations.p90)}  (${options.queries} queries after ${options.warmup} warm-up, ${options.stations} stations)`,
    `nearestStations  p50 ${ms(r.nearestStations.p50)}  p90 ${ms(r.nearestStations.p90)}  (same, alternating with listStations)`,
    `export ${r.export.days} days, 1 station: ${r.export.rows} rows, ${(r.export.csvBytes / 1e6).toFixed(2)} MB CSV, ` +
      `call ${ms(r.export.wallMs)} (function ${ms(r.export.functionMs)}), download ${ms(r.export.downloadMs)}; ` +
      `seeded ${r.export.seededReadings} readings in ${r.export.seedSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(r)}\n`);
} finally {
  await session.stop();
}
