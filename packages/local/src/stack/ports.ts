/**
 * Listening on the stack's ports, with the one error message a user needs when a port is taken.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A port the stack needs is taken (or not allowed); the message names it and says what to do. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly what: string,
    code = 'EADDRINUSE',
  ) {
    super(
      code === 'EACCES'
        ? `port ${port} on ${host} (${what}) is not allowed for this user; set PULSE_PORT to another port`
        : `port ${port} on ${host} (${what}) is already in use; stop what holds it or set PULSE_PORT to another port`,
    );
    this.name = 'PortInUseError';
  }
}

/** Listen and resolve the bound port; EADDRINUSE/EACCES become a PortInUseError naming the port. */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(new PortInUseError(port, host, what, error.code));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The stack's fixed ports from one base (PULSE_PORT): GraphQL, Lambda, S3, DynamoDB, SQS, SNS. 0 = all random. */
export interface StackPorts {
  graphql: number;
  lambda: number;
  s3: number;
  dynamodb: number;
  sqs: number;
  sns: number;
}

/** How many ports from the base the stack takes. */
export const STACK_PORT_COUNT = 6;

export function stackPorts(base: number): StackPorts {
  if (base === 0) return { graphql: 0, lambda: 0, s3: 0, dynamodb: 0, sqs: 0, sns: 0 };
  return { graphql: base, lambda: base + 1, s3: base + 2, dynamodb: base + 3, sqs: base + 4, sns: base + 5 };
}
