/** The services' CloudFormation stacks: a stack's description and the events of its last operation. */
import {
  type CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';

const OPERATION_START = /^(CREATE|UPDATE|DELETE|IMPORT)_IN_PROGRESS$/;

export async function describeStack(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  const { Stacks = [] } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks[0];
}

/** CloudFormation answers a ValidationError "Stack with id X does not exist" for a stack never deployed. */
export function isStackMissing(error: unknown): boolean {
  return /does not exist/.test((error as Error).message);
}

/** The events of the stack's latest operation (newest first), up to the event that started it. */
export async function lastOperationEvents(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10; page++) {
    const out = await cloudformation.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    for (const event of out.StackEvents ?? []) {
      events.push(event);
      const isStack = event.ResourceType === 'AWS::CloudFormation::Stack' && event.LogicalResourceId === stackName;
      if (isStack && OPERATION_START.test(event.ResourceStatus ?? '') && events.length > 1) return events;
    }
    token = out.NextToken;
    if (!token) break;
  }
  return events;
}
