/**
 * Start-up step 1: the servers that stand in for AWS and NSW, once the ports are known to be free.
 * Local AWS (its own process), the SNS stand-in and the NSW source start side by side; the GraphQL
 * server's module (graphql-yoga, slow to load) loads meanwhile.
 */
import { createServer } from 'node:net';
import { loadGraphqlServer, type StartGraphql } from '../../appsync/load-graphql-server';
import { type LocalAws, startLocalAws } from '../../aws/local-aws';
import { chooseNswSource, type NswSource } from '../../nsw/nsw-source';
import { type SnsServer, startSnsServer } from '../../sns/sns-server';
import { PortInUseError, type StackPorts } from '../ports';
import type { StackLog } from '../stack-log';
import type { Teardown } from '../teardown';

export interface ServerSettings {
  dataDir: string;
  host: string;
  region: string;
  timeZone: string;
  ports: StackPorts;
  /** `auto`, `live`, `sample` or a URL */
  source: string;
  nswApiEndpoint?: string | undefined;
  probeTimeoutMs: number;
  /** load the GraphQL server module */
  graphql: boolean;
  /** the SNS topics that exist locally (the stage's critical-alerts and incident-alerts) */
  topicArns: readonly string[];
}

export interface Servers {
  localAws: LocalAws;
  source: NswSource;
  sns: SnsServer;
  graphqlServer?: Promise<StartGraphql>;
}

export async function startServers(settings: ServerSettings, teardown: Teardown, log: StackLog): Promise<Servers> {
  const { host, ports } = settings;
  await assertPortsFree(host, {
    'GraphQL API': ports.graphql,
    'Lambda invoke endpoint': ports.lambda,
    'local S3': ports.s3,
    'local DynamoDB': ports.dynamodb,
    'local SQS': ports.sqs,
    'local SNS': ports.sns,
  });
  const graphqlServer = settings.graphql ? loadGraphqlServer() : undefined;
  graphqlServer?.catch(() => {}); // awaited when served; keep an early failure from being "unhandled"
  const [localAws, source, sns] = await Promise.all([
    startLocalAws({
      dataDir: settings.dataDir,
      host,
      region: settings.region,
      ports: { s3: ports.s3, dynamodb: ports.dynamodb, sqs: ports.sqs },
    }).then((local) => {
      teardown.add('local AWS', () => local.stop());
      return local;
    }),
    chooseNswSource({
      choice: settings.source,
      envEndpoint: settings.nswApiEndpoint,
      timeZone: settings.timeZone,
      host,
      probeTimeoutMs: settings.probeTimeoutMs,
    }).then((chosen) => {
      teardown.add('the NSW sample server', () => chosen.close());
      return chosen;
    }),
    startSnsServer({
      dataDir: settings.dataDir,
      host,
      port: ports.sns,
      topicArns: settings.topicArns,
      onPublish: (n) => log.line('sns', 'info', `${n.Subject ?? '(no subject)'} -> ${n.TopicArn.split(':').pop()}`),
    }).then((server) => {
      teardown.add('the SNS stand-in', () => server.close());
      return server;
    }),
  ]);
  const e = localAws.endpoints;
  log.line('stack', 'info', `local AWS up (DynamoDB ${e.dynamodb}, S3 ${e.s3}, SQS ${e.sqs}, SNS ${sns.url})`);
  return { localAws, source, sns, ...(graphqlServer ? { graphqlServer } : {}) };
}

/** Fail fast, before anything starts, when one of the fixed ports is taken. */
async function assertPortsFree(host: string, ports: Record<string, number>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    if (port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? new PortInUseError(port, host, what, error.code)
            : error,
        ),
      );
      probe.listen(port, host, () => probe.close(() => resolve()));
    });
  }
}
