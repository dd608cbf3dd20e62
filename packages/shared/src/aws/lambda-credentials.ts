/**
 * The SDK's default credential provider as the Lambda bundles see it (each service's serverless.yml
 * aliases `@aws-sdk/credential-provider-node` to this module). Lambda always hands a function its
 * role's credentials in the environment, so the rest of the SDK's chain (ini files, SSO, process,
 * web identity, instance metadata, with the STS/SSO clients they load) is bytes every cold start
 * parses and never runs (docs/DEPLOY.md, "Source maps and cold starts").
 */

/** The shape of the SDK's `EnvCredentials`. */
export interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  credentialScope?: string;
  accountId?: string;
}

const REQUIRED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** The credentials in `env`; a clear error naming what is missing when they are not there. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvCredentials {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `${missing.join(' and ')} not set: this bundle reads AWS credentials from the environment only, as Lambda sets them`,
    );
  }
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID as string,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
    ...(env.AWS_CREDENTIAL_SCOPE ? { credentialScope: env.AWS_CREDENTIAL_SCOPE } : {}),
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
  };
}

/** Same export as `@aws-sdk/credential-provider-node`, which the SDK clients call. */
export const defaultProvider = (_init?: unknown) => async (): Promise<EnvCredentials> => credentialsFromEnv();
