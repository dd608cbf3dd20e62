/**
 * Live updates (docs/architecture.md, "Live updates"): once a batch's hours are stored with their
 * derived figures, each region whose newest stored hour is an hour this batch wrote gets one
 * HourUpdate (its stations' categories at that hour) through the API's publishHourUpdate mutation,
 * which AppSync fans out to onHourUpdate subscribers.
 *
 * - "Newest" is what the table says after the write (the region's newest region-hour item, read
 *   strongly consistent), so a backfill of an older hour, or an hour a parallel Lambda has
 *   already overtaken, never repaints a live map. A replay of an hour that wrote nothing new
 *   (every reading the same or an older fetch) publishes nothing either.
 * - Categories come from the stored readings (strongly consistent), i.e. after derivation.
 * - The data is already stored: a failed publish is logged and counted and never fails or
 *   retries the batch; while the API's URL is unknown, publishing is skipped and counted.
 * Clients keep the update with the newest `hourStart` (two Lambdas may deliver out of order).
 */
import { mapLimit } from '@opendata-pulse/shared/async';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { type Logger, type Metrics, MetricUnit } from '@opendata-pulse/shared/observability';
import type { HourTransform } from '../domain/hour-readings';
import type { HourUpdate, HourUpdatePorts, ReadingWrite } from './ports';

export const HOUR_UPDATE_METRICS = {
  published: 'HourUpdatesPublished',
  /** the API's GraphQL URL is not known yet (the api service not deployed, or its parameter missing) */
  skippedNoEndpoint: 'HourUpdatesSkippedNoEndpoint',
  failed: 'HourUpdatePublishFailures',
} as const;

export interface PublishHourUpdatesDeps extends HourUpdatePorts {
  logger: Logger;
  metrics: Metrics;
  concurrency?: number;
}

export interface PublishHourUpdatesResult {
  /** region -> hour start (ISO) published */
  published: Record<string, string>;
  /** regions whose batch hour is not (or no longer) their newest stored hour */
  notNewest: string[];
  skippedNoEndpoint: number;
  failed: number;
}

/** Per region, the batch's newest hour that wrote something new, with its stations' site ids. */
function candidates(
  hours: readonly HourTransform[],
  writes: ReadonlyMap<string, Record<ReadingWrite, number>>,
): Map<string, { hourStart: number; siteIds: number[] }> {
  const out = new Map<string, { hourStart: number; siteIds: number[] }>();
  for (const hour of hours) {
    const written = writes.get(hour.hourStart);
    if (written && written.written === 0) continue;
    const at = Date.parse(hour.hourStart);
    for (const reading of hour.readings) {
      const current = out.get(reading.region);
      if (!current || current.hourStart < at) out.set(reading.region, { hourStart: at, siteIds: [reading.siteId] });
      else if (current.hourStart === at && !current.siteIds.includes(reading.siteId))
        current.siteIds.push(reading.siteId);
    }
  }
  return out;
}

export function hourUpdateOf(region: string, hourStart: number, readings: readonly HourlyReading[]): HourUpdate {
  return {
    region,
    hourStart: new Date(hourStart).toISOString(),
    stations: readings
      .filter((r) => r.region === region && Date.parse(r.hourStart) === hourStart)
      .sort((a, b) => a.siteId - b.siteId)
      .map((r) => ({
        siteId: r.siteId,
        name: r.siteName,
        suburb: r.suburb,
        category: r.category ?? null,
        determiningPollutant: r.determiningPollutant ?? null,
      })),
  };
}

/** Never throws: whatever goes wrong is logged and counted (the batch's data is already stored). */
export async function publishHourUpdates(
  hours: readonly HourTransform[],
  writes: ReadonlyMap<string, Record<ReadingWrite, number>>,
  deps: PublishHourUpdatesDeps,
): Promise<PublishHourUpdatesResult> {
  const { logger, metrics, source, publisher } = deps;
  const result: PublishHourUpdatesResult = { published: {}, notNewest: [], skippedNoEndpoint: 0, failed: 0 };
  const regions = [...candidates(hours, writes)];
  if (regions.length === 0) return result;
  let available: boolean;
  try {
    available = await publisher.available();
  } catch (error) {
    result.failed = regions.length;
    metrics.addMetric(HOUR_UPDATE_METRICS.failed, MetricUnit.Count, regions.length);
    logger.error('live updates not published: where to publish could not be read', { error: error as Error });
    return result;
  }
  if (!available) {
    result.skippedNoEndpoint = regions.length;
    metrics.addMetric(HOUR_UPDATE_METRICS.skippedNoEndpoint, MetricUnit.Count, regions.length);
    logger.warn('live updates skipped: the API GraphQL URL is not known (is the api service deployed?)', {
      regions: regions.length,
    });
    return result;
  }
  await mapLimit(regions, deps.concurrency ?? 4, async ([region, { hourStart, siteIds }]) => {
    try {
      const newest = await source.newestRegionHour(region);
      if (newest !== hourStart) {
        result.notNewest.push(region);
        logger.debug('hour is not the region newest stored hour; no live update', {
          region,
          hourStart: new Date(hourStart).toISOString(),
          newest: newest === undefined ? null : new Date(newest).toISOString(),
        });
        return;
      }
      const readings = await source.readingsAt(siteIds.map((siteId) => ({ siteId, hourStart })));
      const update = hourUpdateOf(region, hourStart, readings);
      const outcome = await publisher.publish(update);
      if (outcome === 'no-endpoint') {
        result.skippedNoEndpoint++;
        metrics.addMetric(HOUR_UPDATE_METRICS.skippedNoEndpoint, MetricUnit.Count, 1);
        return;
      }
      result.published[region] = update.hourStart;
      metrics.addMetric(HOUR_UPDATE_METRICS.published, MetricUnit.Count, 1);
    } catch (error) {
      result.failed++;
      metrics.addMetric(HOUR_UPDATE_METRICS.failed, MetricUnit.Count, 1);
      logger.error('live update not published (the hour is stored; subscribers miss this update)', {
        region,
        hourStart: new Date(hourStart).toISOString(),
        error: error as Error,
      });
    }
  });
  if (Object.keys(result.published).length > 0) logger.info('live updates published', { published: result.published });
  return result;
}
