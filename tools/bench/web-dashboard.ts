/**
 * `pnpm -F @opendata-pulse/bench web-dashboard [--hours 168] [--loads 5] [--panels 5]`: the
 * dashboard's budgets alone on a fresh local stack (scenarios/web-dashboard.ts).
 */
import { parseArgs } from 'node:util';
import { startStackSession } from './local-stack-session';
import { formatNumber } from './report';
import { measureWebDashboard } from './scenarios/web-dashboard';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '168' },
    loads: { type: 'string', default: '5' },
    panels: { type: 'string', default: '5' },
  },
});
const [hours, loads, panels] = [values.hours, values.loads, values.panels].map(Number) as [number, number, number];
if (![hours, loads, panels].every((n) => Number.isInteger(n) && n >= 1)) {
  throw new Error('--hours, --loads and --panels take whole numbers of at least 1');
}

const session = await startStackSession({ source: 'sample', graphql: true });
try {
  const result = await measureWebDashboard(session, { hours, loads, panels, drainTimeoutMs: 300_000 });
  for (const f of result.figures) {
    console.log(
      `${f.name}: ${formatNumber(f.value)} ${f.unit} (floor ${formatNumber(f.floor?.value ?? Number.NaN)} ${f.unit}: ${f.floor?.name})`,
    );
  }
  for (const note of result.notes) console.log(note);
} finally {
  await session.stop();
}
