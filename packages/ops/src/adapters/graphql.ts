/** A GraphQL request over HTTP with an API key, as a client of the API would send it. */

export interface GraphqlAnswer {
  httpStatus: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; errorType?: string }[];
  durationMs: number;
}

export async function graphqlRequest(
  url: string,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { timeoutMs?: number; now?: () => number } = {},
): Promise<GraphqlAnswer> {
  const now = options.now ?? Date.now;
  const started = now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  const durationMs = now() - started;
  let body: { data?: Record<string, unknown> | null; errors?: GraphqlAnswer['errors'] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    return { httpStatus: response.status, errors: [{ message: `not JSON: ${text.slice(0, 200)}` }], durationMs };
  }
  return {
    httpStatus: response.status,
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.errors ? { errors: body.errors } : {}),
    durationMs,
  };
}

export const HEALTH_QUERY = '{ listStations { siteId } }';

/** The API check of `pulse health`: a real query through the resolver to the table. */
export function graphqlProbe(url: string, apiKey: string) {
  return async () => {
    const answer = await graphqlRequest(url, apiKey, HEALTH_QUERY);
    const stations = (answer.data?.listStations as unknown[] | undefined)?.length;
    const data = { url, httpStatus: answer.httpStatus, durationMs: answer.durationMs, stations };
    if (answer.httpStatus !== 200 || answer.errors?.length) {
      const why = answer.errors?.[0]?.message ?? `HTTP ${answer.httpStatus}`;
      return { status: 'fail' as const, detail: `${url}: ${why}`, data };
    }
    return {
      status: 'ok' as const,
      detail: `answers (${stations ?? 0} stations, ${Math.round(answer.durationMs)} ms)`,
      data,
    };
  };
}
