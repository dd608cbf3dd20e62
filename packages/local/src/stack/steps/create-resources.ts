/**
 * Start-up step 2: the project's buckets, table and queues on local AWS (from the same definitions
 * serverless.yml uses), and the clients the stack itself uses on them.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ensureResources, type LocalAws, type LocalResourceNames } from '../../aws/local-aws';
import type { Teardown } from '../teardown';

export type StackResources = LocalResourceNames & { queueArn: string };

export async function createResources(localAws: LocalAws, stage: string, teardown: Teardown) {
  const names = await ensureResources(localAws, stage);
  const clients = localAws.clients();
  teardown.add('AWS clients', () => {
    clients.s3.destroy();
    clients.dynamo.destroy();
    clients.sqs.destroy();
  });
  const queueAttrs = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: names.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const resources: StackResources = { ...names, queueArn: queueAttrs.Attributes?.QueueArn ?? '' };
  return { resources, clients };
}

export type StackClients = Awaited<ReturnType<typeof createResources>>['clients'];
