/**
 * The CSV `exportAirQualityData` writes: a header, then one row per station-hour-parameter, quoted
 * as RFC 4180 says (a field holding a comma, a double quote, CR or LF is enclosed in double quotes,
 * its quotes doubled; lines end in CRLF). Pure: readings in, text out.
 */
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { HOUR_MS, offsetMinutesAt, parseHourStart, wallClockAt } from '@opendata-pulse/shared/time';

export const EXPORT_COLUMNS = [
  'site_id',
  'site_name',
  'suburb',
  'region',
  'hour_start_utc',
  'hour_end_local',
  'parameter',
  'value',
  'unit',
  'category',
  'flags',
] as const;

/** `hour_end_local` is NSW time: the zone the source labels its hours in (docs/nsw-api.md). */
export const EXPORT_TIME_ZONE = 'Australia/Sydney';

const CRLF = '\r\n';
const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** One RFC 4180 field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (fields: ReadonlyArray<string | number | null | undefined>) =>
  `${fields.map(csvField).join(',')}${CRLF}`;

/** The instant `ms` as local ISO 8601 with the offset `timeZone` has then: `2026-11-20T14:00:00+11:00`. */
export function localIsoWithOffset(ms: number, timeZone: string): string {
  const w = wallClockAt(ms, timeZone);
  const offset = offsetMinutesAt(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const local = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:00`;
  return `${local}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export const csvHeader = (): string => csvLine(EXPORT_COLUMNS);

/** The rows of one reading: one per measurement, in the reading's order. */
export function readingRows(
  reading: HourlyReading,
  timeZone: string = EXPORT_TIME_ZONE,
): { text: string; rows: number } {
  const startMs = parseHourStart(reading.hourStart);
  const hourStartUtc = new Date(startMs).toISOString().replace('.000Z', 'Z');
  const hourEndLocal = localIsoWithOffset(startMs + HOUR_MS, timeZone);
  let text = '';
  for (const m of reading.measurements ?? []) {
    text += csvLine([
      reading.siteId,
      reading.siteName,
      reading.suburb,
      reading.region,
      hourStartUtc,
      hourEndLocal,
      m.parameter,
      m.value,
      m.unit,
      m.category,
      (m.flags ?? []).join(';'),
    ]);
  }
  return { text, rows: reading.measurements?.length ?? 0 };
}
