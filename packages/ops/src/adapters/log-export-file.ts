/** A local log export: the stack log's lines of one function and window, in one file under the data dir. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeLogExport(path: string, lines: string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}
