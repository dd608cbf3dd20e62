/**
 * The dashboard (packages/web) on the local stack, in Debian's Chromium (playwright-core,
 * CHROMIUM_PATH, default /usr/bin/chromium), against its budgets (issue 15):
 * - JavaScript + CSS as served, gzipped: budget 200 KB; floor: Leaflet's and uPlot's own
 *   distributed minified files (JS + CSS) gzipped, which the bundle cannot be smaller than;
 * - first map render: navigation start to every marker drawn (the page's `pulse:map-rendered`
 *   mark), a fresh browser context (cold cache) each time: budget 1 s; floor: navigation start to
 *   the end of the listStations answer the markers wait for (resource timing);
 * - station panel: the click to the panel drawn with its 24-hour and 7-day charts
 *   (`pulse:panel-open` -> `pulse:panel-rendered`): budget 500 ms; floor: the readings query's own
 *   round trip in the same interval (resource timing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { latestHours, writtenKeysOf } from '@opendata-pulse/local/stack';
import { buildWeb, WEB_DIST_DIR, webBundleIsStale } from '@opendata-pulse/web/build';
import { chromium } from 'playwright-core';
import type { StackSession } from '../local-stack-session';
import { type Figure, figure } from '../report';
import { median } from '../stats';

export const WEB_BUDGETS = { bundleKb: 200, mapRenderMs: 1000, panelMs: 500 };

export interface WebDashboardOptions {
  /** hours of sample data ingested first (the panel's 7-day chart wants 168) */
  hours: number;
  /** page loads measured (each in a fresh context) */
  loads: number;
  /** station panels opened */
  panels: number;
  drainTimeoutMs: number;
}

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1024;

function libraryFloorKb(): number {
  const require = createRequire(join(WEB_DIST_DIR, '../package.json'));
  const files = [
    'leaflet/dist/leaflet.js',
    'leaflet/dist/leaflet.css',
    'uplot/dist/uPlot.iife.min.js',
    'uplot/dist/uPlot.min.css',
  ];
  return files.reduce((kb, f) => kb + gz(readFileSync(require.resolve(f))), 0);
}

export async function measureWebDashboard(
  session: StackSession,
  options: WebDashboardOptions,
): Promise<{ figures: Figure[]; notes: string[] }> {
  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (webBundleIsStale()) await buildWeb();
  const js = readFileSync(join(WEB_DIST_DIR, 'app.js'));
  const css = readFileSync(join(WEB_DIST_DIR, 'app.css'));
  const bundleKb = gz(js) + gz(css);
  const floorKb = libraryFloorKb();

  const { stack } = session;
  const runs = await stack.ingestHours(latestHours(options.hours));
  await stack.waitUntilDrained({ expectKeys: writtenKeysOf(runs), timeoutMs: options.drainTimeoutMs });
  const url = stack.endpoints.web?.url;
  if (!url) throw new Error('the stack serves no dashboard (start it with graphql: true)');

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const maps: { renderMs: number; dataMs: number }[] = [];
  const panels: { panelMs: number; dataMs: number }[] = [];
  try {
    for (let i = 0; i < options.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForFunction(() =>
        performance.getEntriesByType('resource').some((e) => e.name.endsWith('/graphql')),
      );
      maps.push(
        await page.evaluate(() => {
          const rendered = performance.getEntriesByName('pulse:map-rendered')[0]?.startTime ?? Number.NaN;
          const list = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/graphql')) as
            | PerformanceResourceTiming
            | undefined;
          return { renderMs: rendered, dataMs: list?.responseEnd ?? Number.NaN };
        }),
      );
      if (i === options.loads - 1) {
        const buttons = page.locator('#station-list button.station');
        const count = Math.min(options.panels, await buttons.count());
        for (let p = 0; p < count; p++) {
          const marks = await page.evaluate(() => performance.getEntriesByName('pulse:panel-rendered').length);
          await buttons.nth(p).click();
          await page.waitForFunction((n) => performance.getEntriesByName('pulse:panel-rendered').length > n, marks);
          // Resource timing entries are queued as a task of their own: wait until the query's is there.
          await page.waitForFunction(() => {
            const open = performance.getEntriesByName('pulse:panel-open').at(-1)?.startTime ?? 0;
            return performance
              .getEntriesByType('resource')
              .some((e) => e.name.endsWith('/graphql') && e.startTime >= open);
          });
          panels.push(
            await page.evaluate(() => {
              const open = performance.getEntriesByName('pulse:panel-open').at(-1)?.startTime ?? Number.NaN;
              const done = performance.getEntriesByName('pulse:panel-rendered').at(-1)?.startTime ?? Number.NaN;
              const query = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
                .filter((e) => e.name.endsWith('/graphql') && e.startTime >= open && e.responseEnd <= done)
                .reduce((ms, e) => ms + e.duration, 0);
              return { panelMs: done - open, dataMs: query };
            }),
          );
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const mapMs = median(maps.map((m) => m.renderMs));
  const panelMs = median(panels.map((p) => p.panelMs));
  return {
    figures: [
      figure({
        id: 'web.bundleGzipKb',
        section: 'web',
        name: `dashboard JS + CSS gzipped (budget ≤ ${WEB_BUDGETS.bundleKb} KB)`,
        value: bundleKb,
        unit: 'KB',
        better: 'lower',
        floor: { name: "Leaflet's and uPlot's own minified JS + CSS, gzipped", value: floorKb },
      }),
      figure({
        id: 'web.firstMapRenderMs',
        section: 'web',
        name: `navigation -> map with every station's marker, cold cache (median of ${maps.length}; budget ≤ ${WEB_BUDGETS.mapRenderMs} ms)`,
        value: mapMs,
        unit: 'ms',
        better: 'lower',
        floor: { name: 'navigation -> listStations answered', value: median(maps.map((m) => m.dataMs)) },
      }),
      figure({
        id: 'web.panelMs',
        section: 'web',
        name: `click -> station panel with 24 h and 7-day charts (median of ${panels.length}; budget ≤ ${WEB_BUDGETS.panelMs} ms)`,
        value: panelMs,
        unit: 'ms',
        better: 'lower',
        floor: { name: "the panel's readings query round trip", value: median(panels.map((p) => p.dataMs)) },
      }),
    ],
    notes: [
      `Dashboard: ${bundleKb.toFixed(1)} KB gzipped (app.js ${gz(js).toFixed(1)} KB + app.css ${gz(css).toFixed(1)} KB; ${(js.length / 1024).toFixed(0)} KB + ${(css.length / 1024).toFixed(0)} KB minified), budget ${WEB_BUDGETS.bundleKb} KB. ` +
        `First map render ${mapMs.toFixed(0)} ms (budget ${WEB_BUDGETS.mapRenderMs} ms): Chromium ${chromiumPath}, 1280x900, a fresh context per load, ${options.hours} sample hours on the local stack (API cache off). ` +
        `Station panel ${panelMs.toFixed(0)} ms from the click to both charts of every pollutant drawn (budget ${WEB_BUDGETS.panelMs} ms), over ${panels.length} stations.`,
    ],
  };
}
