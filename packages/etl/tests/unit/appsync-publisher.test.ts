/**
 * The publisher's two outside worlds: SSM (mocked with aws-sdk-client-mock: no local SSM exists)
 * for where to publish, and the AppSync endpoint (a fake fetch here; the integration test signs
 * against the local GraphQL server, which verifies the signature).
 */
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAppSyncPublisher,
  HourUpdatePublishError,
  noGraphqlUrl,
  PUBLISH_HOUR_UPDATE_MUTATION,
  ssmGraphqlUrl,
  staticGraphqlUrl,
} from '../../src/adapters/appsync-publisher';
import type { HourUpdate } from '../../src/use-cases/ports';

const PARAMETER = '/opendata-pulse-dev/api/graphql-url';
const URL_ = 'https://abc123.appsync-api.ap-southeast-2.amazonaws.com/graphql';
const UPDATE: HourUpdate = {
  region: 'Sydney East',
  hourStart: '2026-03-01T01:00:00.000Z',
  stations: [{ siteId: 39, name: 'Rozelle', suburb: 'Rozelle', category: 'GOOD', determiningPollutant: 'PM2.5' }],
};
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const notFound = () => new ParameterNotFound({ message: 'Parameter not found', $metadata: {} });

describe('ssmGraphqlUrl', () => {
  it('reads the parameter once and keeps it for the life of the environment', async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({ Parameter: { Value: URL_ } });
    const url = ssmGraphqlUrl(new SSMClient({ region: 'ap-southeast-2' }), PARAMETER);

    // Act
    const answers = [await url(), await url(), await url()];

    // Assess
    expect(answers).toEqual([URL_, URL_, URL_]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('answers undefined while the parameter is missing, and asks again only after the retry interval', async () => {
    // Prepare
    let now = 0;
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(notFound())
      .resolves({ Parameter: { Value: URL_ } });
    const url = ssmGraphqlUrl(new SSMClient({ region: 'ap-southeast-2' }), PARAMETER, {
      retryMissingMs: 60_000,
      now: () => now,
    });

    // Act
    const first = await url();
    now = 30_000;
    const soon = await url();
    now = 61_000;
    const later = await url();

    // Assess
    expect([first, soon, later]).toEqual([undefined, undefined, URL_]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('throws any other SSM error, so the publish fails and is counted', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const url = ssmGraphqlUrl(new SSMClient({ region: 'ap-southeast-2' }), PARAMETER);

    // Act / Assess
    await expect(url()).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('createAppSyncPublisher', () => {
  it('posts the mutation selecting every field, SigV4-signed for the appsync service', async () => {
    // Prepare
    const calls: { url: string; init: RequestInit }[] = [];
    const publisher = createAppSyncPublisher({
      url: staticGraphqlUrl(URL_),
      region: 'ap-southeast-2',
      credentials: CREDENTIALS,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(JSON.stringify({ data: { publishHourUpdate: UPDATE } }), { status: 200 });
      },
    });

    // Act
    const outcome = await publisher.publish(UPDATE);

    // Assess
    expect(outcome).toBe('published');
    const [call] = calls;
    const headers = call?.init.headers as Record<string, string>;
    expect(call?.url).toBe(URL_);
    expect(JSON.parse(String(call?.init.body))).toEqual({
      query: PUBLISH_HOUR_UPDATE_MUTATION,
      variables: { input: UPDATE },
    });
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-2\/appsync\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    for (const field of ['region', 'hourStart', 'siteId', 'name', 'suburb', 'category', 'determiningPollutant']) {
      expect(PUBLISH_HOUR_UPDATE_MUTATION).toContain(field);
    }
  });

  it('skips without a request while no URL is known', async () => {
    // Prepare
    let requests = 0;
    const publisher = createAppSyncPublisher({
      url: noGraphqlUrl,
      region: 'ap-southeast-2',
      credentials: CREDENTIALS,
      fetch: async () => {
        requests++;
        return new Response('{}');
      },
    });

    // Act / Assess
    await expect(publisher.available()).resolves.toBe(false);
    await expect(publisher.publish(UPDATE)).resolves.toBe('no-endpoint');
    expect(requests).toBe(0);
  });

  it("throws AppSync's refusal with its errorType (an unauthorised role, a bad input)", async () => {
    // Prepare
    const publisher = createAppSyncPublisher({
      url: staticGraphqlUrl(URL_),
      region: 'ap-southeast-2',
      credentials: CREDENTIALS,
      fetch: async () =>
        new Response(
          JSON.stringify({
            data: { publishHourUpdate: null },
            errors: [
              { errorType: 'Unauthorized', message: 'Not Authorized to access publishHourUpdate on type Mutation' },
            ],
          }),
          { status: 200 },
        ),
    });

    // Act / Assess
    await expect(publisher.publish(UPDATE)).rejects.toThrow(HourUpdatePublishError);
    await expect(publisher.publish(UPDATE)).rejects.toMatchObject({
      errorType: 'Unauthorized',
      message: expect.stringContaining('Not Authorized to access publishHourUpdate'),
    });
  });
});
