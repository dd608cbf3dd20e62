/**
 * Gaps: the hours of a range missing in the raw zone, the curated zone or the table, and the fix:
 * backfill what raw lacks (ingest), then reprocess every hour the curated zone or the table lacks
 * (ETL, synchronously, so the re-check right after the fix is meaningful; in AWS the S3 event
 * also reaches the ETL, and replays are idempotent). A backfilled raw object may hold more than
 * its hour (ingest stores the source's whole day), so the table can fill beyond the hours asked.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rawObjectKey } from '@opendata-pulse/shared/keys';
import { HOUR_MS, toHourIso } from '@opendata-pulse/shared/time';
import { listStations, regionsOf, tableHoursPresent } from '../adapters/table-hours';
import { curatedHoursPresent, rawHoursPresent } from '../adapters/zones';
import { LIVE_ALIAS, type OpsTarget } from '../deployment/deployment';
import type { HourRange } from '../domain/hour-range';
import { type BackfillSummary, backfill } from './backfill.use-case';
import type { StartProgress } from './ports';
import { type ReprocessSummary, reprocess } from './reprocess.use-case';

export interface HourPresence {
  hour: string;
  raw: boolean;
  curated: boolean;
  table: boolean;
}

export interface GapReport {
  from: string;
  to: string;
  hours: number;
  missing: { raw: string[]; curated: string[]; table: string[] };
  /** every hour missing somewhere, with where it is present */
  gaps: HourPresence[];
}

export interface GapDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  rawBucket: string;
  curatedBucket: string;
  table: string;
}

export async function findGaps(deps: GapDeps, from: number, to: number, hours: readonly number[]): Promise<GapReport> {
  const [raw, curated, regions] = await Promise.all([
    rawHoursPresent(deps.s3, deps.rawBucket, from, to),
    curatedHoursPresent(deps.s3, deps.curatedBucket, from, to),
    listStations(deps.dynamo, deps.table).then(regionsOf),
  ]);
  const table = await tableHoursPresent(deps.dynamo, deps.table, regions, from, to);
  const gaps: HourPresence[] = [];
  for (const h of hours) {
    const presence = { hour: toHourIso(h), raw: raw.has(h), curated: curated.has(h), table: table.has(h) };
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
    },
    gaps,
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

/** Raw keys to reprocess: those of the plan whose raw object exists (before or after the backfill). */
export function reprocessKeys(plan: FixPlan, rawPresentAfterBackfill: ReadonlySet<number>): string[] {
  return plan.reprocess.filter((h) => rawPresentAfterBackfill.has(h)).map((h) => rawObjectKey(h));
}

export interface GapsDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** used only to fix */
  lambda: LambdaClient;
}

export type GapsTarget = Pick<OpsTarget, 'rawBucket' | 'curatedBucket' | 'table' | 'region' | 'functions'>;

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
  const gapDeps = {
    s3: deps.s3,
    dynamo: deps.dynamo,
    rawBucket: target.rawBucket,
    curatedBucket: target.curatedBucket,
    table: target.table,
  };
  const before = await findGaps(gapDeps, range.from, range.to, range.hours);
  if (!options.fix || before.gaps.length === 0) return { before };

  const plan = planFix(before);
  const bar = (options.progress ?? noProgress)(plan.backfill.length + plan.reprocess.length);
  const backfilled = await backfill(
    {
      lambda: deps.lambda,
      functionName: target.functions.ingest,
      qualifier: LIVE_ALIAS,
      concurrency: options.concurrency,
      onHour: (run) => bar.increment(`backfill ${run.hour} ${run.outcome}`),
    },
    plan.backfill,
  );
  const keys = reprocessKeys(plan, await rawHoursPresent(deps.s3, target.rawBucket, range.from, range.to));
  bar.setTotal(plan.backfill.length + keys.length);
  const reprocessed = await reprocess(
    {
      lambda: deps.lambda,
      functionName: target.functions.etl,
      qualifier: LIVE_ALIAS,
      bucket: target.rawBucket,
      region: target.region,
      concurrency: options.concurrency,
      onKey: (run) => bar.increment(`reprocess ${run.key.split('/').slice(-4).join('/')} ${run.outcome}`),
    },
    keys,
  );
  bar.stop();
  const after = await findGaps(gapDeps, range.from, range.to, range.hours);
  return { before, fix: { plan, backfill: backfilled, reprocess: reprocessed }, after };
}
