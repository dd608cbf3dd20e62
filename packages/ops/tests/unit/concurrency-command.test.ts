/**
 * `pulse concurrency` never throttles the ETL's queue into its DLQ: a reservation below what the
 * SQS event source mapping runs at once is refused (exit 2, saying why), and `--with-mapping`
 * lowers the mapping first. Against Lambda's control plane mocked with aws-sdk-client-mock (no
 * local server exists for it), asserting the exact requests.
 */
import {
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ProvisionedConcurrencyConfigNotFoundException,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandInput,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sentCommands } from '../support/aws-mocks';
import { runPulse } from '../support/run-pulse';

const AWS = ['--stage', 'prod', '--account', '123456789012'];
const ETL = 'opendata-pulse-etl';
const LIVE_ARN = `arn:aws:lambda:ap-southeast-2:123456789012:function:${ETL}:LIVE`;
const UUID = '6f1c2b4e-0d8a-4a57-9a0e-3c1f2d4b5a69';
const QUEUE_ARN = 'arn:aws:sqs:ap-southeast-2:123456789012:opendata-pulse-processing';

const lambdaMock = mockClient(LambdaClient);
beforeEach(() => {
  lambdaMock.reset();
});
afterAll(() => {
  lambdaMock.restore();
});

/** The deployed queue mapping (packages/etl/serverless.yml: maximum concurrency 5, on LIVE). */
function mapping(overrides: Partial<EventSourceMappingConfiguration> = {}): EventSourceMappingConfiguration {
  return {
    UUID,
    EventSourceArn: QUEUE_ARN,
    FunctionArn: LIVE_ARN,
    State: 'Enabled',
    BatchSize: 10,
    ScalingConfig: { MaximumConcurrency: 5 },
    ...overrides,
  };
}

function lambdaWith(mappings: EventSourceMappingConfiguration[], reserved = 10) {
  return lambdaMock
    .on(GetFunctionConcurrencyCommand)
    .resolves({ ReservedConcurrentExecutions: reserved })
    .on(ListEventSourceMappingsCommand)
    .resolves({ EventSourceMappings: mappings })
    .on(PutFunctionConcurrencyCommand)
    .callsFake((input: PutFunctionConcurrencyCommandInput) => ({
      ReservedConcurrentExecutions: input.ReservedConcurrentExecutions,
    }));
}

const concurrency = (...args: string[]) => runPulse(['concurrency', '--function', 'etl', ...args, ...AWS]);
const reads = [
  { command: 'GetFunctionConcurrencyCommand', input: { FunctionName: ETL } },
  { command: 'ListEventSourceMappingsCommand', input: { FunctionName: LIVE_ARN } },
];

