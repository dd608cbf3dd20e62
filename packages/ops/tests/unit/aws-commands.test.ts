/**
 * schedule, api-cache, auth, stack, logs and incident --publish against mocked AWS clients
 * (aws-sdk-client-mock: EventBridge, AppSync, Cognito, CloudFormation, CloudWatch Logs, SNS): the
 * exact requests, and what the operator reads. `table` is in table-commands.test.ts.
 */
import {
  type ApiCache,
  AppSyncClient,
  CreateApiCacheCommand,
  type CreateApiCacheCommandInput,
  FlushApiCacheCommand,
  GetApiCacheCommand,
  ListGraphqlApisCommand,
  NotFoundException,
} from '@aws-sdk/client-appsync';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type DescribeStacksCommandInput,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_FILTER } from '../../src/adapters/cloudwatch-logs';
import { temporaryPassword } from '../../src/domain/temporary-password';
import { inputsOf, sentCommands } from '../support/aws-mocks';
import { runPulse } from '../support/run-pulse';

const AWS = ['--stage', 'prod', '--account', '123456789012'];

const eventbridgeMock = mockClient(EventBridgeClient);
const appsyncMock = mockClient(AppSyncClient);
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const cloudformationMock = mockClient(CloudFormationClient);
const logsMock = mockClient(CloudWatchLogsClient);
const snsMock = mockClient(SNSClient);
const mocks = [eventbridgeMock, appsyncMock, cognitoMock, cloudformationMock, logsMock, snsMock];

beforeEach(() => {
  for (const mock of mocks) mock.reset();
});
afterAll(() => {
  for (const mock of mocks) mock.restore();
});

