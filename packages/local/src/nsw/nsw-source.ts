/**
 * Which NSW Air Quality API the local ingest talks to: `--source live|sample|URL`; by default
 * NSW_API_ENDPOINT if set, else the real API if it answers within a few seconds, else the bundled
 * sample dataset served over HTTP in the real API's shape (labelled `sample` in every envelope).
 */
import { DEFAULT_NSW_API_ENDPOINT } from '@opendata-pulse/shared/config';
import { type FakeNsw, startFakeNsw } from './fake-nsw';

export type NswSourceLabel = 'live' | 'sample' | 'custom';

export interface NswSource {
  endpoint: string;
  label: NswSourceLabel;
  /** why this source, for the banner */
  reason: string;
  /** the sample server when this source is the bundled dataset */
  sample?: FakeNsw;
  close(): Promise<void>;
}

export interface ChooseSourceOptions {
  /** `auto` (default), `live`, `sample`, or an http(s) URL of an API in NSW's shape */
  choice: string;
  /** NSW_API_ENDPOINT from the environment, used by `auto` */
  envEndpoint?: string | undefined;
  timeZone: string;
  host: string;
  probeTimeoutMs: number;
  /** reachability check of the real API (replaceable in tests) */
  probe?: (endpoint: string, timeoutMs: number) => Promise<true | string>;
}

export class SourceChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceChoiceError';
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function external(endpoint: string, reason: string): NswSource {
  const trimmed = endpoint.replace(/\/+$/, '');
  const label: NswSourceLabel = trimmed === DEFAULT_NSW_API_ENDPOINT ? 'live' : 'custom';
  return { endpoint: trimmed, label, reason, close: async () => {} };
}

async function sample(options: ChooseSourceOptions, reason: string): Promise<NswSource> {
  const fake = await startFakeNsw({ timeZone: options.timeZone, host: options.host });
  return { endpoint: fake.endpoint, label: 'sample', reason, sample: fake, close: () => fake.close() };
}

/** true when the API answers get_SiteDetails with a non-empty array in time; else why not. */
export async function probeNswApi(endpoint: string, timeoutMs: number): Promise<true | string> {
  try {
    const res = await fetch(`${endpoint}/get_SiteDetails`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return `it answered HTTP ${res.status}`;
    const body = (await res.json()) as unknown;
    return Array.isArray(body) && body.length > 0 ? true : 'it answered something other than a list of sites';
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return `no answer within ${(timeoutMs / 1000).toFixed(0)}s`;
    return e.cause?.code ?? e.message;
  }
}

export async function chooseNswSource(options: ChooseSourceOptions): Promise<NswSource> {
  const choice = options.choice.trim();
  if (choice === 'sample') return sample(options, 'bundled sample dataset (--source sample)');
  if (choice === 'live') return external(DEFAULT_NSW_API_ENDPOINT, 'real NSW API (--source live)');
  if (isHttpUrl(choice)) return external(choice, 'from --source');
  if (choice !== 'auto' && choice !== '') {
    throw new SourceChoiceError(
      `--source must be live, sample or an http(s) URL of an API in the NSW shape; got '${choice}'`,
    );
  }

  if (options.envEndpoint) {
    if (!isHttpUrl(options.envEndpoint)) {
      throw new SourceChoiceError(`NSW_API_ENDPOINT must be an http(s) URL; got '${options.envEndpoint}'`);
    }
    return external(options.envEndpoint, 'from NSW_API_ENDPOINT');
  }
  const probe = options.probe ?? probeNswApi;
  const reachable = await probe(DEFAULT_NSW_API_ENDPOINT, options.probeTimeoutMs);
  if (reachable === true) return external(DEFAULT_NSW_API_ENDPOINT, 'real NSW API (reachable)');
  return sample(options, `bundled sample dataset: the real NSW API is out of reach (${reachable})`);
}
