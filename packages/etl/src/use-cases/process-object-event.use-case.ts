/**
 * A plain S3 event (the runbook's manual reprocess sends a classic S3 notification; an EventBridge
 * "Object Created" event sent straight to the function works too): every object named is
 * processed, and the answer says per key what happened. If any failed, the invocation fails after
 * the rest were processed, naming the failures.
 */
import { toErrorView } from '@opendata-pulse/shared/errors';
import { objectRefsFromEvent } from '@opendata-pulse/shared/events';
import { MetricUnit } from '@opendata-pulse/shared/observability';
import { describeFailure, type FailedObject, ObjectsFailedError } from './errors';
import type { EtlDeps } from './ports';
import { ETL_METRICS, processRawObjects } from './process-raw-objects.use-case';

export interface ObjectEventSummaryEntry {
  bucket: string;
  key: string;
  status: 'processed' | 'skipped' | 'failed';
  /** why it was skipped or failed */
  reason?: string;
  errorType?: string;
  /** an hour object's hour */
  hourStart?: string;
  /** a day object's UTC hours (ISO, ascending) */
  hours?: string[];
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

export async function processObjectEvent(event: unknown, deps: EtlDeps): Promise<ObjectEventSummary> {
  const refs = objectRefsFromEvent(event);
  const { outcomes } = await processRawObjects(refs, deps);
  const objects = outcomes.map((o): ObjectEventSummaryEntry => {
    const ref = { bucket: o.bucket, key: o.key };
    if (o.status === 'skipped') return { ...ref, status: 'skipped', reason: o.reason };
    if (o.status === 'processed') {
      return {
        ...ref,
        status: 'processed',
        ...(o.kind === 'hour' ? { hourStart: o.hourStart } : { hours: o.hours }),
        readings: o.readings,
        olderReadings: o.written.older,
      };
    }
    deps.metrics.addMetric(ETL_METRICS.objectsFailed, MetricUnit.Count, 1);
    const reason = describeFailure(o.error);
    deps.logger.error('raw object failed', { ...ref, reason, error: o.error as Error });
    return { ...ref, status: 'failed', reason, errorType: toErrorView(o.error).errorType };
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
