/**
 * A test run (`{"test": true}`): reach the NSW API and the raw bucket exactly as an ingest would,
 * write nothing, and report what was found. An unreachable or misbehaving NSW API is the finding,
 * not an error; an unreachable bucket is an error, since the ingest could not work either. The bucket
 * is probed with a listing of the raw prefix and, when NSW names an hour, a listing of that hour's
 * stored versions (docs/architecture.md, "Raw zone keys").
 */
import { UpstreamError } from '@opendata-pulse/shared/errors';
import { rawHourVersionsPrefix, rawObjectKey } from '@opendata-pulse/shared/keys';
import { latestHourOf } from '../domain/observation-hours';
import type { IngestDeps } from './ports';

export interface TestRunResult {
  test: true;
  /** NSW answered a snapshot that validated */
  reachable: boolean;
  recordCount: number;
  /** the successful attempt's duration, or the time spent failing, ms */
  latencyMs: number;
  /** the hour a scheduled run would store now */
  hourStart?: string;
  /** the hour's first-snapshot key; once the hour is stored, a run writes nothing or a revision beside it */
  wouldWriteKey?: string;
  /** some version of that hour (its first snapshot or a revision) is already stored */
  alreadyStored?: boolean;
  /** why NSW was not usable */
  error?: string;
}

export async function testRun(deps: IngestDeps): Promise<TestRunResult> {
  await deps.store.checkBucket();
  const started = deps.clock.now();
  let response: Awaited<ReturnType<IngestDeps['nsw']['getObservations']>>;
  try {
    response = await deps.nsw.getObservations('snapshot');
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return {
      test: true,
      reachable: false,
      recordCount: 0,
      latencyMs: deps.clock.now() - started,
      error: error.message,
    };
  }
  const result: TestRunResult = {
    test: true,
    reachable: true,
    recordCount: response.data.length,
    latencyMs: response.latencyMs,
  };
  let hourStart: number | undefined;
  try {
    hourStart = latestHourOf(response.data, deps.source.timeZone);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    result.error = error.message;
  }
  if (hourStart !== undefined) {
    const key = rawObjectKey(hourStart);
    result.hourStart = new Date(hourStart).toISOString();
    result.wouldWriteKey = key;
    result.alreadyStored = (await deps.store.newestVersion(rawHourVersionsPrefix(hourStart))) !== undefined;
  }
  deps.logger.info('test run', { ...result });
  return result;
}
