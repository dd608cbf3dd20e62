/**
 * A station's hourly readings (newest first, as the API answers) -> one chart series per pollutant:
 * hours ascending, the hourly value and each rolling average NSW publishes for it.
 */
import { THRESHOLDS } from '@opendata-pulse/shared/aqc';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import type { HourlyReading } from '../api/queries';

/** Pollutants: the parameters NSW categorises, in the order NSW lists them. */
export const POLLUTANTS: readonly string[] = [
  ...new Set(['PM2.5', 'PM10', 'OZONE', 'NO2', 'CO', 'SO2', 'NEPH']),
].filter((p) => THRESHOLDS.some((t) => t.parameter === p));

export interface PollutantSeries {
  parameter: string;
  unit: string;
  /** UTC hour starts, ascending (ms) */
  hours: number[];
  values: (number | null)[];
  /** rolling averages by window (`4h`, `8h`, `24h`), aligned with `hours` */
  rolling: { window: string; values: (number | null)[] }[];
}

/** The readings of the `hours` hours up to and including the one that starts at `newest`. */
export function lastHours(readings: readonly HourlyReading[], newest: number, hours: number): HourlyReading[] {
  const from = newest - (hours - 1) * HOUR_MS;
  return readings.filter((r) => {
    const t = Date.parse(r.hourStart);
    return t >= from && t <= newest;
  });
}

export function pollutantSeries(readings: readonly HourlyReading[]): PollutantSeries[] {
  const ascending = [...readings].sort((a, b) => Date.parse(a.hourStart) - Date.parse(b.hourStart));
  const hours = ascending.map((r) => Date.parse(r.hourStart));
  const out: PollutantSeries[] = [];
  for (const parameter of POLLUTANTS) {
    const measured = ascending.map((r) => r.measurements.find((m) => m.parameter === parameter));
    const first = measured.find((m) => m !== undefined);
    if (!first) continue;
    const windows = [...new Set(measured.flatMap((m) => m?.rolling.map((x) => x.window) ?? []))].sort();
    out.push({
      parameter,
      unit: first.unit,
      hours,
      values: measured.map((m) => (m?.value !== undefined && m.value !== null && m.value >= 0 ? m.value : null)),
      rolling: windows.map((window) => ({
        window,
        values: measured.map((m) => m?.rolling.find((x) => x.window === window)?.value ?? null),
      })),
    });
  }
  return out;
}
