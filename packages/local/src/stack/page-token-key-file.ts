/**
 * The page-token signing key of the local stack: a file in the data dir, the stand-in for the
 * secret the API's deploy generates (docs/architecture.md, "Local stack: stand-ins and known
 * gaps"). Created with a random value on the first start, readable by its owner only, and kept
 * across restarts, so a page token issued before a restart still works after it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PAGE_TOKEN_KEY_FILE = join('secrets', 'page-token-key');
/** As many characters as the deployed secret (64), from 48 random bytes. */
const KEY_BYTES = 48;
/** What the API accepts (packages/api, page-token-key.ts). */
const MIN_KEY_LENGTH = 48;

export class PageTokenKeyFileError extends Error {
  override name = 'PageTokenKeyFileError';
}

/** The key file of `dataDir`, created when missing; its path, for PAGE_TOKEN_KEY_FILE. */
export function ensurePageTokenKeyFile(dataDir: string): string {
  const path = join(dataDir, PAGE_TOKEN_KEY_FILE);
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  try {
    // `wx`: never replace a key that exists, even one another process wrote a moment ago.
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const length = readFileSync(path, 'utf8').trim().length;
  if (length < MIN_KEY_LENGTH) {
    throw new PageTokenKeyFileError(
      `${path} holds a page-token key of ${length} characters; at least ${MIN_KEY_LENGTH} are needed (delete the file to have a new one made; page tokens issued before stop working)`,
    );
  }
  return path;
}
