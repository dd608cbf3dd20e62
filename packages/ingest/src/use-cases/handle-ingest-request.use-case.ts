/**
 * One invocation's work: the circuit breaker first, then the use case the request names. The
 * breaker is checked after the payload was parsed, so a wrong payload is still reported while the
 * runbook has the function switched off.
 */
import { MetricUnit } from '@opendata-pulse/shared/observability';
import type { IngestRequest } from '../domain/ingest-event.schema';
import { INGEST_METRICS } from '../domain/ingest-metrics';
import { type IngestResult, ingestHour } from './ingest-hour.use-case';
import type { IngestDeps } from './ports';
import { type TestRunResult, testRun } from './test-run.use-case';

export type IngestOutput = IngestResult | TestRunResult | { skipped: 'circuit-breaker' };

export interface IngestRequestDeps extends IngestDeps {
  /** CIRCUIT_BREAKER: the runbook's switch; on = take no new work */
  circuitBreaker: boolean;
}

export async function handleIngestRequest(deps: IngestRequestDeps, request: IngestRequest): Promise<IngestOutput> {
  if (deps.circuitBreaker) {
    deps.metrics.addMetric(INGEST_METRICS.circuitBreakerSkips, MetricUnit.Count, 1);
    deps.logger.warn('circuit breaker is on (CIRCUIT_BREAKER=true): no work taken', { request: request.kind });
    return { skipped: 'circuit-breaker' };
  }
  deps.logger.appendKeys({ request: request.kind });
  switch (request.kind) {
    case 'test':
      return testRun(deps);
    case 'scheduled':
      return ingestHour(deps, { kind: 'latest' });
    case 'backfill':
      return ingestHour(deps, { kind: 'hour', hourStart: request.hourStart });
  }
}
