/** The CLI's pure decisions: hour ranges, freshness verdicts, names, endpoints.json, gap plans, incident notices. */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { parseEndpointsFile } from '@opendata-pulse/local/endpoints';
import { mapLimit } from '@opendata-pulse/shared/async';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { assessFreshness, freshnessVerdict, minutesSinceHourEnded } from '@opendata-pulse/shared/pipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { summariseMessage } from '../../src/adapters/queues';
import { formatMinutes, table } from '../../src/cli/format';
import { localTarget, resolveFunctionName, stageTarget } from '../../src/deployment/deployment';
import { diffVariables } from '../../src/domain/environment-diff';
import { hoursFromOptions } from '../../src/domain/hour-range';
import {
  incidentId,
  parseSeverity,
  renderIncidentResolved,
  renderIncidentUpdate,
  renderNewIncident,
} from '../../src/domain/incident-templates';
import { backfillPayload } from '../../src/use-cases/backfill.use-case';
import { planFix, reprocessKeys } from '../../src/use-cases/gaps.use-case';
import type { HealthReport } from '../../src/use-cases/health-checks';
import { validate } from '../../src/use-cases/validate.use-case';
import { inputsOf } from '../support/aws-mocks';

const NOW = Date.parse('2026-11-20T10:20:00Z');

describe('hour ranges', () => {
  it('--hours N is the last N complete hours, oldest first', () => {
    // Act
    const range = hoursFromOptions({ hours: '3' }, NOW);

    // Assess
    expect(range.hours.map((h) => new Date(h).toISOString().slice(11, 16))).toEqual(['07:00', '08:00', '09:00']);
    expect(new Date(range.to).toISOString()).toBe('2026-11-20T10:00:00.000Z');
  });

  it('--from is inclusive, --to exclusive, and a partial first hour is not included', () => {
    // Act
    const range = hoursFromOptions({ from: '2026-11-19T22:30:00Z', to: '2026-11-20T01:00:00Z' }, NOW);

    // Assess
    expect(range.hours.map((h) => new Date(h).toISOString())).toEqual([
      '2026-11-19T23:00:00.000Z',
      '2026-11-20T00:00:00.000Z',
    ]);
  });

  it('hours that have not ended yet are dropped', () => {
    // Act
    const range = hoursFromOptions({ from: '2026-11-20T08:00:00Z', to: '2026-11-20T12:00:00Z' }, NOW);

    // Assess
    expect(range.hours).toHaveLength(2);
  });

  it.each([
    [{ hours: '0' }, '--hours must be a whole number from 1'],
    [{ hours: '2', from: '2026-11-01' }, 'either --hours N or --from/--to'],
    [{ from: '2026-11-01' }, 'both --from and --to'],
    [{ from: '2026-11-02', to: '2026-11-01' }, 'must be after --from'],
    [{ from: 'yesterday', to: '2026-11-01' }, 'is not an ISO 8601 date'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'at most 9600 at a time'],
    [{ from: '2026-11-21T00:00:00Z', to: '2026-11-22T00:00:00Z' }, 'starts after the latest complete hour'],
  ])('rejects %j', (options, message) => {
    expect(() => hoursFromOptions(options, NOW)).toThrow(message);
  });

  it('backfill sends the ingest contract payload for an hour', () => {
    expect(backfillPayload(Date.parse('2026-11-20T09:00:00Z'))).toEqual({
      backfill: true,
      timestamp: '2026-11-20T09:00:00Z',
    });
  });
});

describe('freshness', () => {
  it('counts minutes from the end of the hour, not its start', () => {
    expect(minutesSinceHourEnded(Date.parse('2026-11-20T09:00:00Z'), NOW)).toBe(20);
  });

  it.each([
    [undefined, 'NO_DATA'],
    [0, 'FRESH'],
    [90, 'FRESH'],
    [91, 'LAGGING'],
    [120, 'LAGGING'],
    [121, 'STALE'],
  ])('%s minutes is %s', (minutes, verdict) => {
    expect(freshnessVerdict(minutes)).toBe(verdict);
  });

  it('points at the ETL when raw is fresh and the table is stale', () => {
    // Act
    const f = assessFreshness({
      newestRawHour: Date.parse('2026-11-20T09:00:00Z'),
      newestTableHour: Date.parse('2026-11-20T05:00:00Z'),
      now: NOW,
    });

    // Assess
    expect(f).toMatchObject({ verdict: 'STALE', tableAgeMinutes: 260, rawAgeMinutes: 20 });
    expect(f.explanation).toMatch(/look at the ETL/);
  });

  it('says the ETL has not run when only raw holds data', () => {
    expect(assessFreshness({ newestRawHour: NOW - 3_600_000, now: NOW }).explanation).toMatch(/ETL has not processed/);
  });
});

