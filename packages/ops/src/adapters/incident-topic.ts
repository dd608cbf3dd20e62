/** The `incident-alerts` SNS topic: a notice goes out with attributes subscribers can filter on. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { IncidentNotice } from '../domain/incident-templates';

/** Publish the notice; answers SNS's message id. */
export async function publishNotice(
  sns: SNSClient,
  topicArn: string,
  notice: IncidentNotice,
): Promise<string | undefined> {
  const sent = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notice.subject,
      Message: notice.message,
      MessageAttributes: {
        severity: { DataType: 'Number', StringValue: String(notice.severity) },
        incidentId: { DataType: 'String', StringValue: notice.incidentId },
        phase: { DataType: 'String', StringValue: notice.phase },
      },
    }),
  );
  return sent.MessageId;
}
