/**
 * Environment snapshots on disk: the variables a function ran with, saved before a change so
 * the change can be undone. Files are written owner-only (they may hold secrets).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { lazySchema } from '@opendata-pulse/shared/lazy';
import * as z from 'zod';

// Built at first use, not at import (shared `/lazy`).
const snapshotSchema = lazySchema(() =>
  z.object({
    function: z.string(),
    capturedAt: z.string(),
    version: z.string().optional(),
    variables: z.record(z.string(), z.string()),
  }),
);

export type EnvironmentSnapshot = z.infer<typeof snapshotSchema>;

export async function writeSnapshot(file: string, snapshot: EnvironmentSnapshot): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
}

/** Read and check a snapshot file; a missing, unreadable or malformed file throws. */
export async function readSnapshot(file: string): Promise<EnvironmentSnapshot> {
  return snapshotSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}
