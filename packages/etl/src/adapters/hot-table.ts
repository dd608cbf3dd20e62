/**
 * The hot-aggregates table as the ETL writes it. Keys and item shapes come from shared/keys (the
 * only place that spells them); the write rules are in one module per kind of item:
 * - hourly readings: a reading is replaced only by a newer-or-equal fetch: in BatchWrites guarded by
 *   the hour's fetches (hot-table-fetches) while the worker holds the hour's newest fetch, else one
 *   conditional update each (hot-table-readings);
 * - derived figures (rolling averages and the hour's category, latest, daily, region hour) are
 *   written conditionally on DERIVED_VERSION_ATTRIBUTE (hot-table-readings, hot-table-summaries),
 *   so a recomputation from a staler view of the stored hours never replaces one from a fresher view;
 * - station items (hot-table-stations), which carry no history, go in unconditional BatchWrites.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HotTable } from '../use-cases/ports';
import { createFetchItems } from './hot-table-fetches';
import type { HotTableOptions } from './hot-table-options';
import { createReadingItems } from './hot-table-readings';
import { createStationItems } from './hot-table-stations';
import { createSummaryItems } from './hot-table-summaries';

export type { HotTableOptions };

export function createHotTable(db: DynamoDBDocumentClient, tableName: string, options: HotTableOptions = {}): HotTable {
  return {
    tableName,
    ...createReadingItems(db, tableName, options),
    ...createFetchItems(db, tableName, options),
    ...createSummaryItems(db, tableName),
    ...createStationItems(db, tableName, options),
  };
}
