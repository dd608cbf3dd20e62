/**
 * Gaps: the hours of a range missing in the raw zone, the curated zone or the table, and the fix.
 * Raw presence follows docs/architecture.md, "Raw zone keys": an hour is present when any version of
 * it exists or any version of its NSW local date's day object holds it, and the newest fetch among
 * those speaks for it. The table is checked per station: each station the speaking object holds
 * for an hour must have its reading (one Query per station over the range), so a single missing
 * station-hour is found; an hour with one counts as missing in the table.
 * The fix backfills what raw lacks (ingest, one invocation per local date), then reprocesses the
 * speaking object of every hour the curated zone or the table lacks (ETL, synchronously, so the
 * re-check right after the fix is meaningful; a day object is sent once for all its hours; in AWS
 * the S3 event also reaches the ETL, and replays are idempotent).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { planBackfillDays } from '@opendata-pulse/shared/raw';
import { HOUR_MS, toHourIso } from '@opendata-pulse/shared/time';
import { sourceTimeZone } from '../adapters/source-time-zone';
import { listStations, regionsOf, stationReadingHours, tableHoursPresent } from '../adapters/table-hours';
import { curatedHoursPresent } from '../adapters/zones';
import { LIVE_ALIAS, type OpsTarget } from '../deployment/deployment';
import type { HourRange } from '../domain/hour-range';
import { type BackfillSummary, backfill } from './backfill.use-case';
import type { StartProgress } from './ports';
import { rawSpeakers, rawStations, type UnreadableRaw } from './raw-presence';
import { type ReprocessSummary, reprocess, shortKey } from './reprocess.use-case';

export interface HourPresence {
  hour: string;
  raw: boolean;
  curated: boolean;
  table: boolean;
  /** stations the raw object holds for the hour that have no reading in the table */
  missingStations?: number[];
}

export interface StationHour {
  hour: string;
  siteId: number;
}

export interface GapReport {
  from: string;
  to: string;
  hours: number;
  missing: { raw: string[]; curated: string[]; table: string[]; stationHours: StationHour[] };
  /** every hour missing somewhere, with where it is present */
  gaps: HourPresence[];
  /** raw objects that could not be read (their hours are checked by region summaries only) */
  unreadableRaw?: UnreadableRaw[];
}

export interface GapDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  rawBucket: string;
  curatedBucket: string;
  table: string;
  /** NSW_SOURCE_TIMEZONE */
  timeZone: string;
  /** raw objects read at once */
  concurrency?: number;
}

export async function findGaps(deps: GapDeps, from: number, to: number, hours: readonly number[]): Promise<GapReport> {
  const rawDeps = {
    s3: deps.s3,
    bucket: deps.rawBucket,
    timeZone: deps.timeZone,
    ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
  };
  const [found, curated, regions] = await Promise.all([
    rawSpeakers(rawDeps, hours),
    curatedHoursPresent(deps.s3, deps.curatedBucket, from, to),
    listStations(deps.dynamo, deps.table).then(regionsOf),
  ]);
  const { stations, unreadable } = await rawStations(rawDeps, found);
  const siteIds = [...new Set([...stations.values()].flat())].sort((a, b) => a - b);
  const first = hours[0] ?? from;
  const [table, readings] = await Promise.all([
    tableHoursPresent(deps.dynamo, deps.table, regions, first, to),
    stationReadingHours(deps.dynamo, deps.table, siteIds, first, to),
  ]);
  const gaps: HourPresence[] = [];
  const stationHours: StationHour[] = [];
  for (const h of hours) {
    const missingStations = (stations.get(h) ?? []).filter((siteId) => !readings.get(siteId)?.has(h));
    for (const siteId of missingStations) stationHours.push({ hour: toHourIso(h), siteId });
    const presence: HourPresence = {
      hour: toHourIso(h),
      raw: found.speakers.has(h),
      curated: curated.has(h),
      table: table.has(h) && missingStations.length === 0,
      ...(missingStations.length ? { missingStations } : {}),
    };
    if (!presence.raw || !presence.curated || !presence.table) gaps.push(presence);
  }
  return {
    // the whole hours examined (a --from inside an hour starts at the next one)
    from: toHourIso(hours[0] ?? from),
    to: toHourIso((hours.at(-1) ?? to - HOUR_MS) + HOUR_MS),
    hours: hours.length,
    missing: {
      raw: gaps.filter((g) => !g.raw).map((g) => g.hour),
      curated: gaps.filter((g) => !g.curated).map((g) => g.hour),
      table: gaps.filter((g) => !g.table).map((g) => g.hour),
      stationHours,
    },
    gaps,
    ...(unreadable.length ? { unreadableRaw: unreadable } : {}),
  };
}

