/**
 * Start-up step 5: the AWS glue between the local services, as deployed: raw-bucket "Object
 * Created" events to the processing queue, the queue's event source mapping to the ETL, the DLQ
 * watched, and the hourly rule. Objects written but not processed before the last stop go back
 * on the queue (local SQS keeps its queues in memory).
 */
import { join } from 'node:path';
import { FUNCTION_SETTINGS, QUEUE_DEFINITIONS } from '@opendata-pulse/shared/infra';
import { queueDepth } from '@opendata-pulse/shared/pipeline';
import type { LocalAws } from '../../aws/local-aws';
import { HourlySchedule } from '../../glue/hourly-schedule';
import { PENDING_FILE, PendingObjects } from '../../glue/pending-objects';
import { QueuePoller } from '../../glue/queue-poller';
import { S3EventForwarder } from '../../glue/s3-event-forwarder';
import type { FunctionHost } from '../../lambda/function-host';
import type { StackLog } from '../stack-log';
import type { Teardown } from '../teardown';
import type { StackClients, StackResources } from './create-resources';

export interface EventSettings {
  dataDir: string;
  region: string;
  /** how long a failed ETL record waits before its next receive */
  retryDelaySeconds: number;
  /** fire the ingest on every hour boundary */
  schedule: boolean;
  /** the DLQ's name, for the warning that points at `pulse dlq show` */
  dlqName: string;
}

export async function wireEvents(
  settings: EventSettings,
  parts: {
    localAws: LocalAws;
    clients: StackClients;
    resources: StackResources;
    functions: FunctionHost;
    /** what the hourly rule fires */
    onHour: (at: number) => void;
  },
  teardown: Teardown,
  log: StackLog,
) {
  const { clients, resources } = parts;
  const pending = new PendingObjects(join(settings.dataDir, PENDING_FILE));
  const forwarder = new S3EventForwarder({
    local: parts.localAws,
    sqs: clients.sqs,
    queueUrl: resources.queueUrl,
    rawBucket: resources.rawBucket,
    region: settings.region,
    pending,
    log,
  });
  forwarder.start();
  teardown.add('S3 event forwarding', () => forwarder.stop());
  const poller = new QueuePoller({
    sqs: clients.sqs,
    queueUrl: resources.queueUrl,
    queueArn: resources.queueArn,
    region: settings.region,
    functions: parts.functions,
    pending,
    log,
    retryDelaySeconds: settings.retryDelaySeconds,
    maxReceiveCount: QUEUE_DEFINITIONS.processing.maxReceiveCount,
    batchSize: FUNCTION_SETTINGS.etl.queueBatchSize,
  });
  poller.start();
  teardown.add('the queue poller', () => poller.stop());

  const requeued = pending.list();
  if (requeued.length) {
    log.line('etl', 'info', `${requeued.length} object(s) not processed before the last stop go back on the queue`);
    await forwarder.requeue(requeued);
  }

  let lastDlqDepth = 0;
  const dlqWatch = setInterval(() => {
    queueDepth(clients.sqs, resources.dlqUrl)
      .then(({ total }) => {
        if (total > lastDlqDepth) {
          log.line('dlq', 'warn', `${total} message(s) in ${settings.dlqName} (see: pnpm pulse dlq show --local)`);
        }
        lastDlqDepth = total;
      })
      .catch(() => {});
  }, 2000);
  dlqWatch.unref();
  teardown.add('the DLQ watch', () => clearInterval(dlqWatch));

  const schedule = new HourlySchedule(parts.onHour);
  if (settings.schedule) schedule.start();
  teardown.add('the hourly schedule', () => schedule.stop());
  return { forwarder, poller };
}
