/**
 * AppSync's IAM mode for the local server: a request carrying `Authorization: AWS4-HMAC-SHA256
 * Credential=<key>/<date>/<region>/appsync/aws4_request, SignedHeaders=..., Signature=...` is an
 * IAM caller when its access key is one of the local credentials and the signature, computed again
 * here over the signed headers and the body, matches (SigV4, service `appsync`). This is how the
 * local ETL's publisher reaches Mutation.publishHourUpdate through the same signing code as in AWS.
 * Policies are not evaluated: a valid local signature may call every `@aws_iam` field.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface IamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** The request as it reached the server: what the signature covers. */
export interface SignedRequest {
  method: string;
  /** path and query, as on the request line */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type IamVerification = { ok: true; accessKeyId: string } | { ok: false; message: string };

/** AWS refuses signatures older or newer than this. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export const isSigV4 = (authorization: string | null | undefined): boolean =>
  typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256');

export function parseSigV4Authorization(authorization: string): SigV4Authorization | undefined {
  const m = AUTHORIZATION_RE.exec(authorization.trim());
  if (!m) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = m;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20260301T010203Z` -> Date, or undefined. */
function amzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Verify a SigV4-signed request against the local credentials. */
export async function verifySigV4(
  request: SignedRequest,
  options: { credentials: readonly IamCredentials[]; region: string; now?: number },
): Promise<IamVerification> {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const auth = parseSigV4Authorization(headers.authorization ?? '');
  if (!auth) return { ok: false, message: 'Authorization header is not a valid AWS4-HMAC-SHA256 signature.' };
  const credentials = options.credentials.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credentials) return { ok: false, message: 'The security token included in the request is invalid.' };
  if (auth.service !== 'appsync') {
    return { ok: false, message: `Credential should be scoped to correct service: 'appsync' (not '${auth.service}').` };
  }
  if (auth.region !== options.region) {
    return { ok: false, message: `Credential should be scoped to a valid region: '${options.region}'.` };
  }
  const signingDate = amzDate(headers['x-amz-date']);
  if (!signingDate?.toISOString().replace(/-/g, '').startsWith(auth.date)) {
    return { ok: false, message: 'X-Amz-Date is missing or does not match the credential scope.' };
  }
  if (Math.abs((options.now ?? Date.now()) - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, message: 'Signature expired: X-Amz-Date is more than 15 minutes from the server time.' };
  }
  // A signed payload hash stands for the body in the signature: it must be the body's.
  const payloadHash = headers['x-amz-content-sha256'];
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body, 'utf8').digest('hex')) {
    return {
      ok: false,
      message: 'The provided x-amz-content-sha256 header does not match what was computed (the body signature).',
    };
  }
  const url = new URL(request.url, 'http://local');
  const signed = Object.fromEntries(auth.signedHeaders.map((name) => [name, headers[name] ?? '']));
  // Only the headers the client signed, and no checksum header of the signer's own: any SigV4 client
  // (an SDK, the AWS CLI, curl --aws-sigv4) signs its own set.
  const signer = new SignatureV4({
    credentials,
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      headers: signed,
      body: request.body,
    },
    { signingDate },
  );
  const recomputed = parseSigV4Authorization(expected.headers.authorization ?? '');
  if (!recomputed || !sameText(recomputed.signature, auth.signature)) {
    return {
      ok: false,
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { ok: true, accessKeyId: auth.accessKeyId };
}
