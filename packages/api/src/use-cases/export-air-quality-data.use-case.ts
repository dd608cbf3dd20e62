/**
 * `exportAirQualityData`: a suburb's readings over up to 366 days as one CSV in the curated
 * bucket's `exports/` prefix, answered with a pre-signed GET URL valid 15 minutes.
 *
 * Memory: the readings are paged (QUERY_LIMITS.maxLimit per Query) and each page becomes CSV text
 * before the next is read, so only the CSV is held, never the readings. A 366-day export of one
 * station is about 8,784 hours x 8-10 parameters, some 8 MB of CSV (packages/api/README.md,
 * "Nearest stations and exports"): well inside the function's memory for one PutObject, which
 * also leaves no partial file behind when an export fails.
 */
import { exportObjectKey } from '@opendata-pulse/shared/keys';
import { csvHeader, readingRows } from '../domain/export-csv';
import { QUERY_LIMITS, resolveExportWindow } from '../domain/query-arguments';
import type { ExportStore, HotAggregatesReader, StartKey } from './ports';
import type { StationDirectory } from './station-directory';

/** How long the download URL works. */
export const EXPORT_URL_TTL_SECONDS = 15 * 60;
export const EXPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface ExportInput {
  suburb: string;
  from: number;
  to: number;
}

export interface ExportResult {
  url: string;
  expiresAt: string;
  rows: number;
  key: string;
}

export async function exportAirQualityData(
  input: ExportInput,
  deps: {
    reader: HotAggregatesReader;
    exports: ExportStore;
    now: () => number;
    newId: () => string;
    stationDirectory: StationDirectory;
  },
): Promise<ExportResult> {
  const window = resolveExportWindow(input.from, input.to, deps.now());
  const siteIds = await deps.stationDirectory.inSuburb(input.suburb);
  const chunks: Buffer[] = [Buffer.from(csvHeader(), 'utf8')];
  let rows = 0;
  let startKey: StartKey | undefined;
  do {
    const page = await deps.reader.readingsOfStations(siteIds, window, QUERY_LIMITS.maxLimit, startKey);
    let text = '';
    for (const reading of page.items) {
      const out = readingRows(reading);
      text += out.text;
      rows += out.rows;
    }
    chunks.push(Buffer.from(text, 'utf8'));
    startKey = page.nextKey;
  } while (startKey);

  const key = exportObjectKey(input.suburb, window.fromMs, window.toMs, deps.newId());
  const fileName = key.slice(key.lastIndexOf('/') + 1);
  await deps.exports.put(key, Buffer.concat(chunks), { contentType: EXPORT_CONTENT_TYPE, fileName });
  // Signed now, after the upload: the URL's 15 minutes start here.
  const signedAt = deps.now();
  const url = await deps.exports.downloadUrl(key, EXPORT_URL_TTL_SECONDS);
  return { url, expiresAt: new Date(signedAt + EXPORT_URL_TTL_SECONDS * 1000).toISOString(), rows, key };
}
