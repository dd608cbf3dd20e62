/**
 * How fast the GraphQL API answers (the runbook's "high GraphQL API latency" diagnosis): AppSync's
 * latency percentiles and 4XX/5XX counts over a recent window, then each resolver's, slowest
 * first. Slow means a p99 over 2 s, the runbook's symptom.
 */
import type { AppSyncClient } from '@aws-sdk/client-appsync';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { findGraphqlApi } from '../adapters/appsync';
import { apiFigures, type ResolverFigures, resolverFigures } from '../adapters/appsync-metrics';
import { isSlow, metricWindow, type Percentiles, SLOW_P99_MS } from '../domain/latency-window';
import type { ApiRef } from './api-cache.use-case';

export interface ApiLatencyDeps {
  appsync: AppSyncClient;
  cloudwatch: CloudWatchClient;
}

export interface ApiLatencyReport {
  apiId: string;
  apiName: string | undefined;
  window: { minutes: number; from: string; to: string };
  requests: number;
  errors4xx: number;
  errors5xx: number;
  latencyMs: Percentiles;
  thresholdMs: number;
  /** p99 over the threshold */
  slow: boolean;
  /** slowest p99 first */
  resolvers: ResolverFigures[];
}

export async function apiLatency(
  deps: ApiLatencyDeps,
  ref: ApiRef,
  input: { minutes: number; now: number },
): Promise<ApiLatencyReport> {
  const api = await findGraphqlApi(deps.appsync, ref.stage, ref.apiId);
  const apiId = api.apiId as string;
  const window = metricWindow(input.now, input.minutes);
  const figures = await apiFigures(deps.cloudwatch, apiId, window);
  const resolvers = await resolverFigures(deps.cloudwatch, apiId, window);
  resolvers.sort((a, b) => (b.latency.p99 ?? 0) - (a.latency.p99 ?? 0));
  return {
    apiId,
    apiName: api.name,
    window: {
      minutes: input.minutes,
      from: new Date(window.start).toISOString(),
      to: new Date(window.end).toISOString(),
    },
    requests: figures.requests,
    errors4xx: figures.errors4xx,
    errors5xx: figures.errors5xx,
    latencyMs: figures.latency,
    thresholdMs: SLOW_P99_MS,
    slow: isSlow(figures.latency),
    resolvers,
  };
}
