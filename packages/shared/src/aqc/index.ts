/**
 * NSW Air Quality Categories (AQC). Thresholds from docs/nsw-api.md ("Air quality categories"); a value equal to a band's lower
 * edge takes that (worse) band.
 */
export const CATEGORIES = ['GOOD', 'FAIR', 'POOR', 'VERY_POOR', 'EXTREMELY_POOR'] as const;
export type AirQualityCategory = (typeof CATEGORIES)[number];

export type Averaging = '1h' | '4h' | '8h' | '24h';

/** Lower edges of FAIR, POOR, VERY_POOR, EXTREMELY_POOR. */
type Edges = readonly [number, number, number, number];

export interface ThresholdRule {
  parameter: string;
  averaging: Averaging;
  unit: string;
  edges: Edges;
}

export const THRESHOLDS: readonly ThresholdRule[] = [
  { parameter: 'OZONE', averaging: '1h', unit: 'pphm', edges: [6.7, 10.0, 15.0, 20.0] },
  { parameter: 'OZONE', averaging: '4h', unit: 'pphm', edges: [5.4, 8.0, 12.0, 16.0] },
  { parameter: 'NO2', averaging: '1h', unit: 'pphm', edges: [8, 12, 18, 24] },
  { parameter: 'SO2', averaging: '1h', unit: 'pphm', edges: [13.3, 20.0, 30.0, 40.0] },
  { parameter: 'CO', averaging: '8h', unit: 'ppm', edges: [6.0, 9.0, 13.5, 18.0] },
  { parameter: 'NEPH', averaging: '1h', unit: 'bsp', edges: [1.5, 3.0, 6.0, 18.0] },
  { parameter: 'PM10', averaging: '1h', unit: 'µg/m³', edges: [50, 100, 200, 600] },
  { parameter: 'PM2.5', averaging: '1h', unit: 'µg/m³', edges: [25, 50, 100, 300] },
];

const rules = new Map(THRESHOLDS.map((r) => [`${r.parameter}|${r.averaging}`, r]));

/** The rule for a pollutant and averaging period, if NSW publishes one. */
export function thresholdFor(parameter: string, averaging: Averaging): ThresholdRule | undefined {
  return rules.get(`${parameter}|${averaging}`);
}

/** Category of a value; undefined when there is no rule or no usable value (null, negative, NaN). */
export function categoryFor(
  parameter: string,
  value: number | null | undefined,
  averaging: Averaging = '1h',
): AirQualityCategory | undefined {
  const rule = thresholdFor(parameter, averaging);
  if (!rule || value === null || value === undefined || !Number.isFinite(value) || value < 0) return undefined;
  let band = 0;
  for (const edge of rule.edges) if (value >= edge) band++;
  return CATEGORIES[band];
}

export function categoryRank(category: AirQualityCategory): number {
  return CATEGORIES.indexOf(category);
}

/** The worse of the given categories; undefined when none is given. */
export function worstCategory(
  categories: Iterable<AirQualityCategory | undefined | null>,
): AirQualityCategory | undefined {
  let worst: AirQualityCategory | undefined;
  for (const c of categories) {
    if (c && (worst === undefined || categoryRank(c) > categoryRank(worst))) worst = c;
  }
  return worst;
}

/**
 * A station's hourly category is the worst of its pollutants' categories; the pollutant that sets
 * it is the determining pollutant (ties go to the first listed).
 */
export function stationCategory(
  pollutants: ReadonlyArray<{ parameter: string; category?: AirQualityCategory | null }>,
): {
  category?: AirQualityCategory;
  determiningPollutant?: string;
} {
  let best: { category: AirQualityCategory; parameter: string } | undefined;
  for (const p of pollutants) {
    if (p.category && (!best || categoryRank(p.category) > categoryRank(best.category))) {
      best = { category: p.category, parameter: p.parameter };
    }
  }
  return best ? { category: best.category, determiningPollutant: best.parameter } : {};
}

/** A region's category is the worst of its stations'. */
export function regionCategory(stations: ReadonlyArray<{ category?: AirQualityCategory | null }>) {
  return worstCategory(stations.map((s) => s.category));
}

/**
 * NSW spellings ("VERY POOR", "Very_Poor", "extremely poor") -> the enum; undefined for null/empty;
 * null for a spelling we do not recognise (callers flag it).
 */
export function normaliseCategory(value: string | null | undefined): AirQualityCategory | undefined | null {
  if (value === null || value === undefined) return undefined;
  const key = value
    .trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, '_');
  if (key === '') return undefined;
  return (CATEGORIES as readonly string[]).includes(key) ? (key as AirQualityCategory) : null;
}
