/** The public GraphQL API over HTTP with the API key (header `x-api-key`), as AppSync expects. */
import type { DashboardConfig } from '../config';

export class GraphqlError extends Error {
  override name = 'GraphqlError';
  constructor(
    message: string,
    readonly errorType?: string,
  ) {
    super(message);
  }
}

export type Graphql = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(config: Pick<DashboardConfig, 'graphqlUrl' | 'apiKey'>): Graphql {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    let res: Response;
    try {
      res = await fetch(config.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': config.apiKey },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new GraphqlError(`the API did not answer (${(error as Error).message})`, 'Network');
    }
    const body = (await res.json().catch(() => ({}))) as {
      data?: T;
      errors?: { message?: string; errorType?: string }[];
    };
    const first = body.errors?.[0];
    if (first || !res.ok || body.data === undefined || body.data === null) {
      throw new GraphqlError(first?.message ?? `the API answered HTTP ${res.status}`, first?.errorType);
    }
    return body.data;
  };
}
