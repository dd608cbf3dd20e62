/**
 * Live updates: which regions publish (only where a batch hour is the region's newest stored hour,
 * and wrote something new), what the update carries, and that nothing that goes wrong fails the
 * batch. The table and the API are fakes here; tests/integration covers the real ones.
 */
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { createLogger, createMetrics } from '@opendata-pulse/shared/observability';
import { describe, expect, it, vi } from 'vitest';
import type { HourTransform } from '../../src/domain/hour-readings';
import type { HourUpdate, HourUpdateSource, PublishOutcome, ReadingWrite } from '../../src/use-cases/ports';
import { HOUR_UPDATE_METRICS, publishHourUpdates } from '../../src/use-cases/publish-hour-updates.use-case';
import { HOUR, reading } from '../support/readings';

const T0 = Date.UTC(2026, 2, 1, 0);

function station(siteId: number, region: string, at: number, category?: HourlyReading['category']): HourlyReading {
  return {
    ...reading(at, { 'PM2.5': 10 }),
    siteId,
    siteName: `Site ${siteId}`,
    suburb: `Suburb ${siteId}`,
    region,
    ...(category ? { category, determiningPollutant: 'PM2.5' } : {}),
  };
}

function hour(at: number, readings: HourlyReading[]): HourTransform {
  return {
    hourStart: new Date(at).toISOString(),
    readings,
    stations: [],
    counts: {} as HourTransform['counts'],
    unplaced: [],
  };
}

const wrote = (...hours: [number, Partial<Record<ReadingWrite, number>>][]) =>
  new Map(hours.map(([at, w]) => [new Date(at).toISOString(), { written: 0, refreshed: 0, older: 0, ...w }]));

/** A table whose newest region hours and stored readings are given. */
function fakeTable(newest: Record<string, number>, stored: HourlyReading[]): HourUpdateSource {
  return {
    newestRegionHour: async (region) => newest[region],
    readingsAt: async (at) =>
      stored.filter((r) => at.some((a) => a.siteId === r.siteId && a.hourStart === Date.parse(r.hourStart))),
  };
}

function deps(
  source: HourUpdateSource,
  publish: (u: HourUpdate) => Promise<PublishOutcome>,
  available: () => Promise<boolean> = async () => true,
) {
  const metrics = createMetrics('opendata-pulse-etl');
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const logger = createLogger('opendata-pulse-etl', 'SILENT');
  const error = vi.spyOn(logger, 'error');
  return { deps: { source, publisher: { available, publish }, logger, metrics }, addMetric, error };
}

