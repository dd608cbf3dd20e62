/**
 * A plain S3 event (the runbook's manual reprocess sends a classic S3 notification; an EventBridge
 * "Object Created" event sent straight to the function works too): every object named is
 * processed, and the answer says per key what happened. If any failed, the invocation fails after
 * the rest were processed, naming the failures.
 */
import { toErrorView } from '@opendata-pulse/shared/errors';
import { objectRefsFromEvent } from '@opendata-pulse/shared/events';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { mapLimit } from './concurrency';
import { describeFailure, type FailedObject, ObjectsFailedError } from './errors';
import type { EtlDeps } from './etl-deps';
import { ETL_METRICS, loadStationDirectory, processRawObject } from './process-raw-object.use-case';

export interface ObjectEventSummaryEntry {
  bucket: string;
  key: string;
  status: 'processed' | 'skipped' | 'failed';
  /** why it was skipped or failed */
  reason?: string;
  errorType?: string;
  hourStart?: string;
  readings?: number;
  /** readings an older fetch could not replace */
  olderReadings?: number;
}

export interface ObjectEventSummary {
  processed: number;
  skipped: number;
  failed: number;
  objects: ObjectEventSummaryEntry[];
}

/** Objects processed side by side; each one already runs its stations in parallel. */
const OBJECT_CONCURRENCY = 4;

export async function processObjectEvent(event: unknown, deps: EtlDeps): Promise<ObjectEventSummary> {
  const refs = objectRefsFromEvent(event);
  const stations = refs.length > 0 ? loadStationDirectory(deps) : undefined;
  const objects = await mapLimit(refs, OBJECT_CONCURRENCY, async (ref): Promise<ObjectEventSummaryEntry> => {
    try {
      const outcome = await processRawObject(ref, deps, stations ? { stations } : {});
      if (outcome.status === 'skipped') return { ...ref, status: 'skipped', reason: outcome.reason };
      return {
        ...ref,
        status: 'processed',
        hourStart: outcome.hourStart,
        readings: outcome.readings,
        olderReadings: outcome.table.readings.older,
      };
    } catch (error) {
      deps.metrics.addMetric(ETL_METRICS.objectsFailed, MetricUnit.Count, 1);
      const reason = describeFailure(error);
      deps.logger.error('raw object failed', { ...ref, reason, error: error as Error });
      return { ...ref, status: 'failed', reason, errorType: toErrorView(error).errorType };
    }
  });
  const summary: ObjectEventSummary = {
    processed: objects.filter((o) => o.status === 'processed').length,
    skipped: objects.filter((o) => o.status === 'skipped').length,
    failed: objects.filter((o) => o.status === 'failed').length,
    objects,
  };
  const failed: FailedObject[] = objects
    .filter((o) => o.status === 'failed')
    .map((o) => ({ bucket: o.bucket, key: o.key, reason: o.reason ?? '', errorType: o.errorType ?? 'InternalError' }));
  if (failed.length > 0) throw new ObjectsFailedError(failed, objects.length, summary);
  return summary;
}
