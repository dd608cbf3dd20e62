/**
 * The curated zone's file for one raw hour: one row per station and parameter, as Parquet
 * (hyparquet-writer: pure JavaScript, no native code, ~60 kB in the bundle). The bytes are a
 * function of the hour's readings alone (no write time inside), so a replay writes the same file.
 * The column list is mirrored by the Glue table in serverless.yml (CURATED_COLUMNS below is the
 * one list both follow).
 */
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';

/** Column name, Parquet basic type, and the Glue/Athena type of the same column. */
export const CURATED_COLUMNS = [
  { name: 'hour_start', type: 'TIMESTAMP', glue: 'timestamp' },
  { name: 'site_id', type: 'INT32', glue: 'int' },
  { name: 'site_name', type: 'STRING', glue: 'string' },
  { name: 'suburb', type: 'STRING', glue: 'string' },
  { name: 'region', type: 'STRING', glue: 'string' },
  { name: 'parameter', type: 'STRING', glue: 'string' },
  { name: 'value', type: 'DOUBLE', glue: 'double' },
  { name: 'unit', type: 'STRING', glue: 'string' },
  { name: 'category', type: 'STRING', glue: 'string' },
  { name: 'nsw_category', type: 'STRING', glue: 'string' },
  { name: 'flags', type: 'STRING', glue: 'string' },
  { name: 'raw_key', type: 'STRING', glue: 'string' },
  { name: 'fetched_at', type: 'TIMESTAMP', glue: 'timestamp' },
] as const;

export type CuratedColumn = (typeof CURATED_COLUMNS)[number]['name'];

export interface CuratedRow {
  hour_start: Date;
  site_id: number;
  site_name: string;
  suburb: string;
  region: string;
  parameter: string;
  value: number | null;
  unit: string;
  category: string | null;
  nsw_category: string | null;
  /** the measurement's flags, comma-separated ('' when none) */
  flags: string;
  raw_key: string;
  fetched_at: Date;
}

export function curatedRows(readings: readonly HourlyReading[]): CuratedRow[] {
  const rows: CuratedRow[] = [];
  const ordered = [...readings].sort((a, b) => a.siteId - b.siteId);
  for (const r of ordered) {
    for (const m of r.measurements) {
      rows.push({
        hour_start: new Date(r.hourStart),
        site_id: r.siteId,
        site_name: r.siteName,
        suburb: r.suburb,
        region: r.region,
        parameter: m.parameter,
        value: m.value,
        unit: m.unit,
        category: m.category ?? null,
        nsw_category: m.nswCategory ?? null,
        flags: m.flags.join(','),
        raw_key: r.source.rawKey,
        fetched_at: new Date(r.source.fetchedAt),
      });
    }
  }
  return rows;
}

const REQUIRED: ReadonlySet<CuratedColumn> = new Set(['hour_start', 'site_id', 'parameter', 'raw_key', 'fetched_at']);

/** Parquet bytes of an hour's rows (an hour with no rows still gets a file with the schema). */
export function encodeCuratedHour(rows: readonly CuratedRow[], metadata: Record<string, string> = {}): Uint8Array {
  const columnData: ColumnSource[] = CURATED_COLUMNS.map((column) => ({
    name: column.name,
    type: column.type,
    nullable: !REQUIRED.has(column.name),
    data: rows.map((row) => row[column.name]),
  }));
  const buffer = parquetWriteBuffer({
    columnData,
    kvMetadata: Object.entries(metadata)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value })),
    createdBy: 'opendata-pulse-etl',
  });
  return new Uint8Array(buffer);
}
