/**
 * What the ingest use cases need from the outside world. The adapters implement these against
 * the NSW API, S3 and the system clock; tests can hand the use cases their own.
 */
import type {
  NSW_OPERATIONS,
  NswObservation,
  NswObservationQuery,
  NswParameter,
  NswSite,
} from '@opendata-pulse/shared/nsw';
import type { Logger, Metrics } from '@opendata-pulse/shared/observability';
import type { RawDayEnvelope, RawEnvelope, ReferenceEnvelope } from '@opendata-pulse/shared/raw';

/**
 * Time as a dependency: the retry loop sleeps and reads the clock through this, so tests can run
 * a whole backoff schedule instantly and assert the delays it chose.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type NswOperation = (typeof NSW_OPERATIONS)[keyof typeof NSW_OPERATIONS];

export interface NswRequest {
  method: 'GET' | 'POST';
  /** the JSON body sent; null for none (GET, and the POST that asks for the current snapshot) */
  body: NswObservationQuery | null;
}

export interface NswResponse<T> {
  operation: NswOperation;
  url: string;
  request: NswRequest;
  status: number;
  contentType: string | null;
  /** the body exactly as received */
  bodyText: string;
  /** the body parsed and validated */
  data: T;
  /** when the successful response arrived (ISO) */
  fetchedAt: string;
  /** duration of the successful attempt, ms */
  latencyMs: number;
  attempts: number;
}

/**
 * The NSW Air Quality API (docs/nsw-api.md, "Endpoints"). A call returns a body that validated,
 * with the exact text received, or throws an UpstreamError saying what went wrong.
 */
export interface NswClient {
  readonly endpoint: string;
  getSites(): Promise<NswResponse<NswSite[]>>;
  getParameters(): Promise<NswResponse<NswParameter[]>>;
  /** `'snapshot'` posts an empty body: the latest hour NSW has published, for every site */
  getObservations(request: 'snapshot' | NswObservationQuery): Promise<NswResponse<NswObservation[]>>;
}

export interface StoredObjectInfo {
  /** the stored body's hash: from metadata, or from the envelope when the metadata lacks it */
  contentSha256: string | undefined;
  /** from metadata; undefined for objects written without it */
  fetchedAt: string | undefined;
  lastModified: Date | undefined;
  /** day objects, from metadata: ISO UTC starts of the first and last hour with observations */
  firstHour?: string;
  lastHour?: string;
}

/** One stored version of an hour or a day (docs/architecture.md, "Raw zone keys"). */
export interface StoredVersion extends StoredObjectInfo {
  key: string;
}

/** What goes into the raw zone: an hour's object, or a local day's with the UTC hours it spans. */
export type RawObject =
  | { kind: 'hour'; envelope: RawEnvelope }
  | {
      kind: 'day';
      envelope: RawDayEnvelope;
      /** ISO UTC starts of the earliest and latest hour with observations */
      firstHour: string;
      lastHour: string;
    };

/**
 * The raw bucket as the ingest sees it (docs/architecture.md, "Raw zone keys"). Whether a key
 * exists is always learnt from a listing, never from a HEAD of a missing key: the function may list
 * only the raw and reference prefixes, and S3 answers 403, not 404, for a missing key then.
 */
export interface RawStore {
  readonly bucket: string;
  /** throws an UpstreamError naming the bucket when it is missing or out of reach */
  checkBucket(): Promise<void>;
  /** undefined when no object is stored under the key */
  describe(key: string): Promise<StoredObjectInfo | undefined>;
  /**
   * The newest of the versions listed under a versions prefix (`rawHourVersionsPrefix`,
   * `rawDayVersionsPrefix`): the last key in the listing, i.e. the latest fetch; revisions
   * fetched within the same second are told apart by their `fetched-at` metadata. Undefined
   * when nothing is stored under the prefix.
   */
  newestVersion(prefix: string): Promise<StoredVersion | undefined>;
  /** the stored text of a key known to exist (listed) */
  read(key: string): Promise<string>;
  putRaw(key: string, object: RawObject): Promise<void>;
  putReference(key: string, envelope: ReferenceEnvelope): Promise<void>;
}

/** What the ingest use cases work with; the composition builds it once per invocation. */
export interface IngestDeps {
  nsw: NswClient;
  store: RawStore;
  source: {
    /** recorded in every envelope: live NSW, the bundled sample, or another endpoint */
    label: 'live' | 'sample' | 'custom';
    /** NSW_SOURCE_TIMEZONE: the zone the source's Date/Hour labels are read in */
    timeZone: string;
  };
  /** how many hours before the snapshot's a scheduled run checks for, and fills when missing */
  catchUpHours: number;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}