describe('names', () => {
  it('prod uses the base names, other stages append the stage; buckets carry the account', () => {
    // Act
    const prod = stageTarget({ stage: 'prod', region: 'ap-southeast-2', accountId: '123456789012' });
    const dev = stageTarget({ stage: 'dev', region: 'ap-southeast-2', accountId: '123456789012' });

    // Assess
    expect(prod).toMatchObject({
      functions: {
        ingest: 'opendata-pulse-ingest',
        etl: 'opendata-pulse-etl',
        api: 'opendata-pulse-api',
        healthCheck: 'opendata-pulse-health-check',
      },
      hourlyRule: 'opendata-pulse-hourly-ingestion',
      rawBucket: 'opendata-pulse-raw-data-123456789012',
      curatedBucket: 'opendata-pulse-curated-data-123456789012',
      table: 'opendata-pulse-hot-aggregates',
      queueName: 'opendata-pulse-processing',
      dlqName: 'opendata-pulse-processing-dlq',
      incidentTopicArn: 'arn:aws:sns:ap-southeast-2:123456789012:incident-alerts',
      criticalTopicArn: 'arn:aws:sns:ap-southeast-2:123456789012:critical-alerts',
    });
    expect(dev.functions.ingest).toBe('opendata-pulse-ingest-dev');
    expect(dev.rawBucket).toBe('opendata-pulse-raw-data-123456789012-dev');
    expect(dev.incidentTopicArn).toBe('arn:aws:sns:ap-southeast-2:123456789012:incident-alerts-dev');
    expect(resolveFunctionName(dev, 'health-check')).toBe('opendata-pulse-health-check-dev');
    expect(resolveFunctionName(dev, 'my-other-function')).toBe('my-other-function');
  });
});

describe('endpoints.json', () => {
  const file = {
    version: 1,
    pid: 4242,
    stage: 'local',
    region: 'ap-southeast-2',
    graphql: { url: 'http://127.0.0.1:4000/graphql', apiKey: 'local-key', graphiql: 'http://127.0.0.1:4000/graphql' },
    endpoints: {
      s3: 'http://127.0.0.1:4569',
      dynamodb: 'http://127.0.0.1:4567',
      sqs: 'http://127.0.0.1:4568',
      lambda: 'http://127.0.0.1:4570',
    },
    resources: {
      rawBucket: 'opendata-pulse-raw-data-000000000000-local',
      curatedBucket: 'opendata-pulse-curated-data-000000000000-local',
      table: 'opendata-pulse-hot-aggregates-local',
      queueUrl: 'http://127.0.0.1:4568/000000000000/opendata-pulse-processing-local',
      queueArn: 'arn:aws:sqs:ap-southeast-2:000000000000:opendata-pulse-processing-local',
      dlqUrl: 'http://127.0.0.1:4568/000000000000/opendata-pulse-processing-dlq-local',
      dlqArn: 'arn:aws:sqs:ap-southeast-2:000000000000:opendata-pulse-processing-dlq-local',
      functions: {
        ingest: 'opendata-pulse-ingest-local',
        etl: 'opendata-pulse-etl-local',
        api: 'opendata-pulse-api-local',
      },
    },
    nsw: { endpoint: 'http://127.0.0.1:4571/api/Data', label: 'sample' },
  };

  it('the file the local stack writes becomes a local target', () => {
    // Act
    const target = localTarget(parseEndpointsFile(JSON.stringify(file)));

    // Assess
    expect(target).toMatchObject({
      mode: 'local',
      stage: 'local',
      accountId: '000000000000',
      table: 'opendata-pulse-hot-aggregates-local',
      queueName: 'opendata-pulse-processing-local',
      dlqName: 'opendata-pulse-processing-dlq-local',
      dlqArn: file.resources.dlqArn,
      queueArn: file.resources.queueArn,
      graphql: { url: 'http://127.0.0.1:4000/graphql', apiKey: 'local-key' },
      endpoints: file.endpoints,
      functions: { ingest: 'opendata-pulse-ingest-local', healthCheck: 'opendata-pulse-health-check-local' },
    });
  });

  it('takes the SNS stand-in and its topics from the file of a stack that has them', () => {
    // Prepare
    const topics = {
      criticalAlerts: 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local',
      incidentAlerts: 'arn:aws:sns:ap-southeast-2:000000000000:incident-alerts-local',
    };
    const withSns = {
      ...file,
      endpoints: { ...file.endpoints, sns: 'http://127.0.0.1:4005' },
      resources: { ...file.resources, topics },
    };

    // Act
    const target = localTarget(parseEndpointsFile(JSON.stringify(withSns)));

    // Assess
    expect(target.endpoints?.sns).toBe('http://127.0.0.1:4005');
    expect(target.criticalTopicArn).toBe(topics.criticalAlerts);
    expect(target.incidentTopicArn).toBe(topics.incidentAlerts);
  });

  it('a file missing what the CLI needs names each missing field', () => {
    // Prepare
    const { endpoints: _e, ...broken } = file;

    // Act + Assess
    expect(() =>
      parseEndpointsFile(JSON.stringify({ ...broken, resources: { table: 't' } }), 'x/endpoints.json'),
    ).toThrow(/x\/endpoints\.json is not a valid endpoints file: endpoints: .*resources\.rawBucket/);
  });
});

