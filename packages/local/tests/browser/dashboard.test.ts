/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core, CHROMIUM_PATH) against
 * the real local stack serving the bundled sample data: the page at `/`, /config.json, the GraphQL
 * API and its real-time endpoint, hours ingested from the sample NSW server through S3, SQS and the
 * ETL. Screenshots go to .build/screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type LocalStack, latestHours, memoryLog, startLocalStack, writtenKeysOf } from '@opendata-pulse/local/stack';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { HOUR_MS, utcToNswHour } from '@opendata-pulse/shared/time';
import { CATEGORY_STYLES, type CategoryKey } from '@opendata-pulse/web/categories';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');
const SHOTS = join(ROOT, '.build/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const API_KEY = 'web-browser-test-key';
const LABEL: Record<string, string> = Object.fromEntries(Object.entries(CATEGORY_STYLES).map(([k, v]) => [k, v.label]));

interface Station {
  siteId: number;
  name: string;
  suburb: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  latest: { hourStart: string; category: string | null } | null;
}

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let newest: number;

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(stack.endpoints.graphql.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const listStations = async () =>
  (
    await gql<{ listStations: Station[] }>(
      '{ listStations { siteId name suburb region latitude longitude latest { hourStart category } } }',
    )
  ).listStations;

const nameOf = (s: { name: string }, category: string | null | undefined) =>
  `${s.name} \u2014 ${LABEL[category ?? 'NO_DATA']}`;

async function ingest(hours: number[]) {
  const runs = await stack.ingestHours(hours);
  const drained = await stack.waitUntilDrained({ expectKeys: writtenKeysOf(runs), timeoutMs: 90_000 });
  expect(drained.drained).toBe(true);
}

/** `rgb(r, g, b)` of a `#rrggbb` colour, as getComputedStyle answers it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
  }
  mkdirSync(SHOTS, { recursive: true });
  stack = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), 'pulse-web-test-')),
    port: 0,
    apiKey: API_KEY,
    source: 'sample',
    ingestOnStart: 0,
    schedule: false,
    healthCheckEveryMs: 0,
    handlerLogLevel: 'SILENT',
    log: memoryLog(),
  });
  // The sample NSW server's clock an hour behind: the newest hour arrives later, live.
  const sample = stack.source.sample;
  if (!sample) throw new Error('the stack did not start the sample NSW server');
  [newest = 0] = latestHours(1);
  sample.setNow(() => Date.now() - HOUR_MS);
  await ingest(latestHours(30, Date.now() - HOUR_MS));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the dashboard on the local stack', () => {
  it('shows a marker per station with coordinates and lists every station, each named and coloured by its category', async () => {
    // Prepare
    const stations = await listStations();
    const located = stations.filter((s) => s.latitude !== null && s.longitude !== null);

    // Act
    await page.goto(stack.endpoints.web?.url ?? '');
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => {
      (window as unknown as { pageToken: string }).pageToken = 'first load';
    });
    await page.screenshot({ path: join(SHOTS, 'dashboard.png') });

    // Assess
    expect(stations.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('button.marker').count()).toBe(located.length);
    expect(await page.locator('#station-list button.station').count()).toBe(stations.length);
    for (const s of stations) {
      const key = (s.latest?.category ?? 'NO_DATA') as CategoryKey;
      const named = page.getByRole('button', { name: nameOf(s, s.latest?.category), exact: true });
      const onMap = located.includes(s);
      expect(await named.count(), nameOf(s, s.latest?.category)).toBe(onMap ? 2 : 1);
      if (onMap) {
        const marker = page.locator(`button.marker[data-site-id="${s.siteId}"]`);
        expect(await marker.getAttribute('aria-label')).toBe(nameOf(s, s.latest?.category));
        expect(await marker.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
          rgb(CATEGORY_STYLES[key].colour),
        );
      }
    }
    await expect.poll(() => page.locator('#legend li').allTextContents()).toEqual(Object.values(LABEL));
  });

  it('says the data is the bundled sample and credits NSW', async () => {
    // Assess
    expect(await page.locator('#sample-banner').isVisible()).toBe(true);
    expect(await page.locator('#sample-banner').textContent()).toContain('Sample data');
    expect(await page.locator('footer').textContent()).toContain('© State of NSW, CC BY 4.0');
  });

  it('opens a station panel whose 7-day chart draws the hours its table and the API hold', async () => {
    // Prepare
    const [rozelle] = (await listStations()).filter((s) => s.siteId === 39);
    if (!rozelle?.latest) throw new Error('Rozelle has no reading');
    const anchor = Date.parse(rozelle.latest.hourStart);
    const api = await gql<{ getAirQualityData: { items: { siteId: number; hourStart: string }[] } }>(
      'query ($from: AWSDateTime, $to: AWSDateTime) { getAirQualityData(suburb: "Rozelle", from: $from, to: $to, limit: 500) { items { siteId hourStart } } }',
      { from: new Date(anchor - 167 * HOUR_MS).toISOString(), to: new Date(anchor + HOUR_MS).toISOString() },
    );
    const apiHours = api.getAirQualityData.items
      .filter((r) => r.siteId === 39)
      .map((r) => new Date(r.hourStart).toISOString())
      .sort();

    // Act
    await page.locator('#station-list button.station[data-site-id="39"]').click();
    const chart = page.locator('#panel figure[data-parameter="PM2.5"][data-range="7d"]');
    await chart.waitFor();
    const focused = await page.evaluate(() => document.activeElement?.id);
    await chart.locator('summary').click();
    await chart.locator('table.data').waitFor();
    const tableHours = await chart
      .locator('table.data tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hour')));
    const chartHours = ((await chart.getAttribute('data-hours')) ?? '').split(',');
    await page.screenshot({ path: join(SHOTS, 'station-panel.png'), fullPage: true });

    // Assess
    expect(apiHours.length).toBeGreaterThan(24);
    expect(chartHours).toEqual(apiHours);
    expect(tableHours).toEqual(apiHours);
    expect(await chart.locator('canvas').count()).toBe(1);
    expect(
      await page.locator('#panel figure[data-parameter="PM2.5"][data-range="24h"]').getAttribute('data-hours'),
    ).toBe(apiHours.slice(-24).join(','));
    expect(await page.locator('#panel-title').textContent()).toBe('Rozelle');
    expect(focused).toBe('panel-title');
    expect(await page.locator('#panel table.latest caption').textContent()).toContain('Sydney time');
  });

  it('downloads the CSV of the chosen days with the rows the export promised', async () => {
    // Prepare
    const from = await page.locator('#export-from').inputValue();
    const to = await page.locator('#export-to').inputValue();

    // Act
    await page.locator('form.export button[type="submit"]').click();
    const link = page.locator('form.export a.download');
    await link.waitFor();
    const promised = Number(/\((\d+) rows\)/.exec((await link.textContent()) ?? '')?.[1]);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8')
      .trim()
      .split('\r\n');

    // Assess
    expect(csv[0]).toBe(
      'site_id,site_name,suburb,region,hour_start_utc,hour_end_local,parameter,value,unit,category,flags',
    );
    const rows = csv.slice(1);
    expect(rows.length).toBe(promised);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.startsWith('39,Rozelle,Rozelle,Sydney East,'))).toBe(true);
    const localDates = rows.map((r) => r.split(',')[5]?.slice(0, 10) ?? '');
    expect(localDates.every((d) => (d >= from && d <= to) || d === nextDay(to))).toBe(true);
  });

  it('has no serious or critical axe-core violations, with the panel open', async () => {
    // Act
    const result = await new AxeBuilder({ page }).analyze();

    // Assess
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('repaints a marker, the list and the open panel when a newer hour is ingested, without a reload', async () => {
    // Prepare: Rozelle's PM2.5 in the newest hour is Poor (80 µg/m³)
    const sample = stack.source.sample;
    if (!sample) throw new Error('no sample NSW server');
    const { date, hour } = utcToNswHour(newest, 'Australia/Sydney');
    const original = sample.dataset.observationsFor.bind(sample.dataset);
    sample.dataset.observationsFor = (d: string, h: number): NswObservation[] =>
      original(d, h).map((o) =>
        d === date && h === hour && o.Site_Id === 39 && o.Parameter.ParameterCode === 'PM2.5'
          ? { ...o, Value: 80, AirQualityCategory: 'POOR' }
          : o,
      );
    sample.setNow(() => Date.now());
    const before = await page.locator('#updated').textContent();

    // Act
    await ingest([newest]);

    // Assess
    const marker = page.locator('button.marker[data-site-id="39"]');
    await expect.poll(() => marker.getAttribute('aria-label'), { timeout: 30_000 }).toBe('Rozelle \u2014 Poor');
    expect(await marker.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(CATEGORY_STYLES.POOR.colour));
    expect(await page.getByRole('button', { name: 'Rozelle \u2014 Poor', exact: true }).count()).toBe(2);
    await expect.poll(() => page.locator('#panel').getAttribute('aria-label')).toBe('Rozelle \u2014 Poor');
    expect(await page.locator('#updated').textContent()).not.toBe(before);
    expect(await page.evaluate(() => (window as unknown as { pageToken?: string }).pageToken)).toBe('first load');
    await page.screenshot({ path: join(SHOTS, 'live-update-panel.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'live-update.png') });
  });

  it('keeps everything reachable by keyboard on a 375 px wide phone', async () => {
    // Prepare
    const phone = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await phone.goto(stack.endpoints.web?.url ?? '');
    await phone.waitForSelector('body[data-ready="true"]');
    const stations = await listStations();

    // Act: tab through the page once, noting what takes focus
    const reached = new Set<string>();
    for (let i = 0; i < 120; i++) {
      await phone.keyboard.press('Tab');
      const name = await phone.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.tagName}|${el.getAttribute('aria-label') ?? el.id ?? ''}|${el.className}` : '';
      });
      if (name.startsWith('BODY')) break;
      reached.add(name);
    }
    await phone.screenshot({ path: join(SHOTS, 'phone-375.png'), fullPage: true });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
    const station = phone.locator('#station-list button.station').first();
    await station.focus();
    await phone.keyboard.press('Enter');
    await phone.locator('#panel figure[data-range="7d"]').first().waitFor();
    const panelOverflow = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.screenshot({ path: join(SHOTS, 'phone-375-panel.png'), fullPage: true });

    // Assess
    expect(overflow).toBeLessThanOrEqual(375);
    expect(panelOverflow).toBeLessThanOrEqual(375);
    const seen = [...reached].join('\n');
    for (const id of ['region', 'place', 'sort']) expect(seen).toContain(`|${id}|`);
    for (const s of stations) {
      if (s.latitude !== null) expect(seen).toContain(`BUTTON|${nameOf(s, s.latest?.category)}|marker`);
    }
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('panel-title');
    await phone.close();
  });
});

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
