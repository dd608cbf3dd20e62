import { Metrics } from '@aws-lambda-powertools/metrics';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { METRICS_NAMESPACE } from '@opendata-pulse/shared/observability';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../src/domain/ingest-metrics';
import { createIngestHandler } from '../../src/handler';
import scheduledEvent from '../events/scheduled-event.json' with { type: 'json' };
import { freshBucket, ingestEnv, recordingClock, SNAPSHOT_NOW, testS3 } from './support';

/** Real Powertools metrics; each flush is kept as the EMF document it would print. */
class CapturedMetrics extends Metrics {
  readonly flushed: Record<string, unknown>[] = [];
  override publishStoredMetrics() {
    if (this.hasStoredMetrics()) this.flushed.push(this.serializeMetrics() as unknown as Record<string, unknown>);
    return super.publishStoredMetrics();
  }
}

const s3 = testS3();
let nsw: FakeNsw;
let bucket: string;
let metrics: CapturedMetrics;

beforeAll(async () => {
  nsw = await startFakeNsw({ now: () => SNAPSHOT_NOW });
});
afterAll(async () => {
  await nsw.close();
  s3.destroy();
});
beforeEach(async () => {
  bucket = await freshBucket(s3);
  metrics = new CapturedMetrics({ namespace: METRICS_NAMESPACE, serviceName: 'opendata-pulse-ingest' });
});

function run(event: unknown, extraEnv: Record<string, string> = {}) {
  const handler = createIngestHandler({
    env: () => ingestEnv(bucket, nsw.endpoint, extraEnv),
    clock: recordingClock(),
    random: () => 0.5,
    metrics,
  });
  return handler(event, {} as Context);
}

function metricNames(emf: Record<string, unknown>): string[] {
  const aws = emf._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
  return aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)).sort();
}

describe('ingest metrics', () => {
  it('count records ingested and time every NSW attempt, retries included', async () => {
    // Prepare
    nsw.inject({ kind: 'status', status: 503 });
    // Act
    await run(scheduledEvent);
    // Assess
    const emf = metrics.flushed.at(-1) ?? {};
    expect(metricNames(emf)).toEqual(
      [
        INGEST_METRICS.hoursWritten,
        INGEST_METRICS.recordsIngested,
        INGEST_METRICS.upstreamLatency,
        INGEST_METRICS.upstreamRetries,
      ].sort(),
    );
    expect(emf[INGEST_METRICS.recordsIngested]).toBe(96);
    expect(emf[INGEST_METRICS.upstreamRetries]).toBe(1);
    // snapshot (failed + retried), sites, parameters
    expect(emf[INGEST_METRICS.upstreamLatency]).toHaveLength(4);
    expect(emf.service).toBe('opendata-pulse-ingest');
  });

  it('count a failed invocation', async () => {
    nsw.inject({ kind: 'schema-change' });
    await expect(run(scheduledEvent)).rejects.toThrow(/failed validation/);
    const emf = metrics.flushed.at(-1) ?? {};
    expect(emf[INGEST_METRICS.failures]).toBe(1);
    expect(emf[INGEST_METRICS.recordsIngested]).toBeUndefined();
  });

  it('count an unchanged re-run and a reference refresh failure apart from the hour', async () => {
    // Prepare
    await run(scheduledEvent);
    // Act: the snapshot is unchanged; reference data is fresh, so no NSW call for it
    await run(scheduledEvent);
    // Assess
    const emf = metrics.flushed.at(-1) ?? {};
    expect(emf[INGEST_METRICS.hoursUnchanged]).toBe(1);
    expect(emf[INGEST_METRICS.hoursWritten]).toBeUndefined();
    expect(emf[INGEST_METRICS.referenceRefreshFailures]).toBeUndefined();
  });

  it('count reference refresh failures without failing the hour', async () => {
    nsw.inject({ kind: 'values-envelope' }, { kind: 'schema-change' });
    await run(scheduledEvent, { NSW_MAX_ATTEMPTS: '1' });
    const emf = metrics.flushed.at(-1) ?? {};
    expect(emf[INGEST_METRICS.hoursWritten]).toBe(1);
    expect(emf[INGEST_METRICS.referenceRefreshFailures]).toBe(1);
  });

  it('count circuit-breaker skips', async () => {
    await run(scheduledEvent, { CIRCUIT_BREAKER: 'true' });
    expect(metrics.flushed.at(-1)?.[INGEST_METRICS.circuitBreakerSkips]).toBe(1);
  });
});