describe('concurrency against the queue mapping', () => {
  it('refuses a reservation below the mapping’s maximum concurrency, says why, and changes nothing', async () => {
    // Prepare
    lambdaWith([mapping()]);

    // Act
    const run = await concurrency('--reserved', '3');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `✗ concurrency: ${ETL}: a reservation of 3 is below its SQS event source mapping on opendata-pulse-processing (maximum concurrency 5): ` +
        'the pollers would keep invoking, Lambda would throttle every invocation above 3, and those messages would go back to the queue ' +
        'and reach the DLQ after 3 receives. Reserve at least 5, or add --with-mapping to lower the mapping to 3 as well.\n',
    );
    expect(sentCommands(lambdaMock)).toEqual(reads);
  });

  it('--with-mapping lowers the mapping first, waits for it, then reserves, and warns that a deploy restores it', async () => {
    // Prepare
    lambdaWith([mapping()])
      .on(UpdateEventSourceMappingCommand)
      .resolves(mapping({ State: 'Updating', ScalingConfig: { MaximumConcurrency: 3 } }))
      .on(GetEventSourceMappingCommand)
      .resolvesOnce(mapping({ State: 'Updating', ScalingConfig: { MaximumConcurrency: 3 } }))
      .resolves(mapping({ State: 'Enabled', ScalingConfig: { MaximumConcurrency: 3 } }));

    // Act
    const run = await concurrency('--reserved', '3', '--with-mapping');

    // Assess
    expect(sentCommands(lambdaMock)).toEqual([
      ...reads,
      { command: 'UpdateEventSourceMappingCommand', input: { UUID, ScalingConfig: { MaximumConcurrency: 3 } } },
      { command: 'GetEventSourceMappingCommand', input: { UUID } },
      { command: 'GetEventSourceMappingCommand', input: { UUID } },
      { command: 'PutFunctionConcurrencyCommand', input: { FunctionName: ETL, ReservedConcurrentExecutions: 3 } },
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `✓ ${ETL} reserved concurrency: 10 → 3`,
        `  event source mapping ${UUID} (opendata-pulse-processing): maximum concurrency 5 → 3 (Enabled)`,
        "  ! the next deploy of the function's service puts the mapping's maximum concurrency (and the reservation) back to the deployed values",
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['0', []],
    ['1', ['--with-mapping']],
  ])(
    'refuses --reserved %s (a mapping runs at least 2 at once) and points to the circuit breaker',
    async (n, flags) => {
      // Prepare
      lambdaWith([mapping()]);

      // Act
      const run = await concurrency('--reserved', n, ...flags);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`a reservation of ${n} is below its SQS event source mapping`);
      expect(run.stderr).toContain(
        `A mapping cannot run fewer than 2 at once; to stop the function taking work use \`pulse circuit-breaker on --function ${ETL}\`.`,
      );
      expect(sentCommands(lambdaMock)).toEqual(reads);
    },
  );

  it('counts a mapping without a maximum as unbounded, and offers to give it one', async () => {
    // Prepare
    lambdaWith([mapping({ ScalingConfig: undefined })]);

    // Act
    const run = await concurrency('--reserved', '8');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(no maximum)');
    expect(run.stderr).toContain('Add --with-mapping to give the mapping a maximum concurrency of 8.');
  });

  it('lets a reservation at or above the active mappings through, over every page, leaving the mappings alone', async () => {
    // Prepare: a second page with a disabled mapping and a stream, neither of which polls SQS now
    lambdaWith([])
      .on(ListEventSourceMappingsCommand)
      .resolvesOnce({ EventSourceMappings: [mapping()], NextMarker: 'page-2' })
      .resolves({
        EventSourceMappings: [
          mapping({ UUID: 'old', State: 'Disabled', ScalingConfig: { MaximumConcurrency: 50 } }),
          mapping({ UUID: 'stream', EventSourceArn: 'arn:aws:kinesis:ap-southeast-2:123456789012:stream/x' }),
        ],
      });

    // Act
    const run = await concurrency('--reserved', '5', '--json');

    // Assess
    expect(sentCommands(lambdaMock)).toEqual([
      ...reads,
      { command: 'ListEventSourceMappingsCommand', input: { FunctionName: LIVE_ARN, Marker: 'page-2' } },
      { command: 'PutFunctionConcurrencyCommand', input: { FunctionName: ETL, ReservedConcurrentExecutions: 5 } },
    ]);
    expect(run.json()).toEqual({ function: ETL, before: 10, after: 5 });
  });

  it('refuses --with-mapping with --reserved none, sending nothing that changes', async () => {
    // Prepare
    lambdaWith([mapping()]);

    // Act
    const run = await concurrency('--reserved', 'none', '--with-mapping');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--with-mapping needs a number');
    expect(sentCommands(lambdaMock)).toEqual([reads[0]]);
  });
});

describe("concurrency without a change: the runbook's read-only view", () => {
  it('shows the reservation, provisioned concurrency on LIVE and the queue mapping, and changes nothing', async () => {
    // Prepare
    lambdaWith([mapping()])
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(new ProvisionedConcurrencyConfigNotFoundException({ message: 'none', $metadata: {} }));

    // Act
    const run = await concurrency('--json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      function: ETL,
      reserved: 10,
      provisionedOnLive: null,
      mappings: [{ uuid: UUID, queue: 'opendata-pulse-processing', state: 'Enabled', maximumConcurrency: 5 }],
    });
    expect(sentCommands(lambdaMock)).toEqual([
      { command: 'GetFunctionConcurrencyCommand', input: { FunctionName: ETL } },
      { command: 'GetProvisionedConcurrencyConfigCommand', input: { FunctionName: ETL, Qualifier: 'LIVE' } },
      { command: 'ListEventSourceMappingsCommand', input: { FunctionName: LIVE_ARN } },
    ]);
  });

  it('prints one line per limit for a person', async () => {
    // Prepare
    lambdaWith([mapping()]).on(GetProvisionedConcurrencyConfigCommand).resolves({
      RequestedProvisionedConcurrentExecutions: 2,
    });

    // Act
    const run = await concurrency();

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        ETL,
        '  reserved concurrency:        10',
        '  provisioned on LIVE:         2',
        '  SQS mapping opendata-pulse-processing: maximum concurrency 5 (Enabled)',
        '',
      ].join('\n'),
    );
  });

  it('refuses --with-mapping without a number to lower the mapping to', async () => {
    // Act
    const run = await concurrency('--with-mapping');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--with-mapping goes with --reserved <n>');
    expect(sentCommands(lambdaMock)).toEqual([]);
  });
});
