/**
 * Where the stack keeps its data: PULSE_DATA_DIR, else `.pulse/` at the repository root (found from
 * the working directory), so `pnpm start` and `pnpm pulse ... --local` agree wherever they run.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_DATA_DIR_NAME = '.pulse';

/** The nearest directory at or above `from` holding pnpm-workspace.yaml; `from` when there is none. */
export function findRepoRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

export function resolveDataDir(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const configured = env.PULSE_DATA_DIR?.trim();
  if (configured) return resolve(cwd, configured);
  return join(findRepoRoot(cwd), DEFAULT_DATA_DIR_NAME);
}
