/**
 * The key that signs page tokens, read once per cold start so that every instance of the function
 * signs alike and tokens outlive deployments (docs/architecture.md, "Configuration and errors").
 * - In AWS: the Secrets Manager secret the API's own deploy generates; the environment carries its
 *   ARN (PAGE_TOKEN_KEY_SECRET_ARN), never the value.
 * - On the local stack: a file in the data dir (PAGE_TOKEN_KEY_FILE) the stack creates on its
 *   first start, so tokens survive a restart there too.
 * - Neither (tests, an in-process runtime): a random key of this process, and the log says that
 *   tokens will not survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '@opendata-pulse/shared/errors';
import type { Logger } from '@opendata-pulse/shared/observability';

/** Characters a stored key must hold (the deploy generates 64). */
export const MIN_KEY_LENGTH = 48;
/** Bytes of the per-process fallback key (the codec's minimum). */
const RANDOM_KEY_BYTES = 32;

export interface PageTokenKeySource {
  /** PAGE_TOKEN_KEY_SECRET_ARN */
  secretArn?: string | undefined;
  /** PAGE_TOKEN_KEY_FILE */
  file?: string | undefined;
  secrets: () => Pick<SecretsManagerClient, 'send'>;
  logger: Pick<Logger, 'warn' | 'info'>;
}

function checkedKey(value: string | undefined, where: string): Uint8Array {
  if (value === undefined || value === '') {
    throw new ConfigError(`${where} holds no page-token key (at least ${MIN_KEY_LENGTH} characters are needed)`);
  }
  if (value.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      `${where} holds a page-token key of ${value.length} characters; at least ${MIN_KEY_LENGTH} are needed`,
    );
  }
  return Buffer.from(value, 'utf8');
}

async function fromSecret(source: PageTokenKeySource, secretArn: string): Promise<Uint8Array> {
  const where = `Secrets Manager secret ${secretArn}`;
  let value: string | undefined;
  try {
    value = (await source.secrets().send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    throw new ConfigError(`cannot read ${where}: ${(error as Error).name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const key = checkedKey(value, where);
  source.logger.info('page-token key loaded', { secret: secretArn });
  return key;
}

function fromFile(source: PageTokenKeySource, file: string): Uint8Array {
  const where = `page-token key file ${file}`;
  let value: string;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`cannot read ${where}: ${(error as Error).message}`, { cause: error });
  }
  const key = checkedKey(value, where);
  source.logger.info('page-token key loaded', { file });
  return key;
}

export async function loadPageTokenKey(source: PageTokenKeySource): Promise<Uint8Array> {
  const { secretArn, file } = source;
  if (secretArn && file) {
    throw new ConfigError('PAGE_TOKEN_KEY_SECRET_ARN and PAGE_TOKEN_KEY_FILE are both set: set one of them');
  }
  if (secretArn) return fromSecret(source, secretArn);
  if (file) return fromFile(source, file);
  source.logger.warn(
    'neither PAGE_TOKEN_KEY_SECRET_ARN nor PAGE_TOKEN_KEY_FILE is set: page tokens are signed with a random key of this process and will not survive a restart',
  );
  return randomBytes(RANDOM_KEY_BYTES);
}
