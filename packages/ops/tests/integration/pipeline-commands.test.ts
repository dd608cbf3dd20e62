/**
 * test-ingest, backfill, reprocess and gaps --fix against the local servers, with the real ingest
 * and ETL handlers behind a Lambda Invoke endpoint and a fake NSW server upstream.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type FakeNsw, startFakeNsw } from '@opendata-pulse/local/nsw';
import { RAW_PREFIX, rawDayKey } from '@opendata-pulse/shared/keys';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BackfillSummary } from '../../src/use-cases/backfill.use-case';
import type { GapReport } from '../../src/use-cases/gaps.use-case';
import type { ReprocessSummary } from '../../src/use-cases/reprocess.use-case';
import { runPulse } from '../support/run-pulse';
import { startTestStack, type TestStack } from '../support/test-stack';

const local = inject('localAws');

async function rawKeys(stack: TestStack): Promise<string[]> {
  const page = await stack.clients.s3.send(
    new ListObjectsV2Command({ Bucket: stack.resources.rawBucket, Prefix: RAW_PREFIX }),
  );
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('pipeline commands against the local stack', () => {
  let nsw: FakeNsw;
  let stack: TestStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    nsw = await startFakeNsw();
    stack = await startTestStack(local, { nswEndpoint: nsw.endpoint });
    env = { PULSE_DATA_DIR: stack.dataDir };
  });
  afterAll(async () => {
    await stack.stop();
    await nsw.close();
  });

  it('test-ingest reaches NSW through the ingest function and writes nothing', async () => {
    // Act
    const run = await runPulse(['test-ingest', '--local', '--json'], { env });

    // Assess
    const out = run.json<{ ok: boolean; result: { reachable: boolean; recordCount: number; wouldWriteKey: string } }>();
    expect(run.code).toBe(0);
    expect(out.ok).toBe(true);
    expect(out.result.reachable).toBe(true);
    expect(out.result.recordCount).toBeGreaterThan(0);
    expect(out.result.wouldWriteKey).toMatch(/^nsw-air-quality\/raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\.json$/);
    expect(await rawKeys(stack)).toEqual([]);
  });

  it('backfill invokes ingest once per NSW local date, stores the day once, and a re-run leaves it unchanged', async () => {
    // Prepare
    const args = ['backfill', '--local', '--from', '2025-06-01T00:00:00Z', '--to', '2025-06-01T03:00:00Z', '--json'];

    // Act
    const first = await runPulse(args, { env });
    const second = await runPulse(args, { env });

    // Assess
    // (00:00-02:00Z on 1 June is 10:00-12:00 on Sydney's 2025-06-01, AEST)
    const a = first.json<BackfillSummary>();
    expect(first.code).toBe(0);
    expect(a.counts).toEqual({ written: 3, unchanged: 0, skipped: 0, failed: 0 });
    expect(a.days.map((d) => [d.date, d.hour, d.outcome, d.key])).toEqual([
      ['2025-06-01', '2025-06-01T02:00:00Z', 'written', rawDayKey('2025-06-01')],
    ]);
    expect(a.hours.map((h) => h.key)).toEqual([
      rawDayKey('2025-06-01'),
      rawDayKey('2025-06-01'),
      rawDayKey('2025-06-01'),
    ]);
    expect(await rawKeys(stack)).toEqual([rawDayKey('2025-06-01')]);
    expect(second.json<BackfillSummary>().counts).toEqual({ written: 0, unchanged: 3, skipped: 0, failed: 0 });
  });

  it('backfill reports a failing hour, exits 1 and says how to re-run', async () => {
    // Prepare: every NSW attempt for the one hour fails
    nsw.inject({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });

    // Act
    const run = await runPulse(
      ['backfill', '--local', '--from', '2025-06-02T05:00:00Z', '--to', '2025-06-02T06:00:00Z', '--concurrency', '1'],
      { env },
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('0 written, 0 unchanged, 0 skipped, 1 failed');
    expect(run.stdout).toMatch(/2025-06-02T05:00:00Z +failed +Upstream/);
    expect(run.stdout).toContain('re-run: pulse backfill --from 2025-06-02T05:00:00Z');
  });

  it('gaps finds hours missing in curated and the table, and --fix backfills and reprocesses them', async () => {
    // Prepare: hours 00-02 are in raw (backfilled above, never processed); hour 03 is nowhere
    const range = ['--from', '2025-06-01T00:00:00Z', '--to', '2025-06-01T04:00:00Z'];

    // Act
    const found = await runPulse(['gaps', '--local', ...range, '--json'], { env });
    const fixed = await runPulse(['gaps', '--local', ...range, '--fix', '--json'], { env });

    // Assess
    const before = found.json<{ before: GapReport }>().before;
    expect(found.code).toBe(1);
    // the day object stored above holds every hour of Sydney's 2025-06-01, 03:00Z included
    expect(before.missing.raw).toEqual([]);
    expect(before.missing.curated).toHaveLength(4);
    expect(before.missing.table).toHaveLength(4);
    const fix = fixed.json<{
      fix: { backfill: BackfillSummary; reprocess: ReprocessSummary };
      after: GapReport;
    }>();
    expect(fix.fix.backfill.hours).toEqual([]);
    // one day object speaks for all four hours: sent to the ETL once
    expect(fix.fix.reprocess.objects.map((o) => o.key)).toEqual([rawDayKey('2025-06-01')]);
    expect(fix.fix.reprocess.counts).toEqual({ processed: 1, skipped: 0, failed: 0 });
    expect(fix.after.gaps).toEqual([]);
    expect(fixed.code).toBe(0);
  });

  it('reprocess --date sends every raw object of the date (day objects included) to the ETL again, idempotently', async () => {
    // Act
    const run = await runPulse(['reprocess', '--local', '--date', '2025-06-01', '--json'], { env });
    const gaps = await runPulse(
      ['gaps', '--local', '--from', '2025-06-01T00:00:00Z', '--to', '2025-06-01T04:00:00Z', '--json'],
      { env },
    );

    // Assess
    const summary = run.json<ReprocessSummary>();
    expect(run.code).toBe(0);
    // UTC 1 June touches Sydney's 1 and 2 June; only 1 June (and 2 June's failed hour: nothing) was stored
    expect(summary.objects.map((o) => o.key)).toEqual([rawDayKey('2025-06-01')]);
    expect(summary.counts.failed).toBe(0);
    expect(summary.objects.every((o) => o.outcome === 'processed' || o.outcome === 'skipped')).toBe(true);
    expect(gaps.code).toBe(0);
  });

  it('reprocess rejects a key outside the raw layout without invoking anything', async () => {
    // Act
    const run = await runPulse(['reprocess', '--local', '--key', 'nsw-air-quality/curated/x.parquet'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a raw object key');
  });
});
