/**
 * Reading the hot-aggregates table for operations, with Query only (never Scan): the regions
 * (from the stations partition), which hours hold region summaries, and which hours each station
 * has a reading for.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@opendata-pulse/shared/keys';
import { floorToHour, HOUR_MS, parseHourStart } from '@opendata-pulse/shared/time';

export interface StationRef {
  siteId: number;
  region: string;
  suburb?: string;
  name?: string;
}

async function queryAll(
  dynamo: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every station item (one Query on the stations partition). */
export async function listStations(dynamo: DynamoDBDocumentClient, table: string): Promise<StationRef[]> {
  const items = await queryAll(dynamo, {
    TableName: table,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.stationsPartition },
    ProjectionExpression: 'siteId, #region, suburb, #name',
    ExpressionAttributeNames: { '#region': 'region', '#name': 'name' },
  });
  return items
    .filter((i) => typeof i.siteId === 'number' && typeof i.region === 'string')
    .map((i) => ({
      siteId: i.siteId as number,
      region: i.region as string,
      ...(typeof i.suburb === 'string' ? { suburb: i.suburb } : {}),
      ...(typeof i.name === 'string' ? { name: i.name } : {}),
    }));
}

export function regionsOf(stations: StationRef[]): string[] {
  return [...new Set(stations.map((s) => s.region))].sort();
}

/** The item's `hourStart` attribute (region summaries carry it), as epoch ms. */
function hourOf(item: Record<string, unknown> | undefined): number | undefined {
  if (typeof item?.hourStart !== 'string') return undefined;
  try {
    return parseHourStart(item.hourStart);
  } catch {
    return undefined;
  }
}

/** Every hour sort key sorts after this one (the key builders spell it). */
const FIRST_HOUR_SK = keys.hourSk(0);

/**
 * The newest hour, not after `now`, that any region has a summary for (one Query per region,
 * newest first, limit 1). Hours after `now` are not data anyone measured and are not counted.
 */
export async function newestTableHour(
  dynamo: DynamoDBDocumentClient,
  table: string,
  regions: string[],
  now: number,
): Promise<number | undefined> {
  const lastHourSk = keys.hourSk(floorToHour(now));
  let newest: number | undefined;
  for (const region of regions) {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
        ExpressionAttributeValues: { ':pk': keys.region(region), ':first': FIRST_HOUR_SK, ':last': lastHourSk },
        ScanIndexForward: false,
        Limit: 1,
        ProjectionExpression: 'hourStart',
      }),
    );
    const hour = hourOf(page.Items?.[0]);
    if (hour !== undefined && (newest === undefined || hour > newest)) newest = hour;
  }
  return newest;
}

/** Hours in [from, to) for which at least one region has a summary in the table. */
export async function tableHoursPresent(
  dynamo: DynamoDBDocumentClient,
  table: string,
  regions: string[],
  from: number,
  to: number,
): Promise<Set<number>> {
  const present = new Set<number>();
  if (to <= from) return present;
  for (const region of regions) {
    const items = await queryAll(dynamo, {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.region(region),
        ':from': keys.hourSk(from),
        ':to': keys.hourSk(to - HOUR_MS),
      },
      ProjectionExpression: 'hourStart',
    });
    for (const item of items) {
      const hour = hourOf(item);
      if (hour !== undefined) present.add(hour);
    }
  }
  return present;
}

/**
 * The hours in [from, to) each station has a reading for: one Query per station on its partition,
 * between the first and last hour sort keys (never the LATEST or DAY# items beside them).
 */
export async function stationReadingHours(
  dynamo: DynamoDBDocumentClient,
  table: string,
  siteIds: readonly number[],
  from: number,
  to: number,
): Promise<Map<number, Set<number>>> {
  const present = new Map<number, Set<number>>();
  if (to <= from) return present;
  for (const siteId of siteIds) {
    const first = keys.reading(siteId, from);
    const last = keys.reading(siteId, to - HOUR_MS);
    const items = await queryAll(dynamo, {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': first.PK, ':from': first.SK, ':to': last.SK },
      ProjectionExpression: 'hourStart',
    });
    const hours = new Set<number>();
    for (const item of items) {
      const hour = hourOf(item);
      if (hour !== undefined) hours.add(hour);
    }
    present.set(siteId, hours);
  }
  return present;
}
