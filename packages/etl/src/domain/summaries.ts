/**
 * Daily and region summaries, recomputed from stored hours (pure; never running counters).
 */
import { categoryRank } from '@opendata-pulse/shared/aqc';
import {
  type DailySummary,
  type HourlyReading,
  isUsable,
  type ParameterDaySummary,
  type RegionHourSummary,
} from '@opendata-pulse/shared/model';
import { hoursOfLocalDate, localDate } from './local-dates';

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One station's day (`date` local to `timeZone`, midnight to midnight): per parameter the mean,
 * min and max of the usable hourly values, how many there were, how many were left out (negative
 * or missing), and the usable hours as a share of the day's hours.
 */
export function summariseDay(
  siteId: number,
  date: string,
  readings: readonly HourlyReading[],
  timeZone: string,
): DailySummary {
  const dayHours = hoursOfLocalDate(date, timeZone).length;
  const byParameter = new Map<string, { unit: string; values: number[]; excluded: number }>();
  const ordered = [...readings].sort((a, b) => Date.parse(a.hourStart) - Date.parse(b.hourStart));
  for (const reading of ordered) {
    if (localDate(Date.parse(reading.hourStart), timeZone) !== date) continue;
    for (const m of reading.measurements) {
      let entry = byParameter.get(m.parameter);
      if (!entry) {
        entry = { unit: m.unit, values: [], excluded: 0 };
        byParameter.set(m.parameter, entry);
      }
      if (!entry.unit && m.unit) entry.unit = m.unit;
      if (isUsable(m.value)) entry.values.push(m.value);
      else entry.excluded++;
    }
  }
  const parameters: ParameterDaySummary[] = [...byParameter.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([parameter, { unit, values, excluded }]) => {
      const count = values.length;
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of values) {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return {
        parameter,
        unit,
        mean: count > 0 ? sum / count : null,
        min: count > 0 ? min : null,
        max: count > 0 ? max : null,
        count,
        excluded,
        coverage: dayHours > 0 ? Math.round((count / dayHours) * 1000) / 10 : 0,
      };
    });
  return { siteId, date, parameters };
}

/** Version of a day's summary: the sum of the fetch times of the stored hours it was made from. */
export function dayVersionOf(readings: readonly HourlyReading[], date: string, timeZone: string): number {
  let version = 0;
  for (const r of readings) {
    if (localDate(Date.parse(r.hourStart), timeZone) === date) version += Date.parse(r.source.fetchedAt);
  }
  return version;
}

export interface StationHourCategory {
  siteId: number;
  category?: HourlyReading['category'];
}

/**
 * A region's hour: its stations' categories (those with a reading that hour), the worst of them,
 * and the station that sets it (the lowest site id among equals, so the answer is stable).
 */
export function summariseRegionHour(
  region: string,
  hourStart: string,
  stations: readonly StationHourCategory[],
): RegionHourSummary {
  const sorted = [...stations].sort((a, b) => a.siteId - b.siteId);
  let worst: StationHourCategory | undefined;
  for (const s of sorted) {
    if (s.category && (!worst?.category || categoryRank(s.category) > categoryRank(worst.category))) worst = s;
  }
  return {
    region,
    hourStart,
    ...(worst?.category ? { category: worst.category, worstSiteId: worst.siteId } : {}),
    stations: sorted.map((s) => ({ siteId: s.siteId, ...(s.category ? { category: s.category } : {}) })),
  };
}

export { hoursOfLocalDate };
