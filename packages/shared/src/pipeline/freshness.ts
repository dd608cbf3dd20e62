/**
 * Data freshness: how long ago the newest hour we hold ended. Ingest takes the latest complete
 * hour once an hour, so in normal running the newest hour ended between a few minutes and about
 * an hour ago. The critical threshold is the one the freshness alarm uses.
 */
import { HOUR_MS, toHourIso } from '../time';

export const FRESHNESS_WARN_MINUTES = 90;
export const FRESHNESS_CRITICAL_MINUTES = 120;

export type FreshnessVerdict = 'FRESH' | 'LAGGING' | 'STALE' | 'NO_DATA';

/** Minutes since the hour that starts at `hourStart` ended (never negative). */
export function minutesSinceHourEnded(hourStart: number, now: number): number {
  return Math.max(0, Math.round((now - (hourStart + HOUR_MS)) / 60_000));
}

export function freshnessVerdict(ageMinutes: number | undefined): FreshnessVerdict {
  if (ageMinutes === undefined) return 'NO_DATA';
  if (ageMinutes > FRESHNESS_CRITICAL_MINUTES) return 'STALE';
  if (ageMinutes > FRESHNESS_WARN_MINUTES) return 'LAGGING';
  return 'FRESH';
}

export interface Freshness {
  verdict: FreshnessVerdict;
  /** what the API serves: the newest hour in the table */
  newestTableHour?: string;
  tableAgeMinutes?: number;
  /** what ingest last wrote: the newest hour in the raw zone */
  newestRawHour?: string;
  rawAgeMinutes?: number;
  /** a person's reading of the two figures together */
  explanation: string;
}

/**
 * The verdict follows the table (what users get); the raw zone says where a delay sits: raw fresh
 * but table stale points at the ETL, both stale at ingest or the source.
 */
export function assessFreshness(input: { newestRawHour?: number; newestTableHour?: number; now: number }): Freshness {
  const { now } = input;
  const rawAge = input.newestRawHour === undefined ? undefined : minutesSinceHourEnded(input.newestRawHour, now);
  const tableAge = input.newestTableHour === undefined ? undefined : minutesSinceHourEnded(input.newestTableHour, now);
  const verdict = freshnessVerdict(tableAge);
  const rawVerdict = freshnessVerdict(rawAge);
  let explanation: string;
  if (verdict === 'NO_DATA' && rawVerdict === 'NO_DATA') explanation = 'no data at all: nothing ingested yet';
  else if (verdict === 'NO_DATA') explanation = 'raw data exists but the table has none: the ETL has not processed it';
  else if (verdict === 'FRESH') explanation = 'the API serves current data';
  else if (rawVerdict === 'FRESH') explanation = 'ingest is current but the table lags: look at the ETL and its queue';
  else explanation = 'ingest is behind: look at the ingest function, its schedule and the NSW source';
  return {
    verdict,
    ...(input.newestTableHour !== undefined ? { newestTableHour: toHourIso(input.newestTableHour) } : {}),
    ...(tableAge !== undefined ? { tableAgeMinutes: tableAge } : {}),
    ...(input.newestRawHour !== undefined ? { newestRawHour: toHourIso(input.newestRawHour) } : {}),
    ...(rawAge !== undefined ? { rawAgeMinutes: rawAge } : {}),
    explanation,
  };
}
