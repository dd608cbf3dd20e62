/**
 * Keep NSW's site and parameter lists in the reference zone, fetched at most once a day. They
 * change rarely and the hour's data does not depend on them, so a failure here is logged and
 * metered and never fails the hour's ingest.
 */
import { referenceObjectKey } from '@opendata-pulse/shared/keys';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { buildReferenceEnvelope, type ReferenceKind } from '@opendata-pulse/shared/raw';
import { DAY_MS } from '@opendata-pulse/shared/time';
import { INGEST_METRICS } from '../domain/ingest-metrics';
import { INGEST_VERSION } from '../version';
import type { IngestDeps } from './ports';

export const REFERENCE_MAX_AGE_MS = DAY_MS;

export type ReferenceOutcome = 'refreshed' | 'fresh' | 'failed';

export async function refreshReferenceData(deps: IngestDeps): Promise<Record<ReferenceKind, ReferenceOutcome>> {
  const outcome: Record<ReferenceKind, ReferenceOutcome> = { sites: 'failed', parameters: 'failed' };
  for (const kind of ['sites', 'parameters'] as const) {
    try {
      outcome[kind] = await refreshOne(deps, kind);
    } catch (error) {
      deps.metrics.addMetric(INGEST_METRICS.referenceRefreshFailures, MetricUnit.Count, 1);
      deps.logger.error('reference refresh failed; the hour is unaffected', { kind, error: error as Error });
    }
  }
  return outcome;
}

async function refreshOne(deps: IngestDeps, kind: ReferenceKind): Promise<ReferenceOutcome> {
  const key = referenceObjectKey(kind);
  const stored = await deps.store.describe(key);
  const age = stored?.lastModified ? deps.clock.now() - stored.lastModified.getTime() : undefined;
  if (age !== undefined && age < REFERENCE_MAX_AGE_MS) return 'fresh';
  const response = kind === 'sites' ? await deps.nsw.getSites() : await deps.nsw.getParameters();
  const envelope = buildReferenceEnvelope({
    kind,
    source: { url: response.url, operation: response.operation, label: deps.source.label },
    fetchedAt: response.fetchedAt,
    recordCount: response.data.length,
    ingestVersion: INGEST_VERSION,
    response: { status: response.status, contentType: response.contentType, body: response.bodyText },
  });
  await deps.store.putReference(key, envelope);
  deps.logger.info('reference data refreshed', { kind, key, recordCount: envelope.recordCount });
  return 'refreshed';
}
