/** The hourly ingestion rule: its state, and switching it (disabling stops hourly ingestion). */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describeRule, ruleTargets, setRuleEnabled } from '../adapters/schedule-rule';

export interface ScheduleDeps {
  eventbridge: EventBridgeClient;
}

export interface ScheduleState {
  rule: string;
  state: string | undefined;
  schedule: string | undefined;
  /** the targets' ARNs (the ingest function's LIVE alias) */
  targets: (string | undefined)[];
}

export async function readSchedule(deps: ScheduleDeps, rule: string): Promise<ScheduleState> {
  const described = await describeRule(deps.eventbridge, rule);
  const targets = await ruleTargets(deps.eventbridge, rule);
  return {
    rule,
    state: described.State,
    schedule: described.ScheduleExpression,
    targets: targets.map((t) => t.Arn),
  };
}

export interface ScheduleSwitch {
  rule: string;
  before: string | undefined;
  after: 'ENABLED' | 'DISABLED';
}

/** Nothing is sent when the rule is already as wanted; disabling asks first. */
export async function switchSchedule(
  deps: ScheduleDeps,
  input: { rule: string; enable: boolean },
  confirmDisable: () => Promise<void>,
): Promise<ScheduleSwitch> {
  const { rule, enable } = input;
  const before = (await describeRule(deps.eventbridge, rule)).State;
  const after = enable ? 'ENABLED' : 'DISABLED';
  if (before !== after) {
    if (!enable) await confirmDisable();
    await setRuleEnabled(deps.eventbridge, rule, enable);
  }
  return { rule, before, after };
}
