// @ts-check
/**
 * The CloudFormation custom resource `Custom::SiteContent` of opendata-pulse-web: puts the built app
 * (packages/web/dist, packaged beside this file) and the deploy's `config.json` into the site bucket.
 *
 * Why a custom resource rather than a deploy plugin (serverless-s3-sync and the like): the upload is part
 * of the stack, so `sls deploy` (alone or through compose) does it with no hand step and no extra
 * credentials, a failed upload fails and rolls back the deploy, and `sls package` shows exactly what will
 * be uploaded (the template's ConfigJson and ContentHash, and the zip) with no AWS account. It is plain
 * ESM with the Lambda runtime's AWS SDK v3 (nodejs24.x ships @aws-sdk/client-s3), so the web service
 * needs no bundler plugin; it runs only while a deploy runs.
 *
 * Create/Update: every file, then config.json, then index.html last (a visitor never loads a page whose
 * assets are not there yet); then every other key is deleted (the bucket keeps old versions for 30 days).
 * Delete: the bucket is emptied, every version included, so the stack's removal can delete it.
 * Every outcome is answered to CloudFormation; an error never leaves the stack waiting for an hour.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

export const CONFIG_KEY = 'config.json';
export const INDEX_KEY = 'index.html';
const PHYSICAL_ID_PREFIX = 'site-content:';
const DEFAULT_SITE_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

const CONTENT_TYPES = /** @type {Record<string, string>} */ ({
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
  webmanifest: 'application/manifest+json',
  wasm: 'application/wasm',
});

/** @param {string} key */
export function contentType(key) {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * The bundler's hashed output (`assets/<name>-<hash>.<ext>`, Vite's layout) never changes under its name:
 * cached for a year. Everything else (index.html, config.json, the map outline) is revalidated on every
 * load (a 304 from CloudFront when unchanged), so a deploy shows at the next load with no invalidation.
 * @param {string} key
 */
export function cacheControl(key) {
  return /^assets\/(.+\/)?[^/]+[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(key)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

/**
 * @param {string} dir
 * @returns {Promise<Array<{ key: string, path: string }>>}
 */
export async function siteFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { key: relative(dir, path).split(sep).join('/'), path };
    })
    .filter((f) => f.key !== CONFIG_KEY)
    .sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The upload order: assets first, config.json, index.html last.
 * @param {string[]} keys
 */
export function uploadOrder(keys) {
  const rest = keys.filter((k) => k !== INDEX_KEY && k !== CONFIG_KEY);
  return [...rest, CONFIG_KEY, ...(keys.includes(INDEX_KEY) ? [INDEX_KEY] : [])];
}

/**
 * The resource's properties, checked: the bucket, and the config.json the template carries.
 * @param {Record<string, unknown> | undefined} props
 */
export function parseProperties(props) {
  const bucket = props?.Bucket;
  if (typeof bucket !== 'string' || bucket === '') throw new Error('property Bucket is missing');
  const text = props?.ConfigJson;
  if (typeof text !== 'string') throw new Error('property ConfigJson is missing');
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`property ConfigJson is not JSON: ${/** @type {Error} */ (error).message}`);
  }
  for (const field of ['graphqlUrl', 'realtimeUrl', 'apiKey']) {
    if (typeof config?.[field] !== 'string' || config[field] === '') {
      throw new Error(`property ConfigJson has no ${field}`);
    }
  }
  return { bucket, configJson: text };
}

/**
 * @template T
 * @param {T[]} items
 * @param {number} size
 * @returns {T[][]}
 */
function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * @param {S3Client} s3
 * @param {string} bucket
 * @param {Array<{ Key: string, VersionId?: string }>} objects
 */
async function deleteAll(s3, bucket, objects) {
  for (const batch of chunks(objects, 1000)) {
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(`could not delete ${failed.length} object(s) from ${bucket}, e.g. ${first?.Key}: ${first?.Code}`);
    }
  }
}

/**
 * @param {S3Client} s3
 * @param {string} bucket
 * @returns {Promise<string[]>}
 */
