/** The ExportStore port over a Map, for unit tests (no I/O): keeps what was put, signs nothing. */
import type { ExportStore } from '../../src/use-cases/ports';

export function inMemoryExportStore() {
  const objects = new Map<string, { body: string; contentType: string; fileName: string }>();
  const store: ExportStore = {
    async put(key, body, meta) {
      objects.set(key, { body: Buffer.from(body).toString('utf8'), ...meta });
    },
    async downloadUrl(key, expiresInSeconds) {
      return `https://exports.example/${key}?expires=${expiresInSeconds}`;
    },
  };
  return { store, objects };
}
