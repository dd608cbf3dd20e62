/**
 * The GraphQL API on 127.0.0.1: the api package's local server (schema, GraphiQL, x-api-key and
 * the schema's auth directives, AppSync-shaped errors), answering through the real API handler
 * via `invoke`. Loaded when the stack starts (graphql-yoga is heavy; tooling that drives only the
 * pipeline never pays for it), with a port conflict reported like every other.
 */

import { PortInUseError } from '../stack/ports';
import type { GraphqlServer, GraphqlServerOptions } from './graphql-server';

export type { GraphqlServer, GraphqlServerOptions };

export type StartGraphql = (options: GraphqlServerOptions & { host: string }) => Promise<GraphqlServer>;

/** Load the server module (slow: graphql-yoga); resolves with the function that starts it. */
export async function loadGraphqlServer(): Promise<StartGraphql> {
  const { startGraphqlServer } = await import('./graphql-server');
  return (options) => startGraphql(startGraphqlServer, options);
}

async function startGraphql(
  startGraphqlServer: (options: GraphqlServerOptions) => Promise<GraphqlServer>,
  options: GraphqlServerOptions & { host: string },
): Promise<GraphqlServer> {
  try {
    return await startGraphqlServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new PortInUseError(options.port, options.host, 'GraphQL API', code);
    }
    throw error;
  }
}
