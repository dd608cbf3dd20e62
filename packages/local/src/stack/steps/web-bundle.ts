/**
 * Start-up: the dashboard's bundle. `pnpm install` builds packages/web/dist; a source changed since
 * (an mtime newer than the bundle) is rebuilt here, before the port opens, so `pnpm start` never
 * serves a stale dashboard and never builds on the request path.
 */
import { buildWeb, WEB_DIST_DIR, webBundleIsStale } from '@opendata-pulse/web/build';
import type { NswSourceLabel } from '../../nsw/nsw-source';
import { webSiteHandler } from '../../web/web-site';
import type { StackLog } from '../stack-log';

export async function ensureWebBundle(
  settings: { apiKey: string; source: NswSourceLabel; tiles?: { url: string; attribution: string } | undefined },
  log: StackLog,
): Promise<ReturnType<typeof webSiteHandler>> {
  if (webBundleIsStale()) {
    try {
      const built = await buildWeb();
      log.line('web', 'info', `dashboard rebuilt (a source was newer than its bundle) in ${built.ms.toFixed(0)} ms`);
    } catch (error) {
      log.line('web', 'error', `dashboard build failed, / answers 503: ${(error as Error).message}`);
    }
  }
  return webSiteHandler({
    distDir: WEB_DIST_DIR,
    apiKey: settings.apiKey,
    source: settings.source,
    ...(settings.tiles ? { tiles: settings.tiles } : {}),
  });
}