export interface FixPlan {
  /** hours to ingest (raw missing) */
  backfill: number[];
  /** hours whose raw object to send to the ETL (curated or table missing) */
  reprocess: number[];
}

export function planFix(report: GapReport): FixPlan {
  return {
    backfill: report.gaps.filter((g) => !g.raw).map((g) => Date.parse(g.hour)),
    reprocess: report.gaps.filter((g) => !g.curated || !g.table).map((g) => Date.parse(g.hour)),
  };
}

/**
 * Raw keys to reprocess: the speaking object (after the backfill) of each hour of the plan that
 * has one, each key once and in the order of its first hour (a day object speaks for many hours).
 */
export function reprocessKeys(plan: FixPlan, speakersAfterBackfill: ReadonlyMap<number, string>): string[] {
  const keys = new Set<string>();
  for (const hour of plan.reprocess) {
    const key = speakersAfterBackfill.get(hour);
    if (key !== undefined) keys.add(key);
  }
  return [...keys];
}

export interface GapsDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** used only to fix */
  lambda: LambdaClient;
}

export type GapsTarget = Pick<
  OpsTarget,
  'rawBucket' | 'curatedBucket' | 'table' | 'region' | 'functions' | 'sourceTimeZone'
>;

export interface GapsOptions {
  fix: boolean;
  /** invocations in flight at once */
  concurrency: number;
  progress?: StartProgress;
}

export interface GapsOutcome {
  before: GapReport;
  /** present when gaps were fixed */
  fix?: { plan: FixPlan; backfill: BackfillSummary; reprocess: ReprocessSummary };
  after?: GapReport;
}

const noProgress: StartProgress = () => ({ increment() {}, setTotal() {}, update() {}, stop() {} });

/** Find the gaps of the range and, with `fix`, fill them (backfill raw, reprocess the rest) and look again. */
export async function checkGaps(
  deps: GapsDeps,
  target: GapsTarget,
  range: HourRange,
  options: GapsOptions,
): Promise<GapsOutcome> {
  const gapDeps: GapDeps = {
    s3: deps.s3,
    dynamo: deps.dynamo,
    rawBucket: target.rawBucket,
    curatedBucket: target.curatedBucket,
    table: target.table,
    timeZone: await sourceTimeZone(deps.lambda, target),
    concurrency: options.concurrency,
  };
  const before = await findGaps(gapDeps, range.from, range.to, range.hours);
  if (!options.fix || before.gaps.length === 0) return { before };

  const plan = planFix(before);
  const bar = (options.progress ?? noProgress)(
    planBackfillDays(plan.backfill, gapDeps.timeZone).length + plan.reprocess.length,
  );
  const backfilled = await backfill(
    {
      lambda: deps.lambda,
      functionName: target.functions.ingest,
      qualifier: LIVE_ALIAS,
      timeZone: gapDeps.timeZone,
      concurrency: options.concurrency,
      onDay: (run) => bar.increment(`backfill ${run.date} ${run.outcome}`),
    },
    plan.backfill,
  );
  const after = await rawSpeakers(
    { s3: deps.s3, bucket: target.rawBucket, timeZone: gapDeps.timeZone },
    plan.reprocess,
  );
  const keys = reprocessKeys(plan, after.speakers);
  bar.setTotal(backfilled.days.length + keys.length);
  const reprocessed = await reprocess(
    {
      lambda: deps.lambda,
      functionName: target.functions.etl,
      qualifier: LIVE_ALIAS,
      bucket: target.rawBucket,
      region: target.region,
      concurrency: options.concurrency,
      onKey: (run) => bar.increment(`reprocess ${shortKey(run.key)} ${run.outcome}`),
    },
    keys,
  );
  bar.stop();
  const recheck = await findGaps(gapDeps, range.from, range.to, range.hours);
  return { before, fix: { plan, backfill: backfilled, reprocess: reprocessed }, after: recheck };
}
