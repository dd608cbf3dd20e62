/**
 * Realistic NSW hours for the scenarios: the shared sample dataset (plausible daily cycles, a few
 * negative and missing values) for `syntheticStations(n)`, wrapped in the raw envelope exactly as
 * ingest stores it.
 */
import { generateSampleDataset, syntheticStations } from '@opendata-pulse/local/nsw';
import type { NswObservation, NswSite } from '@opendata-pulse/shared/nsw';
import { buildRawEnvelope, buildReferenceEnvelope } from '@opendata-pulse/shared/raw';
import { HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';

export const TIME_ZONE = 'Australia/Sydney';
const INGEST_VERSION = 'bench';

export interface SampleHours {
  sites: NswSite[];
  observations(hourStart: number): NswObservation[];
  /** the raw object ingest would store for the hour (fetched five minutes after it ended) */
  rawText(hourStart: number, observations?: NswObservation[]): string;
  /** the sites reference object ingest stores beside the hours */
  sitesReferenceText(): string;
}

export function sampleHours(stations: number): SampleHours {
  const sites = syntheticStations(stations);
  const dataset = generateSampleDataset({ stations: sites, timeZone: TIME_ZONE });
  const observations = (hourStart: number) => {
    const { date, hour } = utcToNswHour(hourStart, TIME_ZONE);
    return dataset.observationsFor(date, hour);
  };
  return {
    sites,
    observations,
    rawText(hourStart, given) {
      const list = given ?? observations(hourStart);
      return JSON.stringify(
        buildRawEnvelope({
          hourStart: new Date(hourStart).toISOString(),
          source: { url: 'bench', operation: 'get_Observations', label: 'sample', timeZone: TIME_ZONE },
          request: { method: 'POST', body: null },
          fetchedAt: new Date(hourStart + HOUR_MS + 300_000).toISOString(),
          recordCount: list.length,
          ingestVersion: INGEST_VERSION,
          response: { status: 200, contentType: 'application/json', body: JSON.stringify(list) },
        }),
      );
    },
    sitesReferenceText() {
      return JSON.stringify(
        buildReferenceEnvelope({
          kind: 'sites',
          source: { url: 'bench', operation: 'get_SiteDetails', label: 'sample' },
          fetchedAt: '2026-01-01T00:00:00.000Z',
          recordCount: sites.length,
          ingestVersion: INGEST_VERSION,
          response: { status: 200, contentType: 'application/json', body: JSON.stringify(sites) },
        }),
      );
    },
  };
}
