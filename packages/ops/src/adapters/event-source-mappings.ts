/**
 * A function's SQS event source mappings as `pulse concurrency` needs them: the pollers' maximum
 * concurrency (ScalingConfig), which must not exceed the function's reserved concurrency, and
 * lowering it. Every event source invokes the LIVE alias (docs/architecture.md, "Data flow"), so
 * the mappings are listed on the alias.
 */
import {
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import type { WaitOptions } from './lambda-control';

/** What SQS allows for a mapping's maximum concurrency (ScalingConfig.MaximumConcurrency). */
export const MAPPING_MIN_CONCURRENCY = 2;

export interface QueueMapping {
  uuid: string;
  /** the queue's name, from its ARN */
  queue: string;
  state: string | undefined;
  /** undefined: no ScalingConfig, the pollers scale as far as SQS lets them */
  maximumConcurrency: number | undefined;
}

const INACTIVE = new Set(['Disabled', 'Disabling', 'Deleting']);

function toQueueMapping(m: EventSourceMappingConfiguration): QueueMapping {
  return {
    uuid: m.UUID ?? '',
    queue: m.EventSourceArn?.split(':').pop() ?? '?',
    state: m.State,
    maximumConcurrency: m.ScalingConfig?.MaximumConcurrency,
  };
}

/** The SQS mappings that poll for the function's `qualifiedArn` (all pages), enabled or being enabled. */
export async function activeQueueMappings(lambda: LambdaClient, qualifiedArn: string): Promise<QueueMapping[]> {
  const found: QueueMapping[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: qualifiedArn, Marker: marker }));
    for (const m of page.EventSourceMappings ?? []) {
      if (m.EventSourceArn?.startsWith('arn:aws:sqs:') && !INACTIVE.has(m.State ?? '')) found.push(toQueueMapping(m));
    }
    marker = page.NextMarker;
  } while (marker);
  return found;
}

/** Set the mapping's maximum concurrency and wait until Lambda has applied it (State leaves Updating). */
export async function limitMappingConcurrency(
  lambda: LambdaClient,
  uuid: string,
  maximumConcurrency: number,
  options: WaitOptions = {},
): Promise<QueueMapping> {
  await lambda.send(
    new UpdateEventSourceMappingCommand({ UUID: uuid, ScalingConfig: { MaximumConcurrency: maximumConcurrency } }),
  );
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const mapping = toQueueMapping(await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })));
    if (mapping.state !== 'Updating') return mapping;
    if (Date.now() > deadline) throw new Error(`event source mapping ${uuid}: update still in progress; check again`);
    await sleep(options.pollMs ?? 1000);
  }
}