describe('gap fixes', () => {
  it('backfills what raw lacks and reprocesses what curated or the table lacks, once raw exists', () => {
    // Prepare
    const h = (n: number) => `2026-11-20T0${n}:00:00Z`;
    const report = {
      from: h(0),
      to: h(4),
      hours: 4,
      missing: { raw: [h(1)], curated: [h(1), h(2)], table: [h(1), h(3)], stationHours: [] },
      gaps: [
        { hour: h(1), raw: false, curated: false, table: false },
        { hour: h(2), raw: true, curated: false, table: true },
        { hour: h(3), raw: true, curated: true, table: false },
      ],
    };

    // Act
    const plan = planFix(report);
    const keysIfBackfillWorked = reprocessKeys(
      plan,
      new Map([1, 2, 3].map((n) => [Date.parse(h(n)), rawObjectKey(h(n))])),
    );
    const keysIfBackfillFailed = reprocessKeys(
      plan,
      new Map([2, 3].map((n) => [Date.parse(h(n)), rawObjectKey(h(n))])),
    );

    // Assess
    expect(plan.backfill).toEqual([Date.parse(h(1))]);
    expect(keysIfBackfillWorked).toEqual([1, 2, 3].map((n) => rawObjectKey(h(n))));
    expect(keysIfBackfillFailed).toEqual([2, 3].map((n) => rawObjectKey(h(n))));
  });
});

describe('incident notices', () => {
  it('SEV1 says the response time and the next update in 30 minutes', () => {
    // Act
    const notice = renderNewIncident(
      { severity: 1, description: 'API down', impact: 'All GraphQL queries fail', commander: 'Sam' },
      Date.parse('2026-11-20T10:00:00Z'),
    );

    // Assess
    expect(notice.incidentId).toBe('INC-20261120-1000');
    expect(notice.subject).toBe('[SEV1] OpenData Pulse incident INC-20261120-1000: API down');
    expect(notice.message).toBe(
      [
        'INCIDENT ALERT - OpenData Pulse System',
        '',
        'Severity: SEV1 (Critical) — response within 15 minutes',
        'Start Time: 2026-11-20 10:00 UTC',
        'Status: Investigating',
        '',
        'Description: API down',
        '',
        'Impact: All GraphQL queries fail',
        '',
        'Next Update: 2026-11-20 10:30 UTC',
        '',
        'Incident Commander: Sam',
      ].join('\n'),
    );
  });

  it('update carries the status; resolve carries the duration and the follow-up', () => {
    // Act
    const update = renderIncidentUpdate(
      { id: 'INC-1', severity: 3, status: 'monitoring', update: 'Backfill done', actions: ['pulse gaps --fix'] },
      Date.parse('2026-11-20T11:00:00Z'),
    );
    const resolved = renderIncidentResolved(
      {
        id: 'INC-1',
        severity: 2,
        rootCause: 'NSW API returned 500s',
        resolution: 'Backfilled',
        startedAt: Date.parse('2026-11-20T08:15:00Z'),
        followUps: ['alarm on NSW 5xx'],
        postMortem: '2026-11-22',
      },
      Date.parse('2026-11-20T11:00:00Z'),
    );

    // Assess
    expect(update.subject).toBe('[SEV3] Monitoring: OpenData Pulse incident INC-1');
    expect(update.message).toContain('Next Update: 2026-11-20 11:30 UTC');
    expect(resolved.message).toContain('Duration: 2 h 45 min');
    expect(resolved.message).toContain('Follow-up Actions:\n- alarm on NSW 5xx');
  });

  it('severity accepts 1-4 and SEVn, nothing else; subjects stay within SNS limits', () => {
    expect(parseSeverity('SEV2')).toBe(2);
    expect(() => parseSeverity('5')).toThrow('--severity must be 1, 2, 3 or 4');
    expect(
      renderNewIncident({ severity: 4, description: 'x'.repeat(200), impact: 'none', commander: 'Sam' }, NOW).subject
        .length,
    ).toBe(100);
    expect(incidentId(Date.parse('2026-01-02T03:04:59Z'))).toBe('INC-20260102-0304');
  });
});

