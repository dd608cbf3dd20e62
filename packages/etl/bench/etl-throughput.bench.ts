/**
 * ETL throughput, printed (never asserted):
 *   1. transform, pure: observations/s through transformRawHour (and with parseRawObject first);
 *   2. end to end on the local servers: station-hours/s from raw objects in s3rver through the real
 *      handler (SQS-shaped batches of 10) into dynalite and the curated Parquet lake.
 *
 * Run from the repo root:  npx tsx packages/etl/bench/etl-throughput.bench.ts [--stations 20] [--days 3]
 *   [--parallel 2] [--batch 10]   (--batch 1 --parallel 1 is the live case: one hour per invocation)
 */
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ensureResources, startLocalAws } from '@opendata-pulse/local/aws';
import { generateSampleDataset, syntheticStations } from '@opendata-pulse/local/nsw';
import { buildEventBridgeObjectCreated } from '@opendata-pulse/shared/events';
import { rawObjectKey, referenceObjectKey } from '@opendata-pulse/shared/keys';
import { buildRawEnvelope, buildReferenceEnvelope, parseRawObject } from '@opendata-pulse/shared/raw';
import { HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { transformRawHour } from '../src/domain/hour-readings';
import { stationDirectory } from '../src/domain/station-directory';
import { createEtlHandler } from '../src/handler';

const { values: args } = parseArgs({
  options: {
    stations: { type: 'string', default: '20' },
    days: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '2' },
    batch: { type: 'string', default: '10' },
    'transform-hours': { type: 'string', default: '240' },
  },
});
const STATIONS = Number(args.stations);
const DAYS = Number(args.days);
const PARALLEL = Number(args.parallel);
const BATCH = Number(args.batch);
const TIME_ZONE = 'Australia/Sydney';
const out = (line: string) => process.stdout.write(`${line}\n`);

const sites = syntheticStations(STATIONS);
const dataset = generateSampleDataset({ stations: sites, timeZone: TIME_ZONE });
const FIRST = Date.parse('2026-02-01T00:00:00Z');

function rawText(hourStart: number, observations: unknown[]): string {
  return JSON.stringify(
    buildRawEnvelope({
      hourStart: new Date(hourStart).toISOString(),
      source: { url: 'bench', operation: 'get_Observations', label: 'sample', timeZone: TIME_ZONE },
      request: { method: 'POST', body: null },
      fetchedAt: new Date(hourStart + HOUR_MS + 300_000).toISOString(),
      recordCount: observations.length,
      ingestVersion: 'bench',
      response: { status: 200, contentType: 'application/json', body: JSON.stringify(observations) },
    }),
  );
}

function hourObservations(h: number) {
  const { date, hour } = utcToNswHour(h, TIME_ZONE);
  return dataset.observationsFor(date, hour);
}

// ---------------------------------------------------------------- 1. transform (pure)
{
  const hours = Array.from({ length: Number(args['transform-hours']) }, (_, i) => FIRST + i * HOUR_MS);
  const inputs = hours.map((h) => ({ h, observations: hourObservations(h), text: '' }));
  for (const input of inputs) input.text = rawText(input.h, input.observations);
  const directory = stationDirectory(sites);
  const source = { rawKey: 'bench', fetchedAt: '2026-02-01T00:00:00.000Z' };
  const total = inputs.reduce((n, i) => n + i.observations.length, 0);
  for (const { h, observations } of inputs.slice(0, 20)) {
    transformRawHour({ observations, hourStart: h, timeZone: TIME_ZONE, stations: directory, source });
  }
  let t0 = performance.now();
  for (const { h, observations } of inputs) {
    transformRawHour({ observations, hourStart: h, timeZone: TIME_ZONE, stations: directory, source });
  }
  const transformMs = performance.now() - t0;
  t0 = performance.now();
  for (const { h, text } of inputs) {
    const { observations } = parseRawObject(text);
    transformRawHour({ observations, hourStart: h, timeZone: TIME_ZONE, stations: directory, source });
  }
  const parseMs = performance.now() - t0;
  out(`transform (pure): ${total} observations (${inputs.length} hours x ${STATIONS} stations x 8 parameters)`);
  out(`  transformRawHour:                 ${Math.round(total / (transformMs / 1000))} observations/s`);
  out(`  parseRawObject + transformRawHour: ${Math.round(total / (parseMs / 1000))} observations/s`);
}

// ---------------------------------------------------------------- 2. end to end, local servers
{
  const local = await startLocalAws();
  try {
    const resources = await ensureResources(local, `bench${Date.now().toString(36)}`);
    const { s3 } = local.clients();
    const env = {
      ...local.env(),
      S3_BUCKET: resources.rawBucket,
      CURATED_BUCKET: resources.curatedBucket,
      DYNAMODB_TABLE: resources.table,
      NSW_SOURCE_TIMEZONE: TIME_ZONE,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    // The SDK takes credentials from the default chain (process.env here), as in Lambda.
    Object.assign(process.env, local.env(), { POWERTOOLS_METRICS_DISABLED: 'true' });
    const handler = createEtlHandler({ env: () => env });
    await s3.send(
      new PutObjectCommand({
        Bucket: resources.rawBucket,
        Key: referenceObjectKey('sites'),
        Body: JSON.stringify(
          buildReferenceEnvelope({
            kind: 'sites',
            source: { url: 'bench', operation: 'get_SiteDetails', label: 'sample' },
            fetchedAt: '2026-01-01T00:00:00.000Z',
            recordCount: sites.length,
            ingestVersion: 'bench',
            response: { status: 200, contentType: 'application/json', body: JSON.stringify(sites) },
          }),
        ),
      }),
    );
    const hours = Array.from({ length: DAYS * 24 }, (_, i) => FIRST + i * HOUR_MS);
    for (let i = 0; i < hours.length; i += 24) {
      await Promise.all(
        hours.slice(i, i + 24).map((h) =>
          s3.send(
            new PutObjectCommand({
              Bucket: resources.rawBucket,
              Key: rawObjectKey(h),
              Body: rawText(h, hourObservations(h)),
            }),
          ),
        ),
      );
    }
    const records = hours.map((h, i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body: JSON.stringify(
        buildEventBridgeObjectCreated({
          bucket: resources.rawBucket,
          key: rawObjectKey(h),
          region: local.region,
          account: '000000000000',
        }),
      ),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-southeast-2:000000000000:bench',
      awsRegion: local.region,
    }));
    const batches: SQSEvent[] = [];
    for (let i = 0; i < records.length; i += BATCH) batches.push({ Records: records.slice(i, i + BATCH) });
    const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 } as Context;
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as SQSEvent;
          const response = (await handler(batch, context)) as SQSBatchResponse;
          failures += response.batchItemFailures.length;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const stationHours = hours.length * STATIONS;
    out(
      `end to end (s3rver -> handler -> dynalite + Parquet): ${hours.length} raw hours x ${STATIONS} stations, ` +
        `batches of ${BATCH}, ${PARALLEL} invocation(s) in parallel`,
    );
    out(
      `  ${stationHours} station-hours in ${seconds.toFixed(1)} s = ${Math.round(stationHours / seconds)} station-hours/s`,
    );
    out(
      `  ${(hours.length / seconds).toFixed(1)} raw objects/s (${((seconds * 1000 * PARALLEL) / batches.length).toFixed(0)} ms per invocation), ${failures} failed records`,
    );
    s3.destroy();
  } finally {
    await local.stop();
  }
}