async function currentKeys(s3, bucket) {
  const keys = [];
  /** @type {string | undefined} */
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * Uploads the site and config.json, then deletes every other key. Answers the keys it wrote and removed.
 * @param {S3Client} s3
 * @param {{ bucket: string, configJson: string, siteDir: string }} o
 */
export async function publishSite(s3, { bucket, configJson, siteDir }) {
  const files = await siteFiles(siteDir);
  if (!files.some((f) => f.key === INDEX_KEY)) throw new Error(`the packaged site has no ${INDEX_KEY}`);
  const byKey = new Map(files.map((f) => [f.key, f.path]));
  const order = uploadOrder(files.map((f) => f.key));
  /** @param {string} key */
  const put = async (key) => {
    const path = byKey.get(key);
    const body = path === undefined ? configJson : await readFile(path);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType(key),
        CacheControl: cacheControl(key),
      }),
    );
  };
  // Assets in parallel (8 at a time), then config.json, then index.html.
  const assets = order.slice(0, order.indexOf(CONFIG_KEY));
  for (const batch of chunks(assets, 8)) await Promise.all(batch.map(put));
  for (const key of order.slice(assets.length)) await put(key);
  const keep = new Set(order);
  const stale = (await currentKeys(s3, bucket)).filter((k) => !keep.has(k));
  await deleteAll(
    s3,
    bucket,
    stale.map((Key) => ({ Key })),
  );
  return { written: order, removed: stale };
}

/**
 * Deletes every object version and delete marker, so CloudFormation can delete the bucket.
 * @param {S3Client} s3
 * @param {string} bucket
 */
export async function emptyBucket(s3, bucket) {
  let removed = 0;
  /** @type {{ KeyMarker?: string, VersionIdMarker?: string }} */
  let marker = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...marker }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
      v.Key ? [{ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }] : [],
    );
    await deleteAll(s3, bucket, objects);
    removed += objects.length;
    if (!page.IsTruncated) return removed;
    marker = {
      ...(page.NextKeyMarker ? { KeyMarker: page.NextKeyMarker } : {}),
      ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
    };
  }
}

/**
 * @typedef {{ RequestType: 'Create' | 'Update' | 'Delete', ResponseURL: string, StackId: string,
 *   RequestId: string, LogicalResourceId: string, PhysicalResourceId?: string,
 *   ResourceProperties?: Record<string, unknown> }} CustomResourceEvent
 * @typedef {{ Status: 'SUCCESS' | 'FAILED', Reason?: string, PhysicalResourceId: string, StackId: string,
 *   RequestId: string, LogicalResourceId: string, Data?: Record<string, string> }} CustomResourceResponse
 */

/**
 * Answers CloudFormation through the pre-signed ResponseURL (an empty content type, as it signs it).
 * @param {string} url
 * @param {CustomResourceResponse} response
 */
export async function sendResponse(url, response) {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
  if (!res.ok) throw new Error(`CloudFormation did not accept the response: HTTP ${res.status}`);
}

/**
 * @param {{ s3: S3Client, siteDir?: string, respond?: typeof sendResponse,
 *   log?: (message: string, data: Record<string, unknown>) => void }} deps
 */
export function createHandler({ s3, siteDir = DEFAULT_SITE_DIR, respond = sendResponse, log = defaultLog }) {
  /** @param {CustomResourceEvent} event */
  return async (event) => {
    const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
    let physicalId = event.PhysicalResourceId ?? `${PHYSICAL_ID_PREFIX}pending`;
    /** @type {CustomResourceResponse} */
    let response;
    try {
      if (event.RequestType === 'Delete') {
        // A create that failed before answering an id of ours has nothing to remove.
        if (physicalId.startsWith(PHYSICAL_ID_PREFIX) && physicalId !== `${PHYSICAL_ID_PREFIX}pending`) {
          const bucket = physicalId.slice(PHYSICAL_ID_PREFIX.length);
          const removed = await emptyBucket(s3, bucket).catch((/** @type {any} */ error) => {
            if (error?.name === 'NoSuchBucket') return 0;
            throw error;
          });
          log('site bucket emptied', { bucket, removed });
        }
        response = { ...base, Status: 'SUCCESS', PhysicalResourceId: physicalId };
      } else {
        const { bucket, configJson } = parseProperties(event.ResourceProperties);
        // One id per bucket: a new bucket is a replacement, and CloudFormation then deletes (empties) the old.
        physicalId = `${PHYSICAL_ID_PREFIX}${bucket}`;
        const { written, removed } = await publishSite(s3, { bucket, configJson, siteDir });
        log('site published', { bucket, written: written.length, removed });
        response = {
          ...base,
          Status: 'SUCCESS',
          PhysicalResourceId: physicalId,
          Data: { Files: String(written.length) },
        };
      }
    } catch (error) {
      const reason = `${event.RequestType} of the site content failed: ${/** @type {Error} */ (error)?.message ?? String(error)}`;
      log('site content failed', { reason });
      response = { ...base, Status: 'FAILED', Reason: reason.slice(0, 3000), PhysicalResourceId: physicalId };
    }
    await respond(event.ResponseURL, response);
    return response;
  };
}

/** @param {string} message @param {Record<string, unknown>} data */
function defaultLog(message, data) {
  process.stdout.write(`${JSON.stringify({ level: 'INFO', message, ...data })}\n`);
}

export const handler = createHandler({ s3: new S3Client({}) });
