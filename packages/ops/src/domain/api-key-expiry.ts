/**
 * Days until the GraphQL API's first API key expires: the figure the alarm opendata-pulse-api-key-expiry
 * watches (the dashboard's public key must never lapse silently; docs/DEPLOY.md, "The dashboard").
 * Every key counts, an already expired one too (AppSync keeps it 60 days, negative here): a key nobody
 * uses any more is deleted rather than ignored.
 */
export interface ApiKeyExpiry {
  id: string;
  /** seconds since the epoch, as AppSync reports it */
  expires: number;
}

const DAY_MS = 86_400_000;

/** The soonest expiry in days from `now` (two decimals, rounded down), or undefined with no key. */
export function daysToFirstExpiry(keys: readonly ApiKeyExpiry[], now: number): number | undefined {
  if (keys.length === 0) return undefined;
  const soonest = Math.min(...keys.map((k) => k.expires * 1000));
  return Math.floor(((soonest - now) / DAY_MS) * 100) / 100;
}
