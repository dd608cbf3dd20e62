#!/usr/bin/env node
// The `pulse` bin: runs the prebuilt CLI (dist/cli, made by `pnpm install` or `pnpm build`) with
// plain node, so no command compiles TypeScript at start (docs/architecture.md, "The pulse CLI").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/pulse.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    `pulse: the CLI is not built (${bundle} is missing).\n` +
      'Build it with `pnpm build` at the repository root (`pnpm install` builds it too), then run the command again.\n',
  );
  process.exit(2);
}
await import(bundle);
