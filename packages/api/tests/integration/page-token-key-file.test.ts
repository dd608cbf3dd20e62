import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@opendata-pulse/shared/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPageTokenKey } from '../../src/adapters/page-token-key';

// The local stack's key: a file in its data dir (the stack writes it; the API only reads it).
const dir = mkdtempSync(join(tmpdir(), 'pulse-key-'));
const logger = { warn: () => undefined, info: () => undefined };
const noSecrets = () => {
  throw new Error('the file source must not make a Secrets Manager client');
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the page-token key from a file', () => {
  it('is the file’s content, without its trailing newline, the same on every load', async () => {
    // Prepare
    const file = join(dir, 'key');
    writeFileSync(file, `${'a1'.repeat(32)}\n`);

    // Act
    const [first, second] = await Promise.all([1, 2].map(() => loadPageTokenKey({ file, secrets: noSecrets, logger })));

    // Assess
    expect(Buffer.from(first as Uint8Array).toString()).toBe('a1'.repeat(32));
    expect(Buffer.from(second as Uint8Array).equals(Buffer.from(first as Uint8Array))).toBe(true);
  });

  it('is refused, naming the file, when it is too short or missing', async () => {
    // Prepare
    const short = join(dir, 'short');
    writeFileSync(short, 'abc');
    const missing = join(dir, 'missing');

    // Act
    const errors = await Promise.all(
      [short, missing].map((file) => loadPageTokenKey({ file, secrets: noSecrets, logger }).catch((e: unknown) => e)),
    );

    // Assess
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect((errors[0] as Error).message).toBe(
      `page-token key file ${short} holds a page-token key of 3 characters; at least 48 are needed`,
    );
    expect(errors[1]).toBeInstanceOf(ConfigError);
    expect((errors[1] as Error).message).toContain(`cannot read page-token key file ${missing}`);
  });
});
