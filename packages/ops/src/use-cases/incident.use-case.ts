/**
 * The runbook's incident notifications: the notice for the phase (declared, update, resolved)
 * filled in, and, when asked, published to the `incident-alerts` topic.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { publishNotice } from '../adapters/incident-topic';
import {
  type IncidentNotice,
  type NewIncidentInput,
  type ResolveIncidentInput,
  renderIncidentResolved,
  renderIncidentUpdate,
  renderNewIncident,
  type UpdateIncidentInput,
} from '../domain/incident-templates';

export type IncidentRequest =
  | { phase: 'new'; input: NewIncidentInput }
  | { phase: 'update'; input: UpdateIncidentInput }
  | { phase: 'resolve'; input: ResolveIncidentInput };

export interface IncidentTopic {
  sns: SNSClient;
  topicArn: string;
}

export type IncidentNotification =
  | { notice: IncidentNotice; published: false }
  | { notice: IncidentNotice; published: true; topicArn: string; messageId: string | undefined };

function render(request: IncidentRequest, now: number): IncidentNotice {
  switch (request.phase) {
    case 'new':
      return renderNewIncident(request.input, now);
    case 'update':
      return renderIncidentUpdate(request.input, now);
    default:
      return renderIncidentResolved(request.input, now);
  }
}

/** `topic` is resolved only to publish: a notice that is only printed needs no stage or credentials. */
export async function notifyIncident(
  request: IncidentRequest,
  now: number,
  topic?: () => Promise<IncidentTopic>,
): Promise<IncidentNotification> {
  const notice = render(request, now);
  if (!topic) return { notice, published: false };
  const { sns, topicArn } = await topic();
  const messageId = await publishNotice(sns, topicArn, notice);
  return { notice, published: true, topicArn, messageId };
}