describe('schedule', () => {
  const rule = (state: RuleState, name = 'opendata-pulse-hourly-ingestion') =>
    eventbridgeMock
      .on(DescribeRuleCommand, { Name: name })
      .resolves({
        Name: 'opendata-pulse-hourly-ingestion',
        State: state,
        ScheduleExpression: 'rate(1 hour)',
      })
      .on(ListTargetsByRuleCommand)
      .resolves({
        Targets: [
          { Id: 'ingest-live', Arn: 'arn:aws:lambda:ap-southeast-2:123456789012:function:opendata-pulse-ingest:LIVE' },
        ],
      })
      .on(EnableRuleCommand)
      .resolves({})
      .on(DisableRuleCommand)
      .resolves({});

  it('status shows the rule, its schedule and its target, and exits 1 when disabled', async () => {
    // Prepare
    rule('DISABLED');

    // Act
    const run = await runPulse(['schedule', 'status', ...AWS]);

    // Assess
    expect(sentCommands(eventbridgeMock)).toEqual([
      { command: 'DescribeRuleCommand', input: { Name: 'opendata-pulse-hourly-ingestion' } },
      { command: 'ListTargetsByRuleCommand', input: { Rule: 'opendata-pulse-hourly-ingestion' } },
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ opendata-pulse-hourly-ingestion: DISABLED (rate(1 hour))');
    expect(run.stdout).toContain('function:opendata-pulse-ingest:LIVE');
  });

  it('disable asks, then disables the stage-named rule; enable reminds to fill the gap', async () => {
    // Prepare: the dev rule is enabled, the prod rule disabled
    rule('ENABLED', 'opendata-pulse-hourly-ingestion-dev');
    rule('DISABLED');

    // Act
    const off = await runPulse(['schedule', 'disable', '--stage', 'dev', '--account', '123456789012'], {
      answers: ['y'],
    });
    const on = await runPulse(['schedule', 'enable', ...AWS]);

    // Assess
    expect(inputsOf(eventbridgeMock.commandCalls(DisableRuleCommand))).toEqual([
      { Name: 'opendata-pulse-hourly-ingestion-dev' },
    ]);
    expect(off.stdout).toContain('ENABLED → DISABLED');
    expect(inputsOf(eventbridgeMock.commandCalls(EnableRuleCommand))).toEqual([
      { Name: 'opendata-pulse-hourly-ingestion' },
    ]);
    expect(on.stdout).toContain('pulse gaps --hours 24 --fix');
  });
});

describe('api-cache', () => {
  function appsync(cache?: ApiCache) {
    appsyncMock.on(ListGraphqlApisCommand).resolves({
      graphqlApis: [
        { name: 'opendata-pulse-api-dev', apiId: 'dev1' },
        {
          name: 'opendata-pulse-api',
          apiId: 'prod1',
          uris: { GRAPHQL: 'https://x.appsync-api.ap-southeast-2.amazonaws.com/graphql' },
        },
      ],
    });
    if (cache) appsyncMock.on(GetApiCacheCommand).resolves({ apiCache: cache });
    else
      appsyncMock
        .on(GetApiCacheCommand)
        .rejects(new NotFoundException({ message: 'Cache not found', $metadata: { httpStatusCode: 404 } }));
    appsyncMock
      .on(CreateApiCacheCommand)
      .callsFake((input: CreateApiCacheCommandInput) => ({ apiCache: { ...input, status: 'CREATING' } }))
      .on(FlushApiCacheCommand)
      .resolves({});
  }

  it('status finds the stage API by name and reports a missing cache as a problem', async () => {
    // Prepare
    appsync();

    // Act
    const run = await runPulse(['api-cache', 'status', ...AWS]);

    // Assess
    expect(inputsOf(appsyncMock.commandCalls(GetApiCacheCommand))).toEqual([{ apiId: 'prod1' }]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('opendata-pulse-api (prod1): no cache');
  });

  it('enable creates an encrypted per-resolver cache', async () => {
    // Prepare
    appsync();

    // Act
    const run = await runPulse(['api-cache', 'enable', '--ttl', '600', ...AWS]);

    // Assess
    expect(inputsOf(appsyncMock.commandCalls(CreateApiCacheCommand))).toEqual([
      {
        apiId: 'prod1',
        ttl: 600,
        type: 'SMALL',
        apiCachingBehavior: 'PER_RESOLVER_CACHING',
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
      },
    ]);
    expect(run.code).toBe(0);
  });

  it('enable leaves an existing cache alone; flush flushes by API id', async () => {
    // Prepare
    appsync({
      status: 'AVAILABLE',
      type: 'SMALL',
      apiCachingBehavior: 'PER_RESOLVER_CACHING',
      ttl: 300,
    });

    // Act
    const enable = await runPulse(['api-cache', 'enable', ...AWS, '--json']);
    const flush = await runPulse(['api-cache', 'flush', '--api-id', 'prod1', ...AWS]);

    // Assess
    expect(enable.json()).toMatchObject({ created: false });
    expect(appsyncMock).not.toHaveReceivedCommand(CreateApiCacheCommand);
    expect(inputsOf(appsyncMock.commandCalls(FlushApiCacheCommand))).toEqual([{ apiId: 'prod1' }]);
    expect(flush.stdout).toContain('cache of opendata-pulse-api (prod1) flushed');
  });
});

describe('auth', () => {
  const policy = {
    MinimumLength: 12,
    RequireUppercase: true,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: false,
    TemporaryPasswordValidityDays: 7,
  };
  function cognito(signIn: () => Partial<AdminInitiateAuthCommandOutput>) {
    cognitoMock
      .on(ListUserPoolsCommand)
      .resolves({ UserPools: [{ Name: 'opendata-pulse-users', Id: 'ap-southeast-2_pool' }] })
      .on(ListUserPoolClientsCommand)
      .resolves({ UserPoolClients: [{ ClientName: 'opendata-pulse-api', ClientId: 'client1' }] })
      .on(DescribeUserPoolCommand)
      .resolves({
        UserPool: {
          Name: 'opendata-pulse-users',
          MfaConfiguration: 'OPTIONAL',
          EstimatedNumberOfUsers: 3,
          Policies: { PasswordPolicy: policy },
        },
      })
      .on(DescribeUserPoolClientCommand)
      .resolves({
        UserPoolClient: {
          ClientName: 'opendata-pulse-api',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
          AccessTokenValidity: 1,
          RefreshTokenValidity: 30,
        },
      })
      .on(AdminInitiateAuthCommand)
      .callsFake(signIn)
      .on(AdminGetUserCommand)
      .resolves({ Username: 'ops@example.org', UserStatus: 'CONFIRMED' })
      .on(AdminSetUserPasswordCommand)
      .resolves({});
  }

  it('check describes pool and client and signs the user in with the admin password flow', async () => {
    // Prepare
    cognito(() => ({ AuthenticationResult: { ExpiresIn: 3600 } }));

    // Act
    const run = await runPulse(['auth', 'check', '--user', 'ops@example.org', ...AWS], {
      env: { PULSE_AUTH_PASSWORD: 'Correct-Horse-42' },
    });

    // Assess
    expect(inputsOf(cognitoMock.commandCalls(AdminInitiateAuthCommand))).toEqual([
      {
        UserPoolId: 'ap-southeast-2_pool',
        ClientId: 'client1',
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ops@example.org', PASSWORD: 'Correct-Horse-42' },
      },
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ sign-in ops@example.org +tokens issued \(expire in 3600 s\)/);
    expect(run.stdout).toContain('flows ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH');
  });

  it('check fails on a refused sign-in', async () => {
    // Prepare
    cognito(() => {
      throw new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} });
    });

    // Act
    const run = await runPulse(['auth', 'check', '--user', 'ops@example.org', ...AWS, '--json'], {
      env: { PULSE_AUTH_PASSWORD: 'wrong' },
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.json<{ checks: { id: string; status: string; detail: string }[] }>().checks.at(-1)).toEqual({
      id: 'sign-in',
      name: 'sign-in ops@example.org',
      status: 'fail',
      detail: 'NotAuthorizedException: Incorrect username or password.',
    });
  });

  it('reset-password sets a temporary (not permanent) password that meets the pool policy', async () => {
    // Prepare
    cognito(() => ({}));

    // Act
    const run = await runPulse(['auth', 'reset-password', '--user', 'ops@example.org', '--yes', ...AWS, '--json']);

    // Assess
    expect(cognitoMock).toHaveReceivedCommandWith(AdminSetUserPasswordCommand, {
      UserPoolId: 'ap-southeast-2_pool',
      Username: 'ops@example.org',
      Permanent: false,
    });
    const [call] = inputsOf(cognitoMock.commandCalls(AdminSetUserPasswordCommand));
    const password = String(call?.Password);
    expect(password).toHaveLength(16);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[0-9]/);
    expect(run.json()).toMatchObject({ temporaryPassword: password, before: 'CONFIRMED', validDays: 7 });
  });

  it('temporary passwords honour a longer minimum length', () => {
    // Act
    const password = temporaryPassword({ MinimumLength: 24 });

    // Assess
    expect(password).toHaveLength(24);
  });
});

describe('stack status', () => {
  it('lists the four stacks and, for a rolled-back one, the failed events of its last update only', async () => {
    // Prepare
    const at = (m: number) => new Date(Date.UTC(2026, 10, 20, 10, m));
    const event = (n: number, fields: Omit<StackEvent, 'StackId' | 'EventId' | 'StackName'>): StackEvent => ({
      StackId: 'arn:aws:cloudformation:ap-southeast-2:123456789012:stack/opendata-pulse-etl-prod/1',
      EventId: `event-${n}`,
      StackName: 'opendata-pulse-etl-prod',
      ...fields,
    });
    cloudformationMock
      .on(DescribeStacksCommand)
      .callsFake((input: DescribeStacksCommandInput) => {
        if (input.StackName === 'opendata-pulse-ops-prod') {
          throw new CloudFormationServiceException({
            name: 'ValidationError',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
            message: 'Stack with id opendata-pulse-ops-prod does not exist',
          });
        }
        return input.StackName === 'opendata-pulse-etl-prod'
          ? {
              Stacks: [
                {
                  StackName: 'opendata-pulse-etl-prod',
                  StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
                  LastUpdatedTime: at(5),
                },
              ],
            }
          : {
              Stacks: [{ StackName: String(input.StackName), StackStatus: 'UPDATE_COMPLETE', LastUpdatedTime: at(1) }],
            };
      })
      .on(DescribeStackEventsCommand)
      .resolves({
        StackEvents: [
          event(4, {
            LogicalResourceId: 'opendata-pulse-etl-prod',
            ResourceType: 'AWS::CloudFormation::Stack',
            ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
            Timestamp: at(9),
          }),
          event(3, {
            LogicalResourceId: 'EtlLambdaFunction',
            ResourceType: 'AWS::Lambda::Function',
            ResourceStatus: 'UPDATE_FAILED',
            ResourceStatusReason: 'Resource handler returned message: "Runtime nodejs99.x is not supported"',
            Timestamp: at(6),
          }),
          event(2, {
            LogicalResourceId: 'opendata-pulse-etl-prod',
            ResourceType: 'AWS::CloudFormation::Stack',
            ResourceStatus: 'UPDATE_IN_PROGRESS',
            ResourceStatusReason: 'User Initiated',
            Timestamp: at(5),
          }),
          event(1, {
            LogicalResourceId: 'OldThing',
            ResourceType: 'AWS::SQS::Queue',
            ResourceStatus: 'CREATE_FAILED',
            ResourceStatusReason: 'an older deploy',
            Timestamp: at(0),
          }),
        ],
      });

    // Act
    const run = await runPulse(['stack', 'status', ...AWS, '--json']);

    // Assess
    expect(inputsOf(cloudformationMock.commandCalls(DescribeStacksCommand)).map((i) => i.StackName)).toEqual([
      'opendata-pulse-ingest-prod',
      'opendata-pulse-etl-prod',
      'opendata-pulse-api-prod',
      'opendata-pulse-ops-prod',
    ]);
    expect(inputsOf(cloudformationMock.commandCalls(DescribeStackEventsCommand))).toEqual([
      { StackName: 'opendata-pulse-etl-prod' },
    ]);
    const out = run.json<{ stacks: { service: string; status: string; failed: { resource: string }[] }[] }>();
    expect(out.stacks.map((s) => [s.service, s.status, s.failed.map((f) => f.resource)])).toEqual([
      ['ingest', 'UPDATE_COMPLETE', []],
      ['etl', 'UPDATE_ROLLBACK_COMPLETE', ['EtlLambdaFunction']],
      ['api', 'UPDATE_COMPLETE', []],
      ['ops', 'NOT_DEPLOYED', []],
    ]);
    expect(run.code).toBe(1);
  });
});

describe('logs', () => {
  it('filters the function log group for errors since the given time and reads Powertools JSON lines', async () => {
    // Prepare
    const now = Date.parse('2026-11-20T12:00:00Z');
    logsMock.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) =>
      input.nextToken === undefined
        ? {
            events: [
              {
                timestamp: now - 3_000_000,
                logStreamName: 's1',
                message: JSON.stringify({
                  level: 'ERROR',
                  message: 'raw object failed',
                  error: { message: 'raw object is not JSON' },
                }),
              },
            ],
            nextToken: 't2',
          }
        : {
            events: [
              { timestamp: now - 60_000, logStreamName: 's2', message: 'Task timed out after 300.00 seconds\n' },
            ],
          },
    );

    // Act
    const run = await runPulse(['logs', '--function', 'etl', '--since', '2h', '--errors', ...AWS], { now });

    // Assess
    expect(inputsOf(logsMock.commandCalls(FilterLogEventsCommand))).toEqual([
      {
        logGroupName: '/aws/lambda/opendata-pulse-etl',
        startTime: now - 7_200_000,
        endTime: now,
        filterPattern: ERROR_FILTER,
      },
      {
        logGroupName: '/aws/lambda/opendata-pulse-etl',
        startTime: now - 7_200_000,
        endTime: now,
        filterPattern: ERROR_FILTER,
        nextToken: 't2',
      },
    ]);
    expect(run.stdout).toContain('ERROR raw object failed: raw object is not JSON');
    expect(run.stdout).toContain('Task timed out after 300.00 seconds');
    expect(run.code).toBe(1);
  });

  it('rejects a malformed --since', async () => {
    // Act
    const run = await runPulse(['logs', '--function', 'etl', '--since', 'yesterday', ...AWS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since "yesterday" must look like 90s, 30m, 2h or 1d');
  });
});

describe('incident --publish', () => {
  it('publishes the rendered notice to the stage incident-alerts topic with its attributes', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });

    // Act
    const run = await runPulse(
      [
        'incident',
        'new',
        '--severity',
        '2',
        '--description',
        'Data stale since 09:00',
        '--impact',
        'Readings 3 h old',
        '--commander',
        'Alex Chen',
        '--id',
        'INC-20261120-1000',
        '--publish',
        '--stage',
        'staging',
        '--account',
        '123456789012',
        '--json',
      ],
      { now: Date.parse('2026-11-20T10:00:00Z') },
    );

    // Assess
    const [publish] = inputsOf(snsMock.commandCalls(PublishCommand));
    expect(publish).toEqual({
      TopicArn: 'arn:aws:sns:ap-southeast-2:123456789012:incident-alerts-staging',
      Subject: '[SEV2] OpenData Pulse incident INC-20261120-1000: Data stale since 09:00',
      Message: expect.stringContaining('Severity: SEV2 (High) — response within 1 hour'),
      MessageAttributes: {
        severity: { DataType: 'Number', StringValue: '2' },
        incidentId: { DataType: 'String', StringValue: 'INC-20261120-1000' },
        phase: { DataType: 'String', StringValue: 'new' },
      },
    });
    expect(run.json()).toMatchObject({ published: true, messageId: 'm-1' });
  });

  it('renders without publishing and without any target when --publish is absent', async () => {
    // Act
    const run = await runPulse(
      [
        'incident',
        'resolve',
        '--id',
        'INC-1',
        '--severity',
        '3',
        '--started',
        '2026-11-20T09:00:00Z',
        '--root-cause',
        'NSW API outage',
        '--resolution',
        'Backfilled 3 hours',
        '--follow-up',
        'alarm on NSW 5xx',
        '--postmortem-date',
        '2026-11-21',
      ],
      { now: Date.parse('2026-11-20T13:00:00Z') },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('INCIDENT RESOLVED - OpenData Pulse System\n\nIncident ID: INC-1');
    expect(run.stdout).toContain('(not sent: add --publish to send it to incident-alerts)');
  });
});

describe('target resolution', () => {
  it('asks STS for the account when --account is not given, and builds ARNs in that account and region', async () => {
    // Prepare
    const regions: string[] = [];
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-2' });

    // Act
    const run = await runPulse(
      [
        'incident',
        'update',
        '--id',
        'INC-1',
        '--severity',
        '1',
        '--status',
        'identified',
        '--summary',
        'Cause found',
        '--action',
        'circuit breaker on',
        '--publish',
        '--stage',
        'prod',
        '--region',
        'us-east-1',
      ],
      {
        resolveAccount: async (r) => {
          regions.push(r);
          return '210987654321';
        },
      },
    );

    // Assess
    expect(regions).toEqual(['us-east-1']);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:210987654321:incident-alerts',
    });
    expect(run.code).toBe(0);
  });

  it('refuses to guess: no --stage and no --local is an error that names both', async () => {
    // Act
    const run = await runPulse(['schedule', 'status']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--stage <stage> (AWS) or --local');
  });
});
