/** Each service's CloudFormation stack: its status and, when it is in trouble, what failed in its last operation. */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeStack, isStackMissing, lastOperationEvents } from '../adapters/cloudformation-stacks';
import type { ServiceName } from '../deployment/deployment';

export interface StackStatusDeps {
  cloudformation: CloudFormationClient;
}

export interface FailedEvent {
  resource: string | undefined;
  type: string | undefined;
  status: string | undefined;
  reason: string | undefined;
  at: string | undefined;
}

export interface StackState {
  service: ServiceName;
  stackName: string;
  /** CloudFormation's status, or NOT_DEPLOYED */
  status: string;
  reason?: string | undefined;
  lastUpdated?: string | undefined;
  failed: FailedEvent[];
}

export function isTroubled(status: string): boolean {
  return /FAILED|ROLLBACK/.test(status);
}

async function failedEvents(cloudformation: CloudFormationClient, stackName: string): Promise<FailedEvent[]> {
  return (await lastOperationEvents(cloudformation, stackName))
    .filter((e) => (e.ResourceStatus ?? '').endsWith('_FAILED'))
    .map((e) => ({
      resource: e.LogicalResourceId,
      type: e.ResourceType,
      status: e.ResourceStatus,
      reason: e.ResourceStatusReason,
      at: e.Timestamp?.toISOString(),
    }));
}

async function stackState(
  cloudformation: CloudFormationClient,
  service: ServiceName,
  stackName: string,
): Promise<StackState> {
  try {
    const stack = await describeStack(cloudformation, stackName);
    const status = stack?.StackStatus ?? 'UNKNOWN';
    const failed = isTroubled(status) ? await failedEvents(cloudformation, stackName) : [];
    return {
      service,
      stackName,
      status,
      reason: stack?.StackStatusReason,
      lastUpdated: (stack?.LastUpdatedTime ?? stack?.CreationTime)?.toISOString(),
      failed,
    };
  } catch (error) {
    if (!isStackMissing(error)) throw error;
    return { service, stackName, status: 'NOT_DEPLOYED', failed: [] };
  }
}

/** The stacks one after another, in the order given. */
export async function stackStatus(
  deps: StackStatusDeps,
  stacks: { service: ServiceName; stackName: string }[],
): Promise<StackState[]> {
  const states: StackState[] = [];
  for (const { service, stackName } of stacks) states.push(await stackState(deps.cloudformation, service, stackName));
  return states;
}
