import { Sha256 } from '@aws-crypto/sha256-js';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { authenticate, parseSigV4Authorization, verifySigV4 } from '../../src/appsync';

const NOW = Date.UTC(2026, 2, 1, 1, 0, 0);
const BODY = '{"query":"mutation { publishHourUpdate }"}';

async function signed(options: { service?: string; region?: string; at?: number } = {}) {
  const signer = new SignatureV4({
    service: options.service ?? 'appsync',
    region: options.region ?? 'ap-southeast-2',
    credentials: LOCAL_CREDENTIALS,
    sha256: Sha256,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4000,
      path: '/graphql',
      headers: { host: '127.0.0.1:4000', 'content-type': 'application/json' },
      body: BODY,
    },
    { signingDate: new Date(options.at ?? NOW) },
  );
  return { method: 'POST', url: '/graphql', headers: request.headers, body: BODY };
}

const local = { credentials: [LOCAL_CREDENTIALS], region: 'ap-southeast-2', now: NOW };

describe('verifySigV4', () => {
  it('accepts a request signed for appsync with the local credentials', async () => {
    await expect(verifySigV4(await signed(), local)).resolves.toEqual({ ok: true, accessKeyId: 'S3RVER' });
  });

  it.each([
    ['another service', { service: 'execute-api' }, /scoped to correct service/],
    ['another region', { region: 'us-east-1' }, /scoped to a valid region/],
    ['a signature 20 minutes old', { at: NOW - 20 * 60_000 }, /Signature expired/],
  ])('refuses %s, saying why', async (_what, options, message) => {
    await expect(verifySigV4(await signed(options), local)).resolves.toEqual({
      ok: false,
      message: expect.stringMatching(message),
    });
  });

  it('refuses an unknown access key', async () => {
    const result = await verifySigV4(await signed(), {
      ...local,
      credentials: [{ accessKeyId: 'OTHER', secretAccessKey: 'x' }],
    });
    expect(result).toEqual({ ok: false, message: 'The security token included in the request is invalid.' });
  });
});

describe('authenticate with a SigV4 header', () => {
  it('names an IAM caller by its access key (verifySigV4 checks the signature)', async () => {
    const { headers } = await signed();
    const result = authenticate({ get: (n) => headers[n.toLowerCase()] ?? null }, { apiKey: 'k', users: [] });
    expect(result).toEqual({ ok: true, caller: { mode: 'AWS_IAM', accessKeyId: 'S3RVER' } });
    expect(parseSigV4Authorization(headers.authorization ?? '')).toMatchObject({
      service: 'appsync',
      region: 'ap-southeast-2',
    });
  });
});
