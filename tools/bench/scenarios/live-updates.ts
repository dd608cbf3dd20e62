/**
 * Live updates on the local stack: a WebSocket subscriber on the real-time endpoint (AppSync's
 * protocol), then hours PUT into s3rver one at a time, oldest first, so each becomes every
 * region's newest hour. Each sample is the time from the PUT answered (the raw object landed) to
 * the subscriber's first `data` message for that hour: S3 event -> SQS -> the ETL handler (table
 * writes, derived figures, the newest-hour check, the SigV4-signed publishHourUpdate) -> the
 * real-time endpoint -> the client.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RealtimeClient } from '@opendata-pulse/local/appsync';
import { latestHours } from '@opendata-pulse/local/stack';
import { rawObjectKey, referenceObjectKey } from '@opendata-pulse/shared/keys';
import { BENCH_API_KEY, type StackSession } from '../local-stack-session';
import { type Figure, figure } from '../report';
import { median, percentile } from '../stats';
import { sampleHours } from './sample-hours';

export interface LiveUpdatesOptions {
  stations: number;
  hours: number;
  timeoutMs: number;
}

export interface LiveUpdatesResult {
  figures: Figure[];
  notes: string[];
  /** per hour, ms from the PUT answered to the first update received */
  samplesMs: number[];
}

const SUBSCRIBE = `subscription { onHourUpdate { region hourStart stations { siteId name suburb category determiningPollutant } } }`;

export async function measureLiveUpdates(
  session: StackSession,
  options: LiveUpdatesOptions,
): Promise<LiveUpdatesResult> {
  const { stack } = session;
  const realtimeUrl = stack.endpoints.graphql.realtimeUrl;
  if (!realtimeUrl) throw new Error('the stack serves no real-time endpoint (start it with graphql: true)');
  const sample = sampleHours(options.stations);
  const hours = latestHours(options.hours);
  const { s3 } = stack.localAws.clients();
  const raw = stack.resources.rawBucket;
  const client = await RealtimeClient.connect(realtimeUrl, { 'x-api-key': BENCH_API_KEY });
  try {
    await client.init();
    const started = await client.start('bench', { query: SUBSCRIBE }, { 'x-api-key': BENCH_API_KEY });
    if (started.type !== 'start_ack') throw new Error(`subscription refused: ${JSON.stringify(started.payload)}`);
    await s3.send(
      new PutObjectCommand({ Bucket: raw, Key: referenceObjectKey('sites'), Body: sample.sitesReferenceText() }),
    );
    const samplesMs: number[] = [];
    const etlBefore = session.invocations.length;
    for (const hour of hours) {
      const iso = new Date(hour).toISOString();
      const arrived = client.next(
        (m) =>
          m.type === 'data' &&
          (m.payload?.data as { onHourUpdate?: { hourStart?: string } })?.onHourUpdate?.hourStart === iso,
        options.timeoutMs,
      );
      await s3.send(new PutObjectCommand({ Bucket: raw, Key: rawObjectKey(hour), Body: sample.rawText(hour) }));
      const t0 = performance.now();
      await arrived;
      samplesMs.push(performance.now() - t0);
      // The hour's other regions' updates are not samples.
      await stack.waitUntilDrained({ expectKeys: [rawObjectKey(hour)], timeoutMs: options.timeoutMs });
      client.messages.splice(0);
    }
    const p50 = median(samplesMs);
    const etlMs = session.invocations
      .slice(etlBefore)
      .filter((i) => i.key === 'etl')
      .map((i) => i.durationMs);
    return {
      samplesMs,
      figures: [
        figure({
          id: 'api.liveUpdate.p50Ms',
          section: 'api',
          name: `live update: raw object in S3 -> subscriber (median of ${hours.length} hours, ${options.stations} stations, local stack)`,
          value: p50,
          unit: 'ms',
          better: 'lower',
        }),
      ],
      notes: [
        `Live updates: median ${p50.toFixed(0)} ms (p90 ${percentile(samplesMs, 0.9).toFixed(0)} ms, min ${Math.min(...samplesMs).toFixed(0)}, max ${Math.max(...samplesMs).toFixed(0)}) ` +
          `from a raw hour's PUT answered by s3rver to the first onHourUpdate message on a WebSocket subscriber, over ${hours.length} hours of ${options.stations} stations put one at a time, oldest first; ` +
          `the ETL invocation itself (table writes, derived figures, the publish) took a median ${median(etlMs).toFixed(0)} ms of that, the rest is the S3 event and SQS glue.`,
      ],
    };
  } finally {
    client.close();
    s3.destroy();
  }
}
