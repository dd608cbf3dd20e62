// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation variables are spelt ${...}
/** What opendata-pulse-web deploys, worked out at packaging (packages/web/deploy/site-settings.cjs). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cspDirectives } from '../cloudfront-rules';

interface SiteSettings {
  configJson: string;
  contentSecurityPolicy: string;
  contentHash: string;
}
const { siteSettings } = createRequire(import.meta.url)('../../../packages/web/deploy/site-settings.cjs') as {
  siteSettings: (input: Record<string, unknown>) => SiteSettings;
};

function builtApp(files: Record<string, string> = { 'index.html': '<!doctype html>', 'assets/app-Ab12Cd34.js': '1' }) {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-web-dist-'));
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(join(dir, key, '..'), { recursive: true });
    writeFileSync(join(dir, key), body);
  }
  return dir;
}

const input = (extra: Record<string, unknown> = {}) => ({
  graphqlUrl: 'https://abc.appsync-api.ap-southeast-2.amazonaws.com/graphql',
  realtimeUrl: 'wss://abc.appsync-realtime-api.ap-southeast-2.amazonaws.com/graphql',
  apiKey: 'da2-abcdefghijklmnopqrstuvwxyz',
  curatedBucketName: 'opendata-pulse-curated-data-123456789012',
  tileUrl: '',
  tileAttribution: '',
  region: 'ap-southeast-2',
  distDir: builtApp(),
  ...extra,
});

describe('siteSettings', () => {
  it('writes config.json with the API, its real-time URL and the public key, and a CSP allowing only those hosts', () => {
    // Act
    const settings = siteSettings(input());

    // Assess
    expect(JSON.parse(settings.configJson)).toEqual({
      graphqlUrl: 'https://abc.appsync-api.ap-southeast-2.amazonaws.com/graphql',
      realtimeUrl: 'wss://abc.appsync-realtime-api.ap-southeast-2.amazonaws.com/graphql',
      apiKey: 'da2-abcdefghijklmnopqrstuvwxyz',
      source: 'live',
    });
    const csp = cspDirectives(settings.contentSecurityPolicy);
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'https://abc.appsync-api.ap-southeast-2.amazonaws.com',
      'wss://abc.appsync-realtime-api.ap-southeast-2.amazonaws.com',
      'https://opendata-pulse-curated-data-123456789012.s3.ap-southeast-2.amazonaws.com',
    ]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('adds online tiles with their credit to config.json and their origin ({s} as a wildcard) to img-src', () => {
    // Act
    const settings = siteSettings(
      input({ tileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', tileAttribution: '© Example contributors' }),
    );

    // Assess
    expect(JSON.parse(settings.configJson).tiles).toEqual({
      url: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
      attribution: '© Example contributors',
    });
    expect(cspDirectives(settings.contentSecurityPolicy).get('img-src')).toEqual([
      "'self'",
      'data:',
      'https://*.tile.example.org',
    ]);
  });

  it('keeps the default bucket name for CloudFormation to fill in (Fn::Sub)', () => {
    // Act
    const settings = siteSettings(input({ curatedBucketName: 'opendata-pulse-curated-data-${AWS::AccountId}-dev' }));

    // Assess
    expect(settings.contentSecurityPolicy).toContain(
      'https://opendata-pulse-curated-data-${AWS::AccountId}-dev.s3.ap-southeast-2.amazonaws.com',
    );
  });

  it.each([
    [{ graphqlUrl: undefined }, /the graphqlUrl param is missing/],
    [
      { graphqlUrl: 'http://abc.example.org/graphql' },
      /the graphqlUrl param "http:\/\/abc.example.org\/graphql" must be a https:\/\/ URL/,
    ],
    [{ realtimeUrl: 'https://abc.example.org/graphql' }, /the realtimeUrl param .* must be a wss:\/\/ URL/],
    [{ apiKey: '' }, /the publicApiKey param is missing or is not an AppSync API key/],
    [{ curatedBucketName: 'Not_A_Bucket' }, /the curatedBucketName param "Not_A_Bucket" is not an S3 bucket name/],
    [
      { tileUrl: 'http://tile.example.org/{z}/{x}/{y}.png', tileAttribution: 'x' },
      /the tileUrl param .* must be an https:\/\/ URL template/,
    ],
    [{ tileUrl: 'https://tile.example.org/{z}/{x}/{y}.png' }, /the tileAttribution param is required with tileUrl/],
  ])('refuses bad input, naming the param: %o', (bad, message) => {
    // Act
    const act = () => siteSettings(input(bad));

    // Assess
    expect(act).toThrow(message);
  });

  it('refuses to package a site that was never built', () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'pulse-web-empty-'));

    // Act
    const act = () => siteSettings(input({ distDir: empty }));

    // Assess
    expect(act).toThrow(/index.html does not exist: build the dashboard first/);
  });

  it('changes the content hash with any file of the app, so a changed app is uploaded again', () => {
    // Prepare
    const a = builtApp({ 'index.html': '<!doctype html>', 'assets/app-Ab12Cd34.js': '1' });
    const b = builtApp({ 'index.html': '<!doctype html>', 'assets/app-Ab12Cd34.js': '2' });
    const c = builtApp({ 'index.html': '<!doctype html>', 'assets/app-Ab12Cd34.js': '1' });

    // Act
    const [ha, hb, hc] = [a, b, c].map((distDir) => siteSettings(input({ distDir })).contentHash);

    // Assess
    expect(ha).not.toBe(hb);
    expect(ha).toBe(hc);
  });
});
