/**
 * Waiting for the pipeline to go quiet: every raw object the caller expects has sent its S3 event,
 * and the queue, the forwarder and the poller have been idle for two checks in a row.
 */
import { sleep } from '@opendata-pulse/shared/async';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import type { QueuePoller } from '../../glue/queue-poller';
import type { S3EventForwarder } from '../../glue/s3-event-forwarder';
import type { StackClients } from './create-resources';

export interface DrainResult {
  drained: boolean;
  waitedMs: number;
  /** raw objects ingest wrote whose S3 event never arrived */
  missingEvents: string[];
}

export async function waitUntilDrained(
  parts: { clients: StackClients; queueUrl: string; forwarder: S3EventForwarder; poller: QueuePoller },
  { timeoutMs = 120_000, expectKeys = [] as readonly string[] } = {},
): Promise<DrainResult> {
  const { forwarder, poller } = parts;
  const t0 = Date.now();
  const deadline = t0 + timeoutMs;
  // An ingest's S3 event crosses from the servers' process over IPC: give it a moment.
  const eventDeadline = Math.min(deadline, t0 + 10_000);
  let missing = expectKeys.filter((k) => !forwarder.created.has(k));
  while (missing.length && Date.now() < eventDeadline) {
    await sleep(50);
    missing = missing.filter((k) => !forwarder.created.has(k));
  }
  let quietChecks = 0;
  while (Date.now() < deadline) {
    const depth = await queueDepth(parts.clients.sqs, parts.queueUrl);
    const idle = forwarder.sending === 0 && !poller.busy && depth.total === 0;
    quietChecks = idle ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return { drained: true, waitedMs: Date.now() - t0, missingEvents: missing };
    await sleep(150);
  }
  return { drained: false, waitedMs: Date.now() - t0, missingEvents: missing };
}
