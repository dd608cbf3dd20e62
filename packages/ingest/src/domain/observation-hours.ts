/**
 * Which UTC hours a batch of NSW observations stands for. The scheduled run stores the snapshot
 * under the latest hour it contains (what NSW has actually published), not under an hour guessed
 * from the clock: NSW publishes late and irregularly, and a guessed key would mislabel data.
 */
import { UpstreamError, ValidationError } from '@opendata-pulse/shared/errors';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { nswHourToUtc } from '@opendata-pulse/shared/time';

export interface ObservationHours {
  /** observations per UTC hour start (epoch ms), ascending by hour */
  counts: Map<number, number>;
  /** observations whose Date/Hour label has no UTC hour (a daylight-saving gap) */
  unplaceable: number;
}

export function observationHours(observations: readonly NswObservation[], timeZone: string): ObservationHours {
  // A day's response holds ~100 rows per label; resolve each distinct label once.
  const byLabel = new Map<string, number | null>();
  const counts = new Map<number, number>();
  let unplaceable = 0;
  for (const o of observations) {
    const date = o.Date.slice(0, 10);
    const label = `${date}#${o.Hour}`;
    let hourStart = byLabel.get(label);
    if (hourStart === undefined) {
      try {
        hourStart = Date.parse(nswHourToUtc(date, o.Hour, timeZone));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        hourStart = null;
      }
      byLabel.set(label, hourStart);
    }
    if (hourStart === null) unplaceable++;
    else counts.set(hourStart, (counts.get(hourStart) ?? 0) + 1);
  }
  return { counts: new Map([...counts].sort(([a], [b]) => a - b)), unplaceable };
}

/** The latest hour in a snapshot; an empty or unplaceable snapshot is the source's failure. */
export function latestHourOf(observations: readonly NswObservation[], timeZone: string): number {
  if (observations.length === 0) {
    throw new UpstreamError('NSW snapshot held no observations: nothing to ingest (NSW may not have published yet)', {
      retryable: true,
    });
  }
  const { counts, unplaceable } = observationHours(observations, timeZone);
  const latest = [...counts.keys()].at(-1);
  if (latest === undefined) {
    throw new UpstreamError(
      `NSW snapshot held ${observations.length} observations but none has a Date/Hour that exists in ${timeZone}`,
      { details: { unplaceable } },
    );
  }
  return latest;
}
