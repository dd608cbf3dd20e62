import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensurePageTokenKeyFile,
  PAGE_TOKEN_KEY_FILE,
  PageTokenKeyFileError,
} from '../../src/stack/page-token-key-file';

const dataDir = () => mkdtempSync(join(tmpdir(), 'pulse-key-file-'));

describe("the local stack's page-token key file", () => {
  it('is created on the first start with a random key only its owner can read', () => {
    // Prepare
    const [a, b] = [dataDir(), dataDir()];

    // Act
    const pathA = ensurePageTokenKeyFile(a);
    const pathB = ensurePageTokenKeyFile(b);

    // Assess
    expect(pathA).toBe(join(a, PAGE_TOKEN_KEY_FILE));
    expect(statSync(pathA).mode & 0o777).toBe(0o600);
    const key = readFileSync(pathA, 'utf8').trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(readFileSync(pathB, 'utf8').trim()).not.toBe(key);
  });

  it('is kept as it is on every later start', () => {
    // Prepare
    const dir = dataDir();
    const path = ensurePageTokenKeyFile(dir);
    const key = readFileSync(path, 'utf8');

    // Act
    const again = ensurePageTokenKeyFile(dir);

    // Assess
    expect(again).toBe(path);
    expect(readFileSync(again, 'utf8')).toBe(key);
  });

  it('is refused, naming the file, when someone left a key too short in it', () => {
    // Prepare
    const dir = dataDir();
    const path = ensurePageTokenKeyFile(dir);
    writeFileSync(path, 'short\n');

    // Act / Assess
    expect(() => ensurePageTokenKeyFile(dir)).toThrow(PageTokenKeyFileError);
    expect(() => ensurePageTokenKeyFile(dir)).toThrow(`${path} holds a page-token key of 5 characters`);
  });
});
