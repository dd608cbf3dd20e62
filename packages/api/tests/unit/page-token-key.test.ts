import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '@opendata-pulse/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPageTokenKey, MIN_KEY_LENGTH } from '../../src/adapters/page-token-key';

// Secrets Manager has no local server: its client is mocked, and the requests asserted exactly.
const secretsMock = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:PageTokenKeySecret-AbCdEf';

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

function load(secretArn: string | undefined) {
  const client = new SecretsManagerClient({ region: 'ap-southeast-2' });
  return loadPageTokenKey({ secretArn, secrets: () => client, logger: recordingLogger().logger });
}

async function configErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

beforeEach(() => {
  secretsMock.reset();
});
afterAll(() => {
  secretsMock.restore();
});

describe('the page-token key', () => {
  it('is read from the Secrets Manager secret the environment names, with one GetSecretValue', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: 'k'.repeat(64) });

    // Act
    const key = await load(SECRET_ARN);

    // Assess
    expect(Buffer.from(key).toString()).toBe('k'.repeat(64));
    expect(secretsMock.calls()).toHaveLength(1);
    expect(secretsMock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SECRET_ARN },
    ]);
  });

  it('is refused, naming the secret, when the secret holds fewer than 48 characters', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(MIN_KEY_LENGTH - 1) });

    // Act
    const message = await configErrorOf(load(SECRET_ARN));

    // Assess
    expect(message).toBe(
      `Secrets Manager secret ${SECRET_ARN} holds a page-token key of 47 characters; at least 48 are needed`,
    );
  });

  it('is refused, naming the secret, when the secret holds no string value', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(64) });

    // Act
    const message = await configErrorOf(load(SECRET_ARN));

    // Assess
    expect(message).toBe(
      `Secrets Manager secret ${SECRET_ARN} holds no page-token key (at least 48 characters are needed)`,
    );
  });

  it('is refused, naming the secret, when the secret does not exist', async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'Secrets Manager can’t find the secret', $metadata: {} }));

    // Act
    const message = await configErrorOf(load(SECRET_ARN));

    // Assess
    expect(message).toContain(`cannot read Secrets Manager secret ${SECRET_ARN}: ResourceNotFoundException`);
  });

  it('refuses a secret and a file at once', async () => {
    // Act
    const message = await configErrorOf(
      loadPageTokenKey({
        secretArn: SECRET_ARN,
        file: '/tmp/page-token-key',
        secrets: () => new SecretsManagerClient({}),
        logger: recordingLogger().logger,
      }),
    );

    // Assess
    expect(message).toBe('PAGE_TOKEN_KEY_SECRET_ARN and PAGE_TOKEN_KEY_FILE are both set: set one of them');
    expect(secretsMock.calls()).toHaveLength(0);
  });

  it('is random per process without a secret or a file, and the log says tokens will not survive a restart', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();
    let clientsMade = 0;
    const secrets = () => {
      clientsMade++;
      return new SecretsManagerClient({});
    };

    // Act
    const [a, b] = await Promise.all([1, 2].map(() => loadPageTokenKey({ secrets, logger })));

    // Assess
    expect(a?.byteLength).toBe(32);
    expect(Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array))).toBe(false);
    expect(clientsMade).toBe(0);
    expect(secretsMock.calls()).toHaveLength(0);
    expect(lines[0]).toMatchObject({ level: 'warn' });
    expect(lines[0]?.message).toContain('will not survive a restart');
  });
});
