/**
 * The dashboard's settings, read at run time from `/config.json` (written by the deploy in AWS,
 * served by the local stack locally): where the API is, its real-time endpoint and the public key.
 */
export type DataSource = 'sample' | 'live' | 'custom';

export interface DashboardConfig {
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
  source?: DataSource;
  tiles?: { url: string; attribution: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SOURCES: readonly DataSource[] = ['sample', 'live', 'custom'];

function url(value: unknown, field: string, protocols: readonly string[]): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`config.json: ${field} is missing`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`config.json: ${field} is not a URL: '${value}'`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`config.json: ${field} must be ${protocols.join(' or ')}, got '${parsed.protocol}'`);
  }
  return value;
}

/** Checks what /config.json holds; a bad value is a ConfigError naming the field. */
export function parseConfig(value: unknown): DashboardConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('config.json must hold a JSON object');
  }
  const v = value as Record<string, unknown>;
  const config: DashboardConfig = {
    graphqlUrl: url(v.graphqlUrl, 'graphqlUrl', ['http:', 'https:']),
    realtimeUrl: url(v.realtimeUrl, 'realtimeUrl', ['ws:', 'wss:']),
    apiKey: typeof v.apiKey === 'string' && v.apiKey.trim() !== '' ? v.apiKey : '',
  };
  if (!config.apiKey) throw new ConfigError('config.json: apiKey is missing');
  if (v.source !== undefined) {
    if (!SOURCES.includes(v.source as DataSource)) {
      throw new ConfigError(`config.json: source must be one of ${SOURCES.join(', ')}, got '${String(v.source)}'`);
    }
    config.source = v.source as DataSource;
  }
  if (v.tiles !== undefined && v.tiles !== null) {
    const t = v.tiles as Record<string, unknown>;
    if (typeof t.url !== 'string' || !t.url.includes('{z}')) {
      throw new ConfigError('config.json: tiles.url must be a tile URL template with {z}, {x} and {y}');
    }
    if (typeof t.attribution !== 'string' || t.attribution.trim() === '') {
      throw new ConfigError('config.json: tiles.attribution is missing (online tiles need their attribution)');
    }
    config.tiles = { url: t.url, attribution: t.attribution };
  }
  return config;
}

export async function loadConfig(path = '/config.json'): Promise<DashboardConfig> {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`${path} answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ConfigError(`${path} is not JSON`);
  }
  return parseConfig(body);
}
