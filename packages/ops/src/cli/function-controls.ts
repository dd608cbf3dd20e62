/** What the function-control commands (circuit-breaker, concurrency, rollback, provisioned, env) share. */
import type { EnvironmentChange, WaitOptions } from '../adapters/lambda-control';
import type { OpsClients } from '../deployment/clients';
import { resolveFunctionName } from '../deployment/deployment';
import { displayValue, isEmpty } from '../domain/environment-diff';
import type { Colors, CommandContext, ProgramDeps } from './runtime';

export const FUNCTION_OPTION = ['--function <name>', 'ingest | etl | api | a full function name'] as const;

/** The function `--function` names, in AWS only (locally the handlers read their environment at start). */
export async function controlledFunction(
  ctx: CommandContext,
  name: string,
  what: string,
): Promise<{ clients: OpsClients; functionName: string }> {
  const target = await ctx.awsTarget(
    what,
    'the local stack reads CIRCUIT_BREAKER and the rest from its own environment at start',
  );
  return { clients: await ctx.clients(), functionName: resolveFunctionName(target, name) };
}

/** How long to wait between polls of a configuration update (tests: 0). */
export function waitOptions(deps: ProgramDeps): WaitOptions {
  return deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {};
}

/** Each variable changed, added or removed, what was kept, and where LIVE moved. */
export function renderChange(c: Colors, change: EnvironmentChange): string[] {
  const { diff } = change;
  const lines: string[] = [];
  if (isEmpty(diff)) lines.push(`  $LATEST already has these values`);
  for (const d of diff.changed)
    lines.push(`  ${d.name}: ${displayValue(d.name, d.from)} → ${c.bold(displayValue(d.name, d.to))}`);
  for (const n of diff.added) lines.push(`  ${n}: (unset) → ${c.bold(displayValue(n, change.after[n] ?? ''))}`);
  for (const n of diff.removed) lines.push(`  ${n}: ${displayValue(n, change.before[n] ?? '')} → (removed)`);
  const named = new Set([...diff.added, ...diff.removed, ...diff.changed.map((d) => d.name)]);
  const kept = Object.keys(change.after)
    .filter((n) => !named.has(n))
    .sort();
  if (kept.length) lines.push(c.dim(`  kept unchanged: ${kept.join(', ')}`));
  if (change.live) lines.push(`  published version ${change.live.to}; LIVE ${change.live.from} → ${change.live.to}`);
  return lines;
}
