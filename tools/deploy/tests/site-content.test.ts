/**
 * The dashboard's deploy-time upload (packages/web/deploy/site-content.mjs), as CloudFormation drives it:
 * against the local S3 server (s3rver, packages/local), with its answers PUT to a local HTTP server as
 * to CloudFormation's pre-signed URL. Emptying every version on Delete runs against a mocked S3 client:
 * s3rver has no versioning.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type LocalAws, startLocalAws } from '@opendata-pulse/local/aws';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../packages/web/deploy/site-content.mjs';

const CONFIG = JSON.stringify({
  graphqlUrl: 'https://abc.appsync-api.ap-southeast-2.amazonaws.com/graphql',
  realtimeUrl: 'wss://abc.appsync-realtime-api.ap-southeast-2.amazonaws.com/graphql',
  apiKey: 'da2-abcdefghijklmnopqrstuvwxyz',
  source: 'live',
});

function builtApp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-web-site-'));
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(join(dir, key, '..'), { recursive: true });
    writeFileSync(join(dir, key), body);
  }
  return dir;
}

/** CloudFormation's side: the responses PUT to the ResponseURL, with their content type. */
class CloudFormationStub {
  readonly responses: Array<{ contentType: string | undefined; body: Record<string, unknown> }> = [];
  private server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      this.responses.push({ contentType: req.headers['content-type'], body: JSON.parse(body) });
      res.end();
    });
  });
  url = '';
  async start() {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/response`;
  }
  stop() {
    this.server.close();
  }
}

const event = (
  url: string,
  requestType: 'Create' | 'Update' | 'Delete',
  properties: Record<string, unknown>,
  physicalId?: string,
) => ({
  RequestType: requestType,
  ResponseURL: url,
  StackId: 'arn:aws:cloudformation:ap-southeast-2:000000000000:stack/opendata-pulse-web-prod/1',
  RequestId: `req-${requestType}`,
  LogicalResourceId: 'SiteContent',
  ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:ap-southeast-2:000000000000:function:x', ...properties },
});

const quiet = () => {};

describe('SiteContent against the local S3 server', () => {
  let local: LocalAws;
  let s3: S3Client;
  const cfn = new CloudFormationStub();
  const bucket = 'opendata-pulse-web-000000000000';

  beforeAll(async () => {
    local = await startLocalAws();
    s3 = local.clients().s3 as unknown as S3Client;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await cfn.start();
  }, 60_000);

  afterAll(async () => {
    cfn.stop();
    await local?.stop();
  });

  const keys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();
  const head = (key: string) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const text = async (key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();

  it('uploads the app with content types and caching, writes config.json from the template, and answers SUCCESS', async () => {
    // Prepare
    const siteDir = builtApp({
      'index.html': '<!doctype html><title>Pulse</title>',
      'assets/index-Ab12Cd34.js': 'export {}',
      'assets/index-Zy98Xw76.css': 'body{}',
      'nsw.geojson': '{"type":"FeatureCollection","features":[]}',
      'config.json': '{"source":"sample"}',
    });
    const handler = createHandler({ s3, siteDir, log: quiet });

    // Act
    await handler(event(cfn.url, 'Create', { Bucket: bucket, ConfigJson: CONFIG, ContentHash: 'a' }));

    // Assess
    expect(await keys()).toEqual([
      'assets/index-Ab12Cd34.js',
      'assets/index-Zy98Xw76.css',
      'config.json',
      'index.html',
      'nsw.geojson',
    ]);
    expect(await text('config.json')).toBe(CONFIG);
    expect(await head('index.html')).toMatchObject({
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'no-cache',
    });
    expect(await head('config.json')).toMatchObject({ CacheControl: 'no-cache' });
    expect(await head('assets/index-Ab12Cd34.js')).toMatchObject({
      ContentType: 'text/javascript; charset=utf-8',
      CacheControl: 'public, max-age=31536000, immutable',
    });
    expect(await head('nsw.geojson')).toMatchObject({ ContentType: 'application/geo+json', CacheControl: 'no-cache' });
    expect(cfn.responses.at(-1)).toEqual({
      contentType: '',
      body: {
        Status: 'SUCCESS',
        PhysicalResourceId: `site-content:${bucket}`,
        StackId: 'arn:aws:cloudformation:ap-southeast-2:000000000000:stack/opendata-pulse-web-prod/1',
        RequestId: 'req-Create',
        LogicalResourceId: 'SiteContent',
        Data: { Files: '5' },
      },
    });
  });

  it('on update, replaces the app and deletes what the new build no longer has', async () => {
    // Prepare
    const siteDir = builtApp({
      'index.html': '<!doctype html><title>Pulse 2</title>',
      'assets/index-Qq11Rr22.js': '2',
    });
    const handler = createHandler({ s3, siteDir, log: quiet });

    // Act
    await handler(
      event(cfn.url, 'Update', { Bucket: bucket, ConfigJson: CONFIG, ContentHash: 'b' }, `site-content:${bucket}`),
    );

    // Assess
    expect(await keys()).toEqual(['assets/index-Qq11Rr22.js', 'config.json', 'index.html']);
    expect(await text('index.html')).toBe('<!doctype html><title>Pulse 2</title>');
    expect(cfn.responses.at(-1)?.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: `site-content:${bucket}`,
    });
  });

  it('answers FAILED naming what is wrong with the properties, and changes nothing', async () => {
    // Prepare
    const before = await keys();
    const handler = createHandler({ s3, siteDir: builtApp({ 'index.html': 'x' }), log: quiet });
    const noKey = JSON.stringify({ ...JSON.parse(CONFIG), apiKey: '' });

    // Act
    await handler(event(cfn.url, 'Update', { Bucket: bucket, ConfigJson: noKey }, `site-content:${bucket}`));

    // Assess
    expect(cfn.responses.at(-1)?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'Update of the site content failed: property ConfigJson has no apiKey',
    });
    expect(await keys()).toEqual(before);
  });
});

describe('SiteContent on Delete', () => {
  const cfn = new CloudFormationStub();
  beforeAll(() => cfn.start());
  afterAll(() => cfn.stop());

  it('deletes every version and delete marker, page by page, so the bucket can go', async () => {
    // Prepare
    const mock = mockClient(S3Client);
    mock
      .on(ListObjectVersionsCommand, { Bucket: 'site', KeyMarker: undefined })
      .resolves({
        Versions: [
          { Key: 'index.html', VersionId: 'v2' },
          { Key: 'index.html', VersionId: 'v1' },
        ],
        IsTruncated: true,
        NextKeyMarker: 'index.html',
        NextVersionIdMarker: 'v1',
      })
      .on(ListObjectVersionsCommand, { Bucket: 'site', KeyMarker: 'index.html' })
      .resolves({ DeleteMarkers: [{ Key: 'old.js', VersionId: 'm1' }], IsTruncated: false })
      .on(DeleteObjectsCommand)
      .resolves({});
    const handler = createHandler({ s3: new S3Client({ region: 'ap-southeast-2' }), log: quiet });

    // Act
    await handler(event(cfn.url, 'Delete', { Bucket: 'site', ConfigJson: CONFIG }, 'site-content:site'));

    // Assess
    expect(mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects)).toEqual([
      [
        { Key: 'index.html', VersionId: 'v2' },
        { Key: 'index.html', VersionId: 'v1' },
      ],
      [{ Key: 'old.js', VersionId: 'm1' }],
    ]);
    expect(cfn.responses.at(-1)?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'site-content:site' });
    mock.restore();
  });

  it('leaves alone a bucket it never wrote to (a create that failed before naming one)', async () => {
    // Prepare
    const mock = mockClient(S3Client);
    const handler = createHandler({ s3: new S3Client({ region: 'ap-southeast-2' }), log: quiet });

    // Act
    await handler(event(cfn.url, 'Delete', {}, 'site-content:pending'));

    // Assess
    expect(mock.calls()).toEqual([]);
    expect(cfn.responses.at(-1)?.body).toMatchObject({ Status: 'SUCCESS' });
    mock.restore();
  });
});
