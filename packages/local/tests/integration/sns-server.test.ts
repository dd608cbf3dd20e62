/**
 * The local SNS stand-in answering the real AWS SDK: @aws-sdk/client-sns sends Publish in the AWS
 * query protocol and reads the XML answer; each message lands as one JSON line in its topic's file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { LOCAL_CREDENTIALS } from '@opendata-pulse/shared/aws';
import { afterEach, describe, expect, it } from 'vitest';
import { type SnsNotification, type SnsServer, startSnsServer } from '../../src/sns/sns-server';

const CRITICAL = 'arn:aws:sns:ap-southeast-2:000000000000:critical-alerts-local';
const INCIDENT = 'arn:aws:sns:ap-southeast-2:000000000000:incident-alerts-local';
const NOW = Date.parse('2026-11-20T10:05:00Z');

const running: Array<{ server: SnsServer; sns: SNSClient }> = [];
afterEach(async () => {
  for (const { server, sns } of running.splice(0)) {
    sns.destroy();
    await server.close();
  }
});

async function start() {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-sns-'));
  const server = await startSnsServer({ dataDir, topicArns: [CRITICAL, INCIDENT], now: () => NOW });
  const sns = new SNSClient({ region: 'ap-southeast-2', endpoint: server.url, credentials: LOCAL_CREDENTIALS });
  running.push({ server, sns });
  return { dataDir, server, sns };
}

function lines(file: string): SnsNotification[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as SnsNotification);
}

describe('local SNS: Publish from @aws-sdk/client-sns', () => {
  it('answers PublishCommand with a message id and appends the message to <data dir>/sns/<topic>.jsonl', async () => {
    // Prepare
    const { dataDir, sns } = await start();

    // Act
    const first = await sns.send(
      new PublishCommand({
        TopicArn: INCIDENT,
        Subject: '[SEV2] OpenData Pulse incident INC-1: data stale',
        Message: 'INCIDENT DECLARED\n\nSeverity: SEV2 & <high>',
        MessageAttributes: {
          severity: { DataType: 'Number', StringValue: '2' },
          incidentId: { DataType: 'String', StringValue: 'INC-1' },
        },
      }),
    );
    const second = await sns.send(new PublishCommand({ TopicArn: INCIDENT, Message: 'second' }));

    // Assess
    expect(first.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(lines(join(dataDir, 'sns', 'incident-alerts-local.jsonl'))).toEqual([
      {
        Type: 'Notification',
        MessageId: first.MessageId,
        TopicArn: INCIDENT,
        Subject: '[SEV2] OpenData Pulse incident INC-1: data stale',
        Message: 'INCIDENT DECLARED\n\nSeverity: SEV2 & <high>',
        Timestamp: '2026-11-20T10:05:00.000Z',
        MessageAttributes: {
          severity: { Type: 'Number', Value: '2' },
          incidentId: { Type: 'String', Value: 'INC-1' },
        },
      },
      {
        Type: 'Notification',
        MessageId: second.MessageId,
        TopicArn: INCIDENT,
        Message: 'second',
        Timestamp: '2026-11-20T10:05:00.000Z',
      },
    ]);
  });

  it('keeps each topic in its own file', async () => {
    // Prepare
    const { server, sns } = await start();

    // Act
    await sns.send(new PublishCommand({ TopicArn: CRITICAL, Message: 'critical' }));
    await sns.send(new PublishCommand({ TopicArn: INCIDENT, Message: 'incident' }));

    // Assess
    expect(lines(server.fileOf(CRITICAL)).map((l) => l.Message)).toEqual(['critical']);
    expect(lines(server.fileOf(INCIDENT)).map((l) => l.Message)).toEqual(['incident']);
  });

  it('answers a topic that does not exist with NotFound, as SNS does', async () => {
    // Prepare
    const { sns } = await start();

    // Act
    const error = await sns
      .send(new PublishCommand({ TopicArn: 'arn:aws:sns:ap-southeast-2:000000000000:nobody', Message: 'x' }))
      .catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist' });
  });

  it('refuses what SNS refuses, naming the parameter: an empty message, a subject with a line break', async () => {
    // Prepare
    const { server, sns } = await start();

    // Act
    const empty = await sns.send(new PublishCommand({ TopicArn: CRITICAL, Message: '' })).catch((e: Error) => e);
    const subject = await sns
      .send(new PublishCommand({ TopicArn: CRITICAL, Subject: 'two\nlines', Message: 'x' }))
      .catch((e: Error) => e);
    const long = await sns
      .send(new PublishCommand({ TopicArn: CRITICAL, Subject: 's'.repeat(100), Message: 'x' }))
      .catch((e: Error) => e);

    // Assess
    expect(empty).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Message') });
    expect(subject).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Subject') });
    expect(long).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Subject') });
    expect(() => readFileSync(server.fileOf(CRITICAL))).toThrow(/ENOENT/);
  });

  it('says it stands in for Publish only when asked for another action', async () => {
    // Prepare
    const { sns } = await start();

    // Act
    const error = await sns.send(new ListTopicsCommand({})).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ message: expect.stringContaining('The action ListTopics is not valid') });
  });
});
