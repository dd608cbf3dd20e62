/**
 * Figures derived from a station's stored hours (pure): rolling averages with their categories,
 * the station-hour category they refine, and the version that orders recomputations.
 *
 * Rolling averages (docs/nsw-api.md, "Air quality categories"): OZONE over 4 h, CO over 8 h,
 * PM2.5 and PM10 over 24 h, each the mean of the usable hourly values (present, not negative) in
 * the window ending with the hour.
 * A window's category needs 75 % of its hours usable (3 of 4, 6 of 8, 18 of 24), the data
 * completeness rule air-quality reporting uses; below that the mean is still stored, uncategorised.
 */
import { type Averaging, categoryFor, stationCategory } from '@opendata-pulse/shared/aqc';
import { type HourlyReading, isUsable, type RollingAverage, type RollingWindow } from '@opendata-pulse/shared/model';
import { HOUR_MS } from '@opendata-pulse/shared/time';

export interface RollingRule {
  window: RollingWindow;
  hours: number;
  averaging: Averaging;
}

export const ROLLING_RULES: Readonly<Record<string, RollingRule>> = {
  OZONE: { window: '4h', hours: 4, averaging: '4h' },
  CO: { window: '8h', hours: 8, averaging: '8h' },
  'PM2.5': { window: '24h', hours: 24, averaging: '24h' },
  PM10: { window: '24h', hours: 24, averaging: '24h' },
};

/** The longest window: an hour's derived figures depend on this many hours ending with it. */
export const LONGEST_WINDOW_HOURS = 24;
export const MIN_WINDOW_COVERAGE = 0.75;

/** A station's stored hours, by epoch ms of the hour start. */
export type StationHours = ReadonlyMap<number, HourlyReading>;

export function rollingAverage(hours: StationHours, parameter: string, hourStart: number): RollingAverage | undefined {
  const rule = ROLLING_RULES[parameter];
  if (!rule) return undefined;
  let sum = 0;
  let usable = 0;
  for (let i = 0; i < rule.hours; i++) {
    const value = hours.get(hourStart - i * HOUR_MS)?.measurements.find((m) => m.parameter === parameter)?.value;
    if (isUsable(value)) {
      sum += value;
      usable++;
    }
  }
  const value = usable > 0 ? sum / usable : null;
  const category =
    usable >= Math.ceil(rule.hours * MIN_WINDOW_COVERAGE) ? categoryFor(parameter, value, rule.averaging) : undefined;
  return { window: rule.window, value, hours: usable, ...(category ? { category } : {}) };
}

export interface DerivedReading {
  /** rolling average per measurement index (only measurements with a rolling rule) */
  rolling: Map<number, RollingAverage>;
  category?: HourlyReading['category'];
  determiningPollutant?: string;
  /** see derivedVersionOf */
  version: number;
}

/**
 * The derived figures of the stored reading at `hourStart`: each windowed pollutant's rolling
 * average, and the hour's category as the worst of the 1 h categories and the rolling ones (O3 4 h,
 * CO 8 h), with the pollutant that sets it.
 */
export function deriveReading(hours: StationHours, hourStart: number): DerivedReading | undefined {
  const reading = hours.get(hourStart);
  if (!reading) return undefined;
  const rolling = new Map<number, RollingAverage>();
  const candidates: { parameter: string; category?: HourlyReading['category'] }[] = [];
  reading.measurements.forEach((m, index) => {
    candidates.push({ parameter: m.parameter, category: m.category });
    const average = rollingAverage(hours, m.parameter, hourStart);
    if (average) {
      rolling.set(index, average);
      candidates.push({ parameter: m.parameter, category: average.category });
    }
  });
  return { rolling, ...stationCategory(candidates), version: derivedVersionOf(hours, hourStart) };
}

/**
 * The version of an hour's derived figures: the sum of the fetch times (epoch ms) of the stored
 * hours its longest window covers. Each stored hour's fetch time only grows (a reading is only
 * replaced by a newer-or-equal fetch), so of two recomputations the one that read later has a
 * version at least as high, and higher whenever it saw anything newer.
 */
export function derivedVersionOf(hours: StationHours, hourStart: number): number {
  let version = 0;
  for (let i = 0; i < LONGEST_WINDOW_HOURS; i++) {
    const reading = hours.get(hourStart - i * HOUR_MS);
    if (reading) version += Date.parse(reading.source.fetchedAt);
  }
  return version;
}

/** The reading with its derived figures applied (what the table holds after the derived write). */
export function applyDerived(reading: HourlyReading, derived: DerivedReading): HourlyReading {
  const { category: _c, determiningPollutant: _d, ...rest } = reading;
  return {
    ...rest,
    ...(derived.category ? { category: derived.category } : {}),
    ...(derived.determiningPollutant ? { determiningPollutant: derived.determiningPollutant } : {}),
    measurements: reading.measurements.map((m, index) => {
      const average = derived.rolling.get(index);
      const { rolling: _r, ...base } = m;
      return average ? { ...base, rolling: [average] } : base;
    }),
  };
}

const WINDOW_MS = LONGEST_WINDOW_HOURS * HOUR_MS;

function sameRolling(stored: RollingAverage[] | undefined, computed: RollingAverage): boolean {
  return JSON.stringify(stored ?? null) === JSON.stringify([computed]);
}

/** The stored reading already carries these derived figures, at this version: no write is needed. */
export function derivedUnchanged(
  stored: HourlyReading,
  storedVersion: number | undefined,
  derived: DerivedReading,
): boolean {
  if (storedVersion !== derived.version) return false;
  if (stored.category !== derived.category || stored.determiningPollutant !== derived.determiningPollutant)
    return false;
  for (const [index, average] of derived.rolling) {
    if (!sameRolling(stored.measurements[index]?.rolling, average)) return false;
  }
  return true;
}

/** Runs of hours whose windows (±24 h) touch, so each run is one read of a station's stored hours. */
export function clusterHours(hours: readonly number[]): number[][] {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const h of sorted) {
    const run = runs.at(-1);
    if (run && h - (run.at(-1) ?? h) <= 2 * WINDOW_MS) run.push(h);
    else runs.push([h]);
  }
  return runs;
}
