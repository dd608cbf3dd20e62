/**
 * Publishes an HourUpdate through the API's `publishHourUpdate` mutation, SigV4-signed for AppSync
 * (service `appsync`) with the function's own credentials: the api service grants the ETL's role
 * `appsync:GraphQL` on that one field. The mutation selects every field of HourUpdate, since
 * subscribers receive only the fields the mutation selected.
 *
 * Where to publish comes from a GraphqlUrlSource: in AWS the SSM parameter the api service writes
 * (`/opendata-pulse[-stage]/api/graphql-url`), read once per cold start; locally the URL the stack
 * hands the function in GRAPHQL_URL (there is no SSM locally). The signing and the request are the
 * same either way.
 */

import { Sha256 } from '@aws-crypto/sha256-js';
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HourUpdate, HourUpdatePublisher } from '../use-cases/ports';

/** The GraphQL URL, or undefined while it is not known. */
export type GraphqlUrlSource = () => Promise<string | undefined>;

export const PUBLISH_HOUR_UPDATE_MUTATION = /* GraphQL */ `mutation PublishHourUpdate($input: HourUpdateInput!) {
  publishHourUpdate(input: $input) {
    region
    hourStart
    stations { siteId name suburb category determiningPollutant }
  }
}`;

/** A publish AppSync (or the network) refused; `errorType` is AppSync's when it gave one. */
export class HourUpdatePublishError extends Error {
  override name = 'HourUpdatePublishError';
  constructor(
    message: string,
    readonly errorType?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The URL the host gave (the local stack). */
export const staticGraphqlUrl =
  (url: string): GraphqlUrlSource =>
  async () =>
    url;

/** No URL configured: every publish is skipped (and counted). */
export const noGraphqlUrl: GraphqlUrlSource = async () => undefined;

/**
 * The SSM parameter, read at the first publish and kept for the environment's life. While it is
 * missing (the api service not deployed yet) it is asked again at most every `retryMissingMs`, so
 * a deploy of the api takes effect without waiting for a cold start. Other SSM errors throw (the
 * publish fails, is counted, and the next publish asks again).
 */
export function ssmGraphqlUrl(
  ssm: SSMClient,
  parameterName: string,
  options: { retryMissingMs?: number; now?: () => number } = {},
): GraphqlUrlSource {
  const retryMissingMs = options.retryMissingMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let found: string | undefined;
  let missingSince: number | undefined;
  return async () => {
    if (found) return found;
    if (missingSince !== undefined && now() - missingSince < retryMissingMs) return undefined;
    try {
      const answer = await ssm.send(new GetParameterCommand({ Name: parameterName }));
      found = answer.Parameter?.Value || undefined;
      missingSince = found ? undefined : now();
      return found;
    } catch (error) {
      if (error instanceof ParameterNotFound || (error as { name?: string }).name === 'ParameterNotFound') {
        missingSince = now();
        return undefined;
      }
      throw error;
    }
  };
}

export interface AppSyncPublisherOptions {
  url: GraphqlUrlSource;
  region: string;
  /** static credentials or a provider (the SDK's default chain in Lambda) */
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  /** one publish may take this long before it counts as failed (default 5 s) */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createAppSyncPublisher(options: AppSyncPublisherOptions): HourUpdatePublisher {
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async available() {
      return Boolean(await options.url());
    },
    async publish(update: HourUpdate) {
      const url = await options.url();
      if (!url) return 'no-endpoint';
      const target = new URL(url);
      const body = JSON.stringify({ query: PUBLISH_HOUR_UPDATE_MUTATION, variables: { input: update } });
      const signed = await signer.sign(
        new HttpRequest({
          method: 'POST',
          protocol: target.protocol,
          hostname: target.hostname,
          ...(target.port ? { port: Number(target.port) } : {}),
          path: target.pathname,
          headers: { host: target.host, 'content-type': 'application/json', accept: 'application/json' },
          body,
        }),
      );
      // fetch sets Host itself (the same value that was signed).
      const { host: _host, ...headers } = signed.headers;
      const res = await send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      let answer: {
        data?: { publishHourUpdate?: unknown } | null;
        errors?: { errorType?: string; message?: string }[];
      };
      try {
        answer = JSON.parse(text);
      } catch {
        throw new HourUpdatePublishError(
          `AppSync answered HTTP ${res.status} with a body that is not JSON`,
          undefined,
          res.status,
        );
      }
      const [first] = answer.errors ?? [];
      if (!res.ok || first || !answer.data?.publishHourUpdate) {
        throw new HourUpdatePublishError(
          `publishHourUpdate refused (HTTP ${res.status}): ${first?.errorType ?? 'no errorType'}: ${first?.message ?? 'no data'}`,
          first?.errorType,
          res.status,
        );
      }
      return 'published';
    },
  };
}
