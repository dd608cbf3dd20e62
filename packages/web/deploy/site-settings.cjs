// @ts-check
/**
 * What opendata-pulse-web deploys, worked out when serverless.yml is read (`${file(./deploy/site-settings.cjs):...}`),
 * so that `sls package` fails on bad input, offline, before anything reaches AWS:
 * - `configJson`: the exact `/config.json` the app reads ({ graphqlUrl, realtimeUrl, apiKey, source, tiles? }),
 * - `contentSecurityPolicy`: the CSP allowing only this site, the API's https and wss hosts, the curated
 *   bucket's regional S3 host (the export downloads) and the tile origin, if any (a CloudFormation `Fn::Sub`
 *   string: the default bucket name holds `${AWS::AccountId}`),
 * - `contentHash`: a hash of the built app (packages/web/dist), so that every change of the app makes
 *   CloudFormation run the upload again (docs/DEPLOY.md, "The dashboard").
 * CommonJS because the Serverless Framework loads `${file(x.cjs)}` with require().
 */
'use strict';

const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

const DIST = join(__dirname, '..', 'dist');
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub variable, spelt as in the template
const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';

/** @param {string} message */
function fail(message) {
  return new Error(`opendata-pulse-web: ${message}`);
}

/**
 * An absolute URL with the given scheme; the error names the param and what it got.
 * @param {string} param
 * @param {unknown} value
 * @param {string} scheme e.g. 'https:'
 */
function urlParam(param, value, scheme) {
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail(`the ${param} param is missing (compose passes it from the api stack's outputs)`);
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    throw fail(`the ${param} param "${value}" is not a URL`);
  }
  if (url.protocol !== scheme) throw fail(`the ${param} param "${value}" must be a ${scheme}// URL`);
  if (url.username || url.password || url.search || url.hash) {
    throw fail(`the ${param} param "${value}" must hold no credentials, query or fragment`);
  }
  return url;
}

/**
 * The tile URL template (Leaflet's `{s}`, `{z}`, `{x}`, `{y}`, `{r}`) and the CSP source its images come
 * from: `{s}` in the host becomes a `*.` wildcard.
 * @param {unknown} value
 * @returns {{ url: string, source: string } | undefined}
 */
function tileParam(value) {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw fail('the tileUrl param must be a string');
  const match = /^https:\/\/([^/?#]+)\/\S*$/.exec(value);
  if (!match?.[1]) throw fail(`the tileUrl param "${value}" must be an https:// URL template`);
  if (!['{z}', '{x}', '{y}'].every((p) => value.includes(p))) {
    throw fail(`the tileUrl param "${value}" must hold {z}, {x} and {y}`);
  }
  const host = match[1].replace(/^\{s\}\./, '*.');
  if (!/^(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(host)) {
    throw fail(`the tileUrl param "${value}" has a host CSP cannot name ({s} is allowed only as the first label)`);
  }
  return { url: value, source: `https://${host}` };
}

/**
 * The curated bucket's regional host, where the API's export URLs point.
 * @param {unknown} bucket
 * @param {string} region
 */
function exportHost(bucket, region) {
  const name = typeof bucket === 'string' ? bucket : '';
  const concrete = name.replace(ACCOUNT_PLACEHOLDER, '000000000000');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(concrete) || concrete.includes('..')) {
    throw fail(`the curatedBucketName param "${name}" is not an S3 bucket name`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw fail(`the region "${region}" is not an AWS region`);
  return `${name}.s3.${region}.amazonaws.com`;
}

/**
 * The site's Content-Security-Policy. `style-src 'self'`: the app keeps its styles in its stylesheet
 * (styles set from script through the CSSOM, as Leaflet and uPlot do, are not affected).
 * @param {{ graphql: URL, realtime: URL, exportHost: string, tileSource?: string | undefined }} o
 */
function contentSecurityPolicy(o) {
  const img = ["'self'", 'data:', ...(o.tileSource ? [o.tileSource] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${img.join(' ')}`,
    `connect-src 'self' https://${o.graphql.host} wss://${o.realtime.host} https://${o.exportHost}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Every file of the built app, as `[relative key, absolute path]`, sorted; fails when the app is not built.
 * @param {string} dir
 * @returns {Array<[string, string]>}
 */
function siteFiles(dir) {
  if (!existsSync(join(dir, 'index.html'))) {
    throw fail(
      `${relative(process.cwd(), join(dir, 'index.html')) || 'dist/index.html'} does not exist: build the dashboard first (pnpm install builds it; see packages/web/README.md)`,
    );
  }
  /** @type {Array<[string, string]>} */
  const out = [];
  /** @param {string} at */
  const walk = (at) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push([relative(dir, path).split(sep).join('/'), path]);
    }
  };
  walk(dir);
  return out;
}

/**
 * A hash over every file's key and bytes.
 * @param {string} dir
 */
function contentHash(dir) {
  const hash = createHash('sha256');
  for (const [key, path] of siteFiles(dir)) {
    hash.update(`${key}\0`);
    hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * @typedef {{ graphqlUrl?: unknown, realtimeUrl?: unknown, apiKey?: unknown, curatedBucketName?: unknown,
 *   tileUrl?: unknown, tileAttribution?: unknown, region: string, distDir?: string }} SiteInput
 */

/**
 * Everything serverless.yml reads from this file, from plain values (tests call it directly).
 * @param {SiteInput} input
 */
function siteSettings(input) {
  const graphql = urlParam('graphqlUrl', input.graphqlUrl, 'https:');
  const realtime = urlParam('realtimeUrl', input.realtimeUrl, 'wss:');
  if (typeof input.apiKey !== 'string' || !/^[A-Za-z0-9-]{10,128}$/.test(input.apiKey)) {
    throw fail('the publicApiKey param is missing or is not an AppSync API key (compose passes the api stack output)');
  }
  const tile = tileParam(input.tileUrl);
  const attribution = typeof input.tileAttribution === 'string' ? input.tileAttribution.trim() : '';
  if (tile && attribution === '') {
    throw fail('the tileAttribution param is required with tileUrl (tile providers require their credit)');
  }
  /** @type {Record<string, unknown>} */
  const config = {
    graphqlUrl: graphql.href,
    realtimeUrl: realtime.href,
    apiKey: input.apiKey,
    source: 'live',
    ...(tile ? { tiles: { url: tile.url, attribution } } : {}),
  };
  return {
    configJson: JSON.stringify(config),
    contentSecurityPolicy: contentSecurityPolicy({
      graphql,
      realtime,
      exportHost: exportHost(input.curatedBucketName, input.region),
      tileSource: tile?.source,
    }),
    contentHash: contentHash(input.distDir ?? DIST),
  };
}

/**
 * The Serverless variable resolver's entry: reads `custom.site` (params with their fallbacks).
 * @param {{ resolveVariable: (address: string) => Promise<unknown> }} serverless
 */
async function fromServerless({ resolveVariable }) {
  const read = (/** @type {string} */ name) => resolveVariable(`self:custom.site.${name}`);
  return siteSettings({
    graphqlUrl: await read('graphqlUrl'),
    realtimeUrl: await read('realtimeUrl'),
    apiKey: await read('publicApiKey'),
    curatedBucketName: await read('curatedBucketName'),
    tileUrl: await read('tileUrl'),
    tileAttribution: await read('tileAttribution'),
    region: String(await resolveVariable('self:provider.region')),
  });
}

module.exports = fromServerless;
module.exports.siteSettings = siteSettings;
module.exports.siteFiles = siteFiles;