describe('validate', () => {
  const health = (over: Partial<HealthReport> = {}): HealthReport => ({
    checkedAt: '',
    stage: 'prod',
    mode: 'aws',
    healthy: true,
    checks: [],
    freshness: { verdict: 'FRESH', tableAgeMinutes: 20, newestTableHour: '2026-11-20T09:00:00.000Z', explanation: '' },
    dlqDepth: 0,
    queueDepth: 0,
    circuitBreakers: {},
    ...over,
  });

  it('reads Errors, Invocations and Throttles of every function over the window in one GetMetricData', async () => {
    // Prepare
    const cloudwatch = new CloudWatchClient({ region: 'ap-southeast-2' });
    const cloudwatchMock = mockClient(cloudwatch);
    cloudwatchMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'invocations0', Values: [1] },
        { Id: 'errors0', Values: [0] },
        { Id: 'invocations1', Values: [10, 2] },
        { Id: 'errors1', Values: [1] },
      ],
    });

    // Act
    const report = await validate({
      health: health(),
      cloudwatch,
      functions: ['opendata-pulse-ingest', 'opendata-pulse-etl'],
      windowMinutes: 60,
      now: NOW,
    });

    // Assess
    expect(cloudwatchMock).toHaveReceivedNthCommandWith(GetMetricDataCommand, 1, {
      StartTime: new Date(NOW - 3_600_000),
      EndTime: new Date(NOW),
    });
    const [input] = inputsOf(cloudwatchMock.commandCalls(GetMetricDataCommand));
    expect(input?.MetricDataQueries?.[1]).toEqual({
      Id: 'errors0',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'opendata-pulse-ingest' }],
        },
        Period: 3600,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    const errors = report.checks.find((c) => c.id === 'errors');
    expect(errors?.status).toBe('fail');
    expect(errors?.detail).toContain('opendata-pulse-etl 1 errors/12 invocations');
    expect(report.passed).toBe(false);
  });

  it('a DLQ backlog fails validation even when everything else is fine', async () => {
    // Act
    const report = await validate({ health: health({ dlqDepth: 2 }), functions: [], windowMinutes: 60, now: NOW });

    // Assess
    expect(report.checks.find((c) => c.id === 'dlq')).toMatchObject({
      status: 'fail',
      detail: '2 message(s) in the DLQ',
    });
  });
});

describe('small helpers', () => {
  it('mapLimit keeps order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let peak = 0;

    // Act
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      return n * 10;
    });

    // Assess
    expect(out).toEqual([10, 20, 30, 40, 50, 60]);
    expect(peak).toBe(2);
  });

  it('variable diffs name added, removed and changed variables', () => {
    expect(diffVariables({ A: '1', B: '2', C: '3' }, { A: '1', B: '9', D: '4' })).toEqual({
      added: ['D'],
      removed: ['C'],
      changed: [{ name: 'B', from: '2', to: '9' }],
    });
  });

  it('a DLQ message is summarised by the raw object it names', () => {
    // Act
    const summary = summariseMessage(
      {
        MessageId: 'm1',
        Body: JSON.stringify({
          'detail-type': 'Object Created',
          source: 'aws.s3',
          detail: { bucket: { name: 'raw' }, object: { key: 'nsw-air-quality/raw/2026/11/20/09.json' } },
        }),
        Attributes: { SentTimestamp: String(NOW - 600_000), ApproximateReceiveCount: '3' },
      },
      NOW,
    );

    // Assess
    expect(summary).toEqual({
      messageId: 'm1',
      sentAt: '2026-11-20T10:10:00.000Z',
      ageMinutes: 10,
      receiveCount: 3,
      objects: ['s3://raw/nsw-air-quality/raw/2026/11/20/09.json'],
    });
  });

  it('formats ages and aligns tables', () => {
    expect([formatMinutes(12), formatMinutes(95), formatMinutes(3000)]).toEqual(['12m', '1h 35m', '2d 2h']);
    expect(
      table(
        [
          ['a', 'bbb'],
          ['cc', 'd'],
        ],
        ['x', 'y'],
      ),
    ).toEqual(['x   y', 'a   bbb', 'cc  d']);
  });
});
