/** The `critical-alerts` SNS topic, as the health check's alert port: one Publish per alert. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { HealthAlert } from '../domain/health-alert';
import type { AlertTopic } from '../use-cases/health-check.use-case';

export function criticalAlertsTopic(sns: SNSClient, topicArn: string): AlertTopic {
  return {
    topicArn,
    async publish(alert: HealthAlert) {
      const sent = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: alert.subject,
          Message: alert.message,
          MessageAttributes: Object.fromEntries(
            Object.entries(alert.attributes).map(([name, a]) => [name, { DataType: a.dataType, StringValue: a.value }]),
          ),
        }),
      );
      return sent.MessageId;
    },
  };
}
