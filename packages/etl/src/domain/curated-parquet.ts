/**
 * The curated zone's file for one raw hour: one row per station and parameter, as Parquet
 * (hyparquet-writer: pure JavaScript, no native code, ~60 kB in the bundle). The bytes are a
 * function of the hour's readings alone (no write time inside), so a replay writes the same file.
 * The Glue table `nsw_air_quality_hourly` in serverless.yml declares these columns for Athena:
 * CURATED_GLUE_COLUMNS is what it must say, and tests/unit/glue-table.test.ts fails on any drift.
 */
import type { HourlyReading } from '@opendata-pulse/shared/model';
import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';

/** The writer's schema: column name and Parquet basic type, in file order. */
export const CURATED_COLUMNS = [
  { name: 'hour_start', type: 'TIMESTAMP' },
  { name: 'site_id', type: 'INT32' },
  { name: 'site_name', type: 'STRING' },
  { name: 'suburb', type: 'STRING' },
  { name: 'region', type: 'STRING' },
  { name: 'parameter', type: 'STRING' },
  { name: 'value', type: 'DOUBLE' },
  { name: 'unit', type: 'STRING' },
  { name: 'category', type: 'STRING' },
  { name: 'nsw_category', type: 'STRING' },
  { name: 'flags', type: 'STRING' },
  { name: 'raw_key', type: 'STRING' },
  { name: 'fetched_at', type: 'TIMESTAMP' },
] as const satisfies readonly { name: string; type: BasicType }[];

type WrittenType = (typeof CURATED_COLUMNS)[number]['type'];

/**
 * The Glue (Hive) type Athena reads each written Parquet type as: TIMESTAMP is INT64
 * TIMESTAMP_MILLIS, STRING is UTF-8 BYTE_ARRAY. A column of a new type fails to compile until
 * its Glue type is given here.
 */
const GLUE_TYPE_OF: Record<WrittenType, string> = {
  TIMESTAMP: 'timestamp',
  INT32: 'int',
  STRING: 'string',
  DOUBLE: 'double',
};

export interface GlueColumn {
  Name: string;
  Type: string;
}

/** The Glue table's StorageDescriptor.Columns: the writer's columns, in its order, as Glue types. */
export const CURATED_GLUE_COLUMNS: readonly GlueColumn[] = CURATED_COLUMNS.map((column) => ({
  Name: column.name,
  Type: GLUE_TYPE_OF[column.type],
}));

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
