/**
 * The raw objects sent to the processing queue and not yet processed, kept on disk beside the
 * data. local-aws-sqs holds its queues in memory, so without this a stop between "object
 * written" and "ETL done" (or a message parked in the in-memory DLQ) would lose the object's
 * processing for good. At the next start they go back on the queue: processing is idempotent.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ObjectRef } from '@opendata-pulse/shared/events';

export const PENDING_FILE = 'pending-objects.json';

function id(ref: ObjectRef): string {
  return `${ref.bucket}/${ref.key}`;
}

export class PendingObjects {
  private readonly refs = new Map<string, ObjectRef>();

  constructor(private readonly path: string) {
    if (!existsSync(path)) return;
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { objects?: ObjectRef[] };
      for (const ref of saved.objects ?? []) {
        if (typeof ref?.bucket === 'string' && typeof ref?.key === 'string') this.refs.set(id(ref), ref);
      }
    } catch {
      // A torn file (killed mid-write cannot happen with rename, but a hand edit can): start empty.
    }
  }

  list(): ObjectRef[] {
    return [...this.refs.values()];
  }

  get size(): number {
    return this.refs.size;
  }

  add(ref: ObjectRef): void {
    if (this.refs.has(id(ref))) return;
    this.refs.set(id(ref), ref);
    this.save();
  }

  remove(refs: readonly ObjectRef[]): void {
    let changed = false;
    for (const ref of refs) changed = this.refs.delete(id(ref)) || changed;
    if (changed) this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ objects: this.list() }, null, 2)}\n`);
    renameSync(tmp, this.path);
  }
}
