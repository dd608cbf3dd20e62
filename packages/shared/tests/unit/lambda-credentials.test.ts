import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, defaultProvider } from '../../src/aws/lambda-credentials';

describe('Lambda bundles: AWS credentials from the environment Lambda sets', () => {
  it('reads the role credentials Lambda puts in the environment', () => {
    expect(
      credentialsFromEnv({
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
        AWS_CREDENTIAL_EXPIRATION: '2026-12-02T15:00:00Z',
      }),
    ).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date('2026-12-02T15:00:00Z'),
    });
  });

  it('names the missing variables', () => {
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE' })).toThrow(
      /^AWS_SECRET_ACCESS_KEY not set: this bundle reads AWS credentials from the environment only/,
    );
    expect(() => credentialsFromEnv({})).toThrow(/^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/);
  });

  it('is the provider the SDK clients ask for, reading process.env when called', async () => {
    const provider = defaultProvider({});
    await expect(provider()).resolves.toMatchObject({ accessKeyId: process.env.AWS_ACCESS_KEY_ID });
  });
});
