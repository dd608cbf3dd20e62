// Hosts dynalite, s3rver and local-aws-sqs in one child process. It runs with
// --openssl-legacy-provider (s3rver's listing tokens use DES), which the parent need not have.
// Talks to the parent over IPC: sends {type:'ready', endpoints}, {type:'s3-event', event};
// receives {type:'stop'}. Exits when the parent goes away, so no server outlives its owner.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';

const options = JSON.parse(process.argv[2] ?? '{}');
const host = options.host ?? '127.0.0.1';
const ports = options.ports ?? {};

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host, () => resolve(server.address().port));
  });
}

function fail(error) {
  process.send?.({ type: 'error', message: error.message, code: error.code, port: error.port });
  process.exit(1);
}

let dynamo;
let s3;
let sqs;
try {
  const dynamoDir = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo, ports.dynamodb).catch((e) => {
    throw Object.assign(e, { port: ports.dynamodb });
  });

  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : options.s3Dir;
  mkdirSync(s3Dir, { recursive: true });
  s3 = new S3rver({ address: host, port: ports.s3 ?? 0, silent: true, directory: s3Dir });
  const s3Address = await s3.run().catch((e) => {
    throw Object.assign(e, { port: ports.s3 });
  });
  s3.on('event', (event) => process.send?.({ type: 's3-event', event }));

  sqs = await createSqsServer({
    port: ports.sqs ?? 0,
    hostname: host,
    region: options.region ?? 'ap-southeast-2',
    emulateQueueCreationLifecycle: false,
  }).catch((e) => {
    throw Object.assign(e, { port: ports.sqs });
  });
  const sqsPort = sqs.address().port;

  process.send?.({
    type: 'ready',
    endpoints: {
      dynamodb: `http://${host}:${dynamoPort}`,
      s3: `http://${host}:${s3Address.port}`,
      sqs: `http://${host}:${sqsPort}`,
    },
  });
} catch (error) {
  fail(error);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const close = (server) =>
    new Promise((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  await Promise.allSettled([close(dynamo), s3?.close().catch(() => {}), close(sqs)]);
  process.exit(0);
}

process.on('message', (message) => {
  if (message?.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
