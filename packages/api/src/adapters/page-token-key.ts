/**
 * The key that signs page tokens. In AWS it is an SSM SecureString (named by
 * PAGE_TOKEN_KEY_PARAMETER) read once per cold start, so every instance of the function signs
 * alike and tokens outlive deployments. Without a parameter (local stack, tests) a random key per
 * process is used, and the log says that tokens will not survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '@opendata-pulse/shared/errors';
import type { Logger } from '@opendata-pulse/shared/observability';

export const MIN_KEY_LENGTH = 32;

export interface PageTokenKeySource {
  parameterName?: string | undefined;
  ssm: () => Pick<SSMClient, 'send'>;
  logger: Pick<Logger, 'warn' | 'info'>;
}

export async function loadPageTokenKey(source: PageTokenKeySource): Promise<Uint8Array> {
  if (!source.parameterName) {
    source.logger.warn(
      'PAGE_TOKEN_KEY_PARAMETER is not set: page tokens are signed with a random key of this process and will not survive a restart',
    );
    return randomBytes(MIN_KEY_LENGTH);
  }
  const result = await source.ssm().send(new GetParameterCommand({ Name: source.parameterName, WithDecryption: true }));
  const value = result.Parameter?.Value;
  if (!value || Buffer.byteLength(value, 'utf8') < MIN_KEY_LENGTH) {
    throw new ConfigError(
      `SSM parameter ${source.parameterName} must hold a page-token key of at least ${MIN_KEY_LENGTH} bytes`,
    );
  }
  if (result.Parameter?.Type !== undefined && result.Parameter.Type !== 'SecureString') {
    source.logger.warn('page-token key parameter is not a SecureString', { parameter: source.parameterName });
  }
  source.logger.info('page-token key loaded', { parameter: source.parameterName, version: result.Parameter?.Version });
  return Buffer.from(value, 'utf8');
}
