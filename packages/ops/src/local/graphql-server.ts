/**
 * The GraphQL API on 127.0.0.1: the api package's local server (schema, GraphiQL, x-api-key and
 * the schema's auth directives), answering through the real API handler via `invoke`. Loaded by
 * name at start so the stack's other parts do not depend on the api package at type level.
 */
import { PortInUseError } from './ports';

export interface GraphqlServerOptions {
  port: number;
  host: string;
  apiKey: string;
  /** run the API Lambda handler with an AppSync resolver event; rejects when it fails */
  invoke: (event: unknown) => Promise<unknown>;
}

export interface GraphqlServer {
  url: string;
  close(): Promise<void>;
}

interface LocalServerModule {
  startGraphqlServer(options: GraphqlServerOptions): Promise<GraphqlServer>;
}

export const GRAPHQL_SERVER_MODULE = '@opendata-pulse/api/local-server';

export async function startGraphql(options: GraphqlServerOptions): Promise<GraphqlServer> {
  const specifier = GRAPHQL_SERVER_MODULE;
  const mod = (await import(specifier)) as Partial<LocalServerModule>;
  if (typeof mod.startGraphqlServer !== 'function') {
    throw new Error(`${GRAPHQL_SERVER_MODULE} does not export startGraphqlServer`);
  }
  try {
    return await mod.startGraphqlServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new PortInUseError(options.port, options.host, 'GraphQL API', code);
    }
    throw error;
  }
}
