/**
 * ETL pure transform: a generated month of raw hours (100 stations x 8 parameters per hour) through
 * the ETL's own pure code — parseRawObject (envelope schema, content hash, NSW schema), then
 * transformRawHour (UTC hour, units, AQC, flags), then the curated Parquet encoding — against the
 * floor of JSON.parse of the same bytes (the envelope, then the NSW body inside it).
 *
 * Hours are generated one at a time outside the timed regions, so the month never sits in memory;
 * each hour is timed on both paths, in alternating order, after a day of warm-up.
 */

import { curatedRows, encodeCuratedHour } from '@opendata-pulse/etl/curated-parquet';
import { transformRawHour } from '@opendata-pulse/etl/hour-readings';
import { stationDirectory } from '@opendata-pulse/etl/station-directory';
import { parseRawObject } from '@opendata-pulse/shared/raw';
import { HOUR_MS } from '@opendata-pulse/shared/time';
import { type Figure, figure } from '../report';
import { sampleHours, TIME_ZONE } from './sample-hours';

export interface EtlTransformOptions {
  stations: number;
  hours: number;
  /** first hour (UTC ms) of the generated span */
  firstHour: number;
}

export interface EtlTransformResult {
  figures: Figure[];
  observations: number;
  bytes: number;
  notes: string[];
}

export function measureEtlTransform(options: EtlTransformOptions): EtlTransformResult {
  const sample = sampleHours(options.stations);
  const directory = stationDirectory(sample.sites, '2026-01-01T00:00:00.000Z');
  const warmup = Math.min(24, options.hours);
  let floorMs = 0;
  let transformMs = 0;
  let withParquetMs = 0;
  let observations = 0;
  let bytes = 0;
  let kept = 0;

  const floor = (text: string) => {
    const envelope = JSON.parse(text) as { response: { body: string } };
    return (JSON.parse(envelope.response.body) as unknown[]).length;
  };
  const transform = (text: string, hourStart: number) => {
    const { envelope, observations: list } = parseRawObject(text);
    return transformRawHour({
      observations: list,
      hourStart,
      timeZone: TIME_ZONE,
      stations: directory,
      source: { rawKey: 'bench', fetchedAt: envelope.fetchedAt },
    });
  };

  for (let i = -warmup; i < options.hours; i++) {
    const hourStart = options.firstHour + i * HOUR_MS;
    const list = sample.observations(hourStart);
    const text = sample.rawText(hourStart, list);
    const timed = i >= 0;
    const runFloor = () => {
      const t0 = performance.now();
      const n = floor(text);
      if (timed) floorMs += performance.now() - t0;
      return n;
    };
    const runTransform = () => {
      const t0 = performance.now();
      const hour = transform(text, hourStart);
      const t1 = performance.now();
      encodeCuratedHour(curatedRows(hour.readings), { 'raw-key': 'bench', 'hour-start': hour.hourStart });
      const t2 = performance.now();
      if (timed) {
        transformMs += t1 - t0;
        withParquetMs += t2 - t0;
        kept += hour.counts.kept;
      }
      return hour;
    };
    if (i % 2 === 0) {
      runFloor();
      runTransform();
    } else {
      runTransform();
      runFloor();
    }
    if (timed) {
      observations += list.length;
      bytes += Buffer.byteLength(text);
    }
  }

  if (kept === 0) throw new Error('the transform kept no observations: the generated hours are not what it expects');
  const perSecond = (ms: number) => observations / (ms / 1000);
  const floorRate = perSecond(floorMs);
  const floorName = 'JSON.parse of the same bytes (envelope + body)';
  const span = options.hours % 24 ? `${options.hours} h` : `${options.hours / 24} d`;
  return {
    observations,
    bytes,
    figures: [
      figure({
        id: 'etl.transform.obsPerSec',
        section: 'etl',
        name: `transform: parseRawObject + transformRawHour (${span} x ${options.stations} stations)`,
        value: perSecond(transformMs),
        unit: 'obs/s',
        better: 'higher',
        floor: { name: floorName, value: floorRate },
      }),
      figure({
        id: 'etl.transformParquet.obsPerSec',
        section: 'etl',
        name: 'transform + curated Parquet encoding (all pure ETL work)',
        value: perSecond(withParquetMs),
        unit: 'obs/s',
        better: 'higher',
        floor: { name: floorName, value: floorRate },
      }),
    ],
    notes: [
      `ETL transform: ${observations.toLocaleString('en-AU')} observations in ${(bytes / 1024 / 1024).toFixed(0)} MB of raw objects (${span} x ${options.stations} stations x 8 parameters); JSON.parse alone reads them at ${(bytes / 1024 / 1024 / (floorMs / 1000)).toFixed(0)} MB/s.`,
    ],
  };
}
