/** SNS on one machine: Publish appends each message to `<data dir>/sns/<topic>.jsonl`. */
export * from './sns-server';
