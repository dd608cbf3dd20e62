import type { SSMClient } from '@aws-sdk/client-ssm';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ConfigError } from '@opendata-pulse/shared/errors';
import { describe, expect, it } from 'vitest';
import { loadPageTokenKey } from '../../src/adapters/page-token-key';

// SSM has no local server: its client is replaced by a recording double here (and only here).
function fakeSsm(value: string | undefined, type = 'SecureString') {
  const sent: GetParameterCommand[] = [];
  const client = {
    send: async (command: GetParameterCommand) => {
      sent.push(command);
      return {
        Parameter: value === undefined ? undefined : { Name: command.input.Name, Type: type, Value: value, Version: 3 },
      };
    },
  } as unknown as Pick<SSMClient, 'send'>;
  return { client, sent };
}

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    logger: {
      warn: (message: string) => void lines.push({ level: 'warn', message }),
      info: (message: string) => void lines.push({ level: 'info', message }),
    },
  };
}

describe('the page-token key', () => {
  it('is read from the SSM SecureString, decrypted, with one request', async () => {
    // Prepare
    const ssm = fakeSsm('k'.repeat(48));
    const { logger } = recordingLogger();

    // Act
    const key = await loadPageTokenKey({
      parameterName: '/opendata-pulse/api/page-token-key',
      ssm: () => ssm.client,
      logger,
    });

    // Assess
    expect(Buffer.from(key).toString()).toBe('k'.repeat(48));
    expect(ssm.sent).toHaveLength(1);
    expect(ssm.sent[0]).toBeInstanceOf(GetParameterCommand);
    expect(ssm.sent[0]?.input).toEqual({ Name: '/opendata-pulse/api/page-token-key', WithDecryption: true });
  });

  it('is refused when the parameter holds fewer than 32 bytes or nothing', async () => {
    // Prepare
    const { logger } = recordingLogger();

    // Act / Assess
    for (const value of ['short', undefined]) {
      const ssm = fakeSsm(value);
      await expect(loadPageTokenKey({ parameterName: '/p', ssm: () => ssm.client, logger })).rejects.toBeInstanceOf(
        ConfigError,
      );
    }
  });

  it('is random per process without a parameter, and the log says tokens will not survive a restart', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();
    let clientsMade = 0;

    // Act
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        loadPageTokenKey({
          parameterName: undefined,
          ssm: () => {
            clientsMade++;
            return fakeSsm('x').client;
          },
          logger,
        }),
      ),
    );

    // Assess
    expect(a?.byteLength).toBe(32);
    expect(Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array))).toBe(false);
    expect(clientsMade).toBe(0);
    expect(lines[0]).toMatchObject({ level: 'warn' });
    expect(lines[0]?.message).toContain('will not survive a restart');
  });
});
