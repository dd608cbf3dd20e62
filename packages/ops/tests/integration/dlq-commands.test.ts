/**
 * A real poison object: a raw object the ETL cannot parse, sent through the processing queue and
 * consumed by the local stack's queue poller with the real ETL handler until it lands in the DLQ.
 * Then the runbook: health shows it, dlq show names it, a backfill fetches its hour again (the bad
 * object stays: nothing in the raw zone is overwritten), and dlq drop clears its message.
 */
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PendingObjects, QueuePoller } from '@opendata-pulse/local/glue';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { silentLog } from '@opendata-pulse/local/stack';
import { buildEventBridgeObjectCreated } from '@opendata-pulse/shared/events';
import { keys, rawDayKey, rawObjectKey } from '@opendata-pulse/shared/keys';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { moveByHand } from '../../src/use-cases/dlq.use-case';
import type { HealthReport } from '../../src/use-cases/health-checks';
import { runPulse } from '../support/run-pulse';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');
const POISON_HOUR = '2025-07-01T10:00:00Z';

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('dlq show / redrive / drop with a real poison object', () => {
  let nsw: FakeNsw;
  let stack: TestStack;
  let poller: QueuePoller;
  let env: Record<string, string>;

  beforeAll(async () => {
    nsw = await startFakeNsw();
    stack = await startTestStack(local, { nswEndpoint: nsw.endpoint });
    env = { PULSE_DATA_DIR: stack.dataDir };
    poller = new QueuePoller({
      sqs: stack.clients.sqs,
      queueUrl: stack.resources.queueUrl,
      queueArn: stack.resources.queueArn,
      region: local.region,
      functions: stack.functions,
      pending: new PendingObjects(join(stack.dataDir, 'pending-objects.json')),
      log: silentLog,
      retryDelaySeconds: 1,
      maxReceiveCount: 3,
    });
    poller.start();
    // Prepare: the poison object and its "Object Created" event on the processing queue
    const key = rawObjectKey(POISON_HOUR);
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.resources.rawBucket, Key: key, Body: '{"not": "an envelope"' }),
    );
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queueUrl,
        MessageBody: JSON.stringify(
          buildEventBridgeObjectCreated({
            bucket: stack.resources.rawBucket,
            key,
            region: local.region,
            account: '000000000000',
          }),
        ),
      }),
    );
    await waitFor('the poison message to reach the DLQ', async () => {
      return (await queueDepth(stack.clients.sqs, stack.resources.dlqUrl)).visible === 1;
    });
  });
  afterAll(async () => {
    await poller.stop();
    await stack.stop();
    await nsw.close();
  });

  it('health fails on the DLQ and dlq show names the poison object', async () => {
    // Act
    const health = await runPulse(['health', '--local', '--json'], { env });
    const show = await runPulse(['dlq', 'show', '--local', '--json'], { env });
    const human = await runPulse(['dlq', 'show', '--local'], { env });

    // Assess
    expect(health.code).toBe(1);
    expect(health.json<HealthReport>().dlqDepth).toBe(1);
    const view = show.json<{ depth: number; messages: { objects: string[]; receiveCount: number }[] }>();
    expect(show.code).toBe(1);
    expect(view.depth).toBe(1);
    expect(view.messages[0]?.objects).toEqual([`s3://${stack.resources.rawBucket}/${rawObjectKey(POISON_HOUR)}`]);
    expect(human.stdout).toContain('1 message waiting');
    expect(human.stdout).toContain(rawObjectKey(POISON_HOUR));
    // a peek leaves the message in the DLQ
    expect((await queueDepth(stack.clients.sqs, stack.resources.dlqUrl)).visible).toBe(1);
  });

  it('redrive refuses without --yes when there is no terminal, and stops when the operator says no', async () => {
    // Act
    const unattended = await runPulse(['dlq', 'redrive', '--local'], { env });
    const declined = await runPulse(['dlq', 'redrive', '--local'], { env, answers: ['n'] });

    // Assess
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain('refusing without --yes');
    expect(declined.code).toBe(2);
    expect(declined.stderr).toContain('Move 1 message from');
    expect(declined.stderr).toContain('cancelled: nothing was changed');
    expect((await queueDepth(stack.clients.sqs, stack.resources.dlqUrl)).visible).toBe(1);
  });

  it('after a backfill fetches the hour again, drop clears the bad object’s message and the hour is served', async () => {
    // Prepare: the runbook's fix: ingest the hour's local date again (a day object beside the bad
    // one, whose newer fetch wins), and let the ETL process that
    const key = rawObjectKey(POISON_HOUR);
    const fixed = await runPulse(
      ['backfill', '--local', '--from', POISON_HOUR, '--to', '2025-07-01T11:00:00Z', '--json'],
      { env },
    );
    const summary = fixed.json<{ counts: { written: number }; days: Array<{ key?: string }> }>();
    expect(summary.counts.written).toBe(1);
    expect(summary.days.map((d) => d.key)).toEqual([rawDayKey('2025-07-01')]);
    await runPulse(['reprocess', '--local', '--key', rawDayKey('2025-07-01')], { env });

    // Act
    const declined = await runPulse(['dlq', 'drop', '--local', '--object', key], { env, answers: ['n'] });
    const other = await runPulse(
      ['dlq', 'drop', '--local', '--object', rawObjectKey('2025-07-01T09:00:00Z'), '--yes'],
      { env },
    );
    const drop = await runPulse(['dlq', 'drop', '--local', '--object', key, '--yes', '--json'], { env });
    const after = await runPulse(['dlq', 'show', '--local', '--json'], { env });
    const reading = await stack.clients.dynamo.send(
      new GetCommand({ TableName: stack.resources.table, Key: keys.reading(39, POISON_HOUR) }),
    );

    // Assess
    expect(declined.code).toBe(2);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('no DLQ message names');
    expect(drop.code).toBe(0);
    expect(drop.json()).toMatchObject({
      dropped: [{ objects: [`s3://${stack.resources.rawBucket}/${key}`] }],
      kept: 0,
    });
    expect(after.code).toBe(0);
    expect(after.json()).toMatchObject({ depth: 0 });
    expect(reading.Item?.source).toMatchObject({ rawKey: rawDayKey('2025-07-01') });
    expect(
      await stack.clients.s3.send(new HeadObjectCommand({ Bucket: stack.resources.rawBucket, Key: key })),
    ).toBeDefined();
  });

  it('the hand-made move (receive, send, delete) moves every message and loses none', async () => {
    // Prepare: three messages in the DLQ, with the poller stopped so they stay where moved
    await poller.stop();
    for (const n of [1, 2, 3]) {
      await stack.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: stack.resources.dlqUrl, MessageBody: JSON.stringify({ n }) }),
      );
    }

    // Act
    const result = await moveByHand(stack.clients.sqs, {
      queueUrl: stack.resources.queueUrl,
      queueArn: stack.resources.queueArn,
      dlqUrl: stack.resources.dlqUrl,
      dlqArn: stack.resources.dlqArn,
    });

    // Assess: every message is on the processing queue, none left behind (long polls: the stopped
    // poller's last receive may still hold some invisible for a moment)
    expect(result).toEqual({ method: 'receive-send-delete', status: 'COMPLETED', moved: 3, toMove: 3 });
    const bodies: string[] = [];
    for (let attempt = 0; attempt < 10 && bodies.length < 3; attempt++) {
      const page = await stack.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.resources.queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 30,
          WaitTimeSeconds: 2,
        }),
      );
      bodies.push(...(page.Messages ?? []).map((m) => m.Body ?? ''));
    }
    expect(bodies.sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    await waitFor('the DLQ to read empty', async () => {
      const depth = await queueDepth(stack.clients.sqs, stack.resources.dlqUrl);
      return depth.visible + depth.inFlight === 0;
    });
  });
});
