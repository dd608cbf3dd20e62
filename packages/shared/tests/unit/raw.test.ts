import { describe, expect, it } from 'vitest';
import { buildRawDayEnvelope, buildRawEnvelope, parseRawObject, sha256Hex } from '../../src/raw';
import site39 from '../events/nsw-observations-site39.json' with { type: 'json' };

function envelope(body: string) {
  return buildRawEnvelope({
    hourStart: '2015-05-31T14:00:00.000Z',
    source: {
      url: 'https://data.airquality.nsw.gov.au/api/Data/get_Observations',
      operation: 'get_Observations',
      label: 'live',
      timeZone: 'Australia/Sydney',
    },
    request: { method: 'POST', body: null },
    fetchedAt: '2015-05-31T15:02:11.000Z',
    recordCount: 11,
    ingestVersion: '0.1.0',
    response: { status: 200, contentType: 'application/json', body },
  });
}

describe('raw envelope', () => {
  it('keeps the body exactly as received and round-trips', () => {
    const body = JSON.stringify(site39).replace('8.034', '8.0340'); // a number form JSON.parse would not keep
    const env = envelope(body);
    expect(env.contentSha256).toBe(sha256Hex(body));
    const parsed = parseRawObject(JSON.stringify(env));
    expect(parsed.envelope.response.body).toBe(body);
    expect(parsed.observations).toHaveLength(11);
  });

  it('reads a local day object with the day schema, and never as an hour', () => {
    // Prepare
    const { hourStart: _hour, envelopeVersion: _v, contentSha256: _sha, ...fields } = envelope(JSON.stringify(site39));
    const day = buildRawDayEnvelope({ ...fields, localDate: '2015-06-01' });

    // Act
    const parsed = parseRawObject(JSON.stringify(day), 'day');

    // Assert
    expect(parsed.envelope.localDate).toBe('2015-06-01');
    expect(parsed.observations).toHaveLength(11);
    expect(() => parseRawObject(JSON.stringify(day))).toThrow(/raw hour envelope invalid at hourStart/);
    expect(() => parseRawObject(JSON.stringify(envelope('[]')), 'day')).toThrow(
      /raw day envelope invalid at localDate/,
    );
  });

  it('rejects a body that does not match its hash', () => {
    const env = { ...envelope(JSON.stringify(site39)), contentSha256: sha256Hex('other') };
    expect(() => parseRawObject(JSON.stringify(env))).toThrow(/does not match its contentSha256/);
  });

  it('names what is wrong with a malformed object', () => {
    expect(() => parseRawObject('{')).toThrow(/raw object is not JSON/);
    expect(() => parseRawObject(JSON.stringify({ ...envelope('[]'), envelopeVersion: 9 }))).toThrow(
      /raw hour envelope invalid at envelopeVersion/,
    );
    expect(() => parseRawObject(JSON.stringify(envelope('[{"Site_Id":"x"}]')))).toThrow(
      /raw response invalid at \[0\]/,
    );
    expect(() => parseRawObject(JSON.stringify(envelope('<html>')))).toThrow(/raw response body is not JSON/);
  });
});
