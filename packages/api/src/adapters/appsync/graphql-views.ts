/**
 * Domain model -> the GraphQL shapes of schema.graphql. AppSync resolves nested fields by name from
 * what the Lambda returns, so every optional model field becomes an explicit null here.
 */
import type {
  DailySummary,
  HourlyReading,
  Measurement,
  RegionHourSummary,
  RollingAverage,
  Station,
} from '@opendata-pulse/shared/model';

const rollingView = (r: RollingAverage) => ({
  window: r.window,
  value: r.value ?? null,
  hours: r.hours,
  category: r.category ?? null,
});

const measurementView = (m: Measurement) => ({
  parameter: m.parameter,
  value: m.value ?? null,
  unit: m.unit,
  category: m.category ?? null,
  nswCategory: m.nswCategory ?? null,
  flags: m.flags ?? [],
  rolling: (m.rolling ?? []).map(rollingView),
});

export const readingView = (r: HourlyReading) => ({
  siteId: r.siteId,
  siteName: r.siteName,
  suburb: r.suburb,
  region: r.region,
  hourStart: r.hourStart,
  category: r.category ?? null,
  determiningPollutant: r.determiningPollutant ?? null,
  measurements: (r.measurements ?? []).map(measurementView),
  source: r.source ? { rawKey: r.source.rawKey, fetchedAt: r.source.fetchedAt } : null,
});

export const stationView = (s: Station) => ({
  siteId: s.siteId,
  name: s.name,
  suburb: s.suburb,
  region: s.region,
  latitude: s.latitude ?? null,
  longitude: s.longitude ?? null,
});

export const regionHourView = (r: RegionHourSummary) => ({
  region: r.region,
  hourStart: r.hourStart,
  category: r.category ?? null,
  worstSiteId: r.worstSiteId ?? null,
  stations: (r.stations ?? []).map((s) => ({ siteId: s.siteId, category: s.category ?? null })),
});

export const dailyView = (d: DailySummary) => ({
  siteId: d.siteId,
  date: d.date,
  parameters: (d.parameters ?? []).map((p) => ({
    parameter: p.parameter,
    unit: p.unit,
    mean: p.mean ?? null,
    min: p.min ?? null,
    max: p.max ?? null,
    count: p.count,
    excluded: p.excluded,
    coverage: p.coverage,
  })),
});

export const connectionView = <T, V>(c: { items: T[]; nextToken: string | null }, view: (item: T) => V) => ({
  items: c.items.map(view),
  nextToken: c.nextToken,
});
