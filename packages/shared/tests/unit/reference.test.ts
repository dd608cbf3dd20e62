import { describe, expect, it } from 'vitest';
import {
  buildReferenceEnvelope,
  parseParametersReference,
  parseSitesReference,
  type ReferenceKind,
  sha256Hex,
} from '../../src/raw';
import SAMPLE_STATIONS from '../events/nsw-sites.json' with { type: 'json' };

function envelope(kind: ReferenceKind, body: string) {
  return buildReferenceEnvelope({
    kind,
    source: {
      url: `https://data.airquality.nsw.gov.au/api/Data/${kind === 'sites' ? 'get_SiteDetails' : 'get_ParameterDetails'}`,
      operation: kind === 'sites' ? 'get_SiteDetails' : 'get_ParameterDetails',
      label: 'live',
    },
    fetchedAt: '2026-11-20T14:02:11.000Z',
    recordCount: 13,
    ingestVersion: '@opendata-pulse/ingest@0.1.0',
    response: { status: 200, contentType: 'application/json', body },
  });
}

describe('reference envelope', () => {
  it('round-trips the site list exactly as received, placeholders included', () => {
    // Prepare
    const body = JSON.stringify(SAMPLE_STATIONS);
    // Act
    const env = envelope('sites', body);
    const parsed = parseSitesReference(JSON.stringify(env));
    // Assess
    expect(env.contentSha256).toBe(sha256Hex(body));
    expect(parsed.envelope.response.body).toBe(body);
    expect(parsed.sites.map((s) => s.Site_Id)).toContain(39);
    expect(parsed.sites.find((s) => s.Site_Id === 9001)?.SiteName).toBe('Illawarra');
  });

  it('reads a parameter list sent in the {"Values": [...]} envelope', () => {
    const body = JSON.stringify({ Values: [{ ParameterCode: 'PM2.5', Units: 'µg/m³' }] });
    const parsed = parseParametersReference(JSON.stringify(envelope('parameters', body)));
    expect(parsed.parameters).toEqual([{ ParameterCode: 'PM2.5', Units: 'µg/m³' }]);
  });

  it('says what is wrong with a malformed or mismatched object', () => {
    const sites = JSON.stringify(envelope('sites', JSON.stringify(SAMPLE_STATIONS)));
    expect(() => parseParametersReference(sites)).toThrow(/holds sites, not parameters/);
    expect(() => parseSitesReference('{')).toThrow(/reference sites object is not JSON/);
    expect(() =>
      parseSitesReference(JSON.stringify({ ...envelope('sites', '[]'), contentSha256: sha256Hex('x') })),
    ).toThrow(/does not match its contentSha256/);
    expect(() => parseSitesReference(JSON.stringify(envelope('sites', '[{"Site_Id":"39"}]')))).toThrow(
      /reference sites invalid at \[0\]\.Site_Id/,
    );
  });
});
