/** The AWS glue between the local services: S3 events to SQS, the queue's event source mapping, the schedules. */
export * from './hourly-schedule';
export * from './pending-objects';
export * from './queue-poller';
export * from './rate-schedule';
export * from './s3-event-forwarder';
