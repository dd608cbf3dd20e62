/**
 * AppSync's CloudWatch metrics for one API (namespace AWS/AppSync, dimension GraphQLAPIId):
 * latency percentiles, 4XX and 5XX counts, and the resolver-level latency that the API's enhanced
 * metrics publish (packages/api/appsync.yml, `enhancedMetrics`).
 */
import {
  type CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { type MetricWindow, type Percentiles, total, worst } from '../domain/latency-window';

export const APPSYNC_NAMESPACE = 'AWS/AppSync';
export const API_DIMENSION = 'GraphQLAPIId';
/** The dimension AppSync adds to its resolver-level metrics (its value names the resolver). */
export const RESOLVER_DIMENSION = 'Resolver';

export interface ApiFigures {
  /** requests answered in the window: Latency's sample count (AppSync's `Requests` is account-wide) */
  requests: number;
  errors4xx: number;
  errors5xx: number;
  latency: Percentiles;
}

export interface ResolverFigures {
  resolver: string;
  requests: number;
  latency: Percentiles;
}

const PERCENTILES = ['p50', 'p90', 'p99'] as const;

function query(id: string, metric: string, dimensions: Dimension[], stat: string, window: MetricWindow) {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: APPSYNC_NAMESPACE, MetricName: metric, Dimensions: dimensions },
      Period: window.periodSeconds,
      Stat: stat,
    },
    ReturnData: true,
  } satisfies MetricDataQuery;
}

/** Every query's values over the window, by query id (all pages). */
async function metricData(
  cloudwatch: CloudWatchClient,
  queries: MetricDataQuery[],
  window: MetricWindow,
): Promise<Map<string, number[]>> {
  const values = new Map<string, number[]>();
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        NextToken: token,
      }),
    );
    for (const result of page.MetricDataResults ?? []) {
      if (result.Id) values.set(result.Id, [...(values.get(result.Id) ?? []), ...(result.Values ?? [])]);
    }
    token = page.NextToken;
  } while (token);
  return values;
}

/** The latency queries of one set of dimensions: `<prefix>p50`, ..., `<prefix>count`. */
function latencyQueries(prefix: string, dimensions: Dimension[], window: MetricWindow): MetricDataQuery[] {
  return [
    ...PERCENTILES.map((p) => query(`${prefix}${p}`, 'Latency', dimensions, p, window)),
    query(`${prefix}count`, 'Latency', dimensions, 'SampleCount', window),
  ];
}

function percentiles(values: Map<string, number[]>, prefix: string): Percentiles {
  const out: Percentiles = {};
  for (const p of PERCENTILES) {
    const v = worst(values.get(`${prefix}${p}`));
    if (v !== undefined) out[p] = v;
  }
  return out;
}

export async function apiFigures(
  cloudwatch: CloudWatchClient,
  apiId: string,
  window: MetricWindow,
): Promise<ApiFigures> {
  const api = [{ Name: API_DIMENSION, Value: apiId }];
  const values = await metricData(
    cloudwatch,
    [
      ...latencyQueries('api_', api, window),
      query('api_4xx', '4XXError', api, 'Sum', window),
      query('api_5xx', '5XXError', api, 'Sum', window),
    ],
    window,
  );
  return {
    requests: total(values.get('api_count')),
    errors4xx: total(values.get('api_4xx')),
    errors5xx: total(values.get('api_5xx')),
    latency: percentiles(values, 'api_'),
  };
}

/**
 * The resolvers with a Latency metric for this API, with their exact dimensions (ListMetrics
 * lists only metrics that received data in the last two weeks, or the last 3 hours when asked).
 */
async function resolverMetrics(
  cloudwatch: CloudWatchClient,
  apiId: string,
  recentOnly: boolean,
): Promise<{ resolver: string; dimensions: Dimension[] }[]> {
  const found: { resolver: string; dimensions: Dimension[] }[] = [];
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: APPSYNC_NAMESPACE,
        MetricName: 'Latency',
        Dimensions: [{ Name: API_DIMENSION, Value: apiId }, { Name: RESOLVER_DIMENSION }],
        ...(recentOnly ? { RecentlyActive: 'PT3H' as const } : {}),
        NextToken: token,
      }),
    );
    for (const metric of page.Metrics ?? []) {
      const resolver = metric.Dimensions?.find((d) => d.Name === RESOLVER_DIMENSION)?.Value;
      if (resolver) found.push({ resolver, dimensions: metric.Dimensions ?? [] });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** Latency per resolver over the window; resolvers without a request in it are left out. */
export async function resolverFigures(
  cloudwatch: CloudWatchClient,
  apiId: string,
  window: MetricWindow,
): Promise<ResolverFigures[]> {
  const metrics = await resolverMetrics(cloudwatch, apiId, window.periodSeconds <= 3 * 3600);
  if (metrics.length === 0) return [];
  const values = await metricData(
    cloudwatch,
    metrics.flatMap((m, i) => latencyQueries(`r${i}_`, m.dimensions, window)),
    window,
  );
  return metrics
    .map((m, i) => ({
      resolver: m.resolver,
      requests: total(values.get(`r${i}_count`)),
      latency: percentiles(values, `r${i}_`),
    }))
    .filter((r) => r.requests > 0);
}