describe('publishHourUpdates', () => {
  it("publishes each region's newest hour once, with the stored (derived) categories of its stations", async () => {
    // Prepare: two hours of a batch, two regions; the table's readings carry the derived categories
    const batch = [
      hour(T0, [station(39, 'Sydney East', T0), station(41, 'Sydney East', T0)]),
      hour(T0 + HOUR, [
        station(41, 'Sydney East', T0 + HOUR),
        station(39, 'Sydney East', T0 + HOUR),
        station(7, 'Illawarra', T0 + HOUR),
      ]),
    ];
    const stored = [
      station(39, 'Sydney East', T0 + HOUR, 'POOR'),
      station(41, 'Sydney East', T0 + HOUR),
      station(7, 'Illawarra', T0 + HOUR, 'GOOD'),
    ];
    const sent: HourUpdate[] = [];
    const { deps: d, addMetric } = deps(
      fakeTable({ 'Sydney East': T0 + HOUR, Illawarra: T0 + HOUR }, stored),
      async (u) => {
        sent.push(u);
        return 'published';
      },
    );

    // Act
    const result = await publishHourUpdates(batch, wrote([T0, { written: 2 }], [T0 + HOUR, { written: 3 }]), d);

    // Assess
    const iso = new Date(T0 + HOUR).toISOString();
    expect(result).toEqual({
      published: { 'Sydney East': iso, Illawarra: iso },
      notNewest: [],
      skippedNoEndpoint: 0,
      failed: 0,
    });
    expect(sent.sort((a, b) => a.region.localeCompare(b.region))).toEqual([
      {
        region: 'Illawarra',
        hourStart: iso,
        stations: [{ siteId: 7, name: 'Site 7', suburb: 'Suburb 7', category: 'GOOD', determiningPollutant: 'PM2.5' }],
      },
      {
        region: 'Sydney East',
        hourStart: iso,
        stations: [
          { siteId: 39, name: 'Site 39', suburb: 'Suburb 39', category: 'POOR', determiningPollutant: 'PM2.5' },
          { siteId: 41, name: 'Site 41', suburb: 'Suburb 41', category: null, determiningPollutant: null },
        ],
      },
    ]);
    expect(addMetric).toHaveBeenCalledWith(HOUR_UPDATE_METRICS.published, 'Count', 1);
  });

  it('never publishes a backfilled hour older than the region newest stored hour, nor a replay that wrote nothing new', async () => {
    // Prepare
    const backfill = [hour(T0, [station(39, 'Sydney East', T0)])];
    const replay = [hour(T0 + 5 * HOUR, [station(7, 'Illawarra', T0 + 5 * HOUR)])];
    const publish = vi.fn(async () => 'published' as const);
    const table = fakeTable({ 'Sydney East': T0 + 5 * HOUR, Illawarra: T0 + 5 * HOUR }, []);

    // Act
    const older = await publishHourUpdates(backfill, wrote([T0, { written: 1 }]), deps(table, publish).deps);
    const same = await publishHourUpdates(replay, wrote([T0 + 5 * HOUR, { refreshed: 1 }]), deps(table, publish).deps);

    // Assess
    expect(older).toMatchObject({ published: {}, notNewest: ['Sydney East'] });
    expect(same).toMatchObject({ published: {}, notNewest: [] });
    expect(publish).not.toHaveBeenCalled();
  });

  it('skips and counts while the API URL is unknown, without reading the table', async () => {
    // Prepare
    const table = fakeTable({ Illawarra: T0 }, [station(7, 'Illawarra', T0)]);
    const newest = vi.spyOn(table, 'newestRegionHour');
    const { deps: d, addMetric } = deps(
      table,
      async () => 'published',
      async () => false,
    );

    // Act
    const result = await publishHourUpdates(
      [hour(T0, [station(7, 'Illawarra', T0), station(39, 'Sydney East', T0)])],
      wrote([T0, { written: 2 }]),
      d,
    );

    // Assess
    expect(result).toMatchObject({ published: {}, skippedNoEndpoint: 2, failed: 0 });
    expect(addMetric).toHaveBeenCalledWith(HOUR_UPDATE_METRICS.skippedNoEndpoint, 'Count', 2);
    expect(newest).not.toHaveBeenCalled();
  });

  it('counts a publish that found the URL gone as skipped', async () => {
    // Prepare
    const table = fakeTable({ Illawarra: T0 }, [station(7, 'Illawarra', T0)]);
    const { deps: d } = deps(table, async () => 'no-endpoint');

    // Act
    const result = await publishHourUpdates([hour(T0, [station(7, 'Illawarra', T0)])], wrote([T0, { written: 1 }]), d);

    // Assess
    expect(result).toMatchObject({ published: {}, skippedNoEndpoint: 1, failed: 0 });
  });

  it('logs and counts a failed publish or table read without throwing, and still publishes the other regions', async () => {
    // Prepare
    const batch = [
      hour(T0, [station(7, 'Illawarra', T0), station(39, 'Sydney East', T0), station(50, 'Central Coast', T0)]),
    ];
    const table = fakeTable({ Illawarra: T0, 'Sydney East': T0 }, [station(39, 'Sydney East', T0)]);
    table.newestRegionHour = async (region) => {
      if (region === 'Central Coast') throw new Error('ProvisionedThroughputExceededException');
      return T0;
    };
    const {
      deps: d,
      addMetric,
      error,
    } = deps(table, async (u) => {
      if (u.region === 'Illawarra') throw new Error('publishHourUpdate refused (HTTP 401)');
      return 'published';
    });

    // Act
    const result = await publishHourUpdates(batch, wrote([T0, { written: 3 }]), d);

    // Assess
    expect(result).toMatchObject({ published: { 'Sydney East': new Date(T0).toISOString() }, failed: 2 });
    expect(addMetric).toHaveBeenCalledWith(HOUR_UPDATE_METRICS.failed, 'Count', 1);
    expect(error).toHaveBeenCalledTimes(2);
  });
});
