/** The hourly ingestion rule in EventBridge: its state and schedule, its targets, switching it. */
import {
  DescribeRuleCommand,
  type DescribeRuleCommandOutput,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';

export async function describeRule(eventbridge: EventBridgeClient, name: string): Promise<DescribeRuleCommandOutput> {
  return eventbridge.send(new DescribeRuleCommand({ Name: name }));
}

export async function ruleTargets(eventbridge: EventBridgeClient, name: string): Promise<Target[]> {
  return (await eventbridge.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets ?? [];
}

export async function setRuleEnabled(eventbridge: EventBridgeClient, name: string, enabled: boolean): Promise<void> {
  await eventbridge.send(enabled ? new EnableRuleCommand({ Name: name }) : new DisableRuleCommand({ Name: name }));
}
