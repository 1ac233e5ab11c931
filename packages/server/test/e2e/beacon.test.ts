import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { DEMO_HOTSPOT_IDS, DEMO_SCENE_IDS, DEMO_TOUR_ID } from '@vr-tour/demo';
import { builtSiteAssets } from '../../src/site/assets.js';
import { launchChromium } from '@vr-tour/testing/chromium';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';

// The whole path of an analytics event, nothing faked: the server process as
// `npm start` runs it (demo tour seeded, collector mounted at /collect), the
// built viewer on the demo page in headless Chromium, and the rows it leaves
// in PostgreSQL.

// A desktop Chrome as a visitor has it: headless Chromium's own user agent says
// "HeadlessChrome", which the viewer reports and isbot matches, so the collector
// would drop every event (as it should for automation).
/** The server serves /metrics to this token only (METRICS_TOKEN). */
const METRICS_TOKEN = 'e2e-beacon-scrape-token';

const VISITOR_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

let db: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  const viewerScript = path.join(builtSiteAssets().viewerDir, 'vr-tour.js');
  if (!existsSync(viewerScript)) throw new Error(`${viewerScript} is missing: run \`npm run build\` first (npm test does)`);
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-e2e-beacon-'));
  // Rendering the demo panoramas on first start takes a while on a busy machine.
  server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'on', METRICS_TOKEN }, 150_000);
  // Under automation navigator.webdriver is true, the viewer says so in its
  // batches and the collector drops them. This flag makes the page see what a
  // real visitor's page sees (webdriver false); the drop itself is tested in
  // packages/collector/test/ingest.test.ts.
  browser = await launchChromium(['--disable-blink-features=AutomationControlled']);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface EventRow {
  id: string;
  session_id: string;
  type: string;
  scene_id: string | null;
  hotspot_id: string | null;
  data: Record<string, unknown>;
}

async function eventsOf(tourId: string): Promise<EventRow[]> {
  return db.sql<EventRow[]>`
    SELECT id::text, session_id::text, type::text, scene_id::text, hotspot_id::text, data
    FROM tour_analytics_events WHERE tour_id = ${tourId} ORDER BY occurred_at, id`;
}

describe('the viewer beacons to the real collector', () => {
  it('a view, a hotspot click and a share from Chromium become rows, one session and counters', async () => {
    const context = await browser.newContext({ userAgent: VISITOR_UA, viewport: { width: 1000, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Page-side code is given as text: this package compiles without the DOM library.
    // `load` of <vr-tour> does not bubble; a capturing listener sees it whichever comes first.
    await page.addInitScript({
      content: `document.addEventListener('load', (event) => {
        if (event.target.localName === 'vr-tour') window.tourLoaded = event.detail;
      }, true);`,
    });

    await page.goto(`${server.url}/`);
    await page.waitForFunction('window.tourLoaded', undefined, { timeout: 60_000 });
    expect(await page.evaluate('window.tourLoaded')).toEqual(expect.objectContaining({ tourId: DEMO_TOUR_ID, sceneId: DEMO_SCENE_IDS.lobby }));
    expect(await page.evaluate('navigator.webdriver')).toBe(false);

    // A real click on the lobby's "Welcome" info hotspot (in view at the start).
    await page.locator(`vr-tour .spot[data-id="${DEMO_HOTSPOT_IDS.welcomeInfo}"]`).click();
    await page.locator('vr-tour [part=popover]').waitFor();
    const channel = await page.evaluate("document.querySelector('vr-tour').share()");
    expect(channel).toBe('copy');
    // Leaving the page: pagehide hands what is still queued to sendBeacon.
    await page.close({ runBeforeUnload: true });
    await context.close();

    let rows: EventRow[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      rows = await eventsOf(DEMO_TOUR_ID);
      if (['view', 'hotspot_click', 'share'].every((type) => rows.some((row) => row.type === type))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(pageErrors).toEqual([]);
    const ofType = (type: string) => rows.filter((row) => row.type === type);
    // Opened directly (no referrer), as the element on the demo page.
    expect(ofType('view')).toEqual([expect.objectContaining({ scene_id: DEMO_SCENE_IDS.lobby, data: { embed: 'element' } })]);
    expect(ofType('hotspot_click')).toEqual([
      expect.objectContaining({ scene_id: DEMO_SCENE_IDS.lobby, hotspot_id: DEMO_HOTSPOT_IDS.welcomeInfo }),
    ]);
    expect(ofType('share')).toEqual([expect.objectContaining({ scene_id: DEMO_SCENE_IDS.lobby, data: { channel: 'copy' } })]);
    // Only the types the viewer makes on this path (performance events are sampled).
    expect(rows.every((row) => ['view', 'scene_view', 'hotspot_click', 'share', 'performance'].includes(row.type))).toBe(true);

    // One anonymous session holds them all; it knows the browser, never the address.
    const sessionIds = new Set(rows.map((row) => row.session_id));
    expect(sessionIds.size).toBe(1);
    const sessions = await db.sql`SELECT * FROM user_sessions WHERE tour_id = ${DEMO_TOUR_ID}`;
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    expect(session).toMatchObject({
      id: [...sessionIds][0],
      event_count: rows.length,
      viewed: true,
      liked: false,
      entry_scene_id: DEMO_SCENE_IDS.lobby,
      browser: 'Chrome',
      os: 'Linux',
      device_type: 'desktop',
    });
    expect(JSON.stringify(session)).not.toContain('127.0.0.1');
    // Nor in the server's log: beacon requests are not logged with their address.
    expect(server.output().split('\n').filter((line) => line.includes('"url":"/collect'))).toEqual([]);

    const [tour] = await db.sql`SELECT view_count, like_count, share_count FROM tours WHERE id = ${DEMO_TOUR_ID}`;
    expect(tour).toEqual({ view_count: 1, like_count: 0, share_count: 1 });
    const daily = await db.sql`SELECT views, sessions, hotspot_clicks, shares, likes FROM tour_daily_stats WHERE tour_id = ${DEMO_TOUR_ID}`;
    expect(daily).toEqual([{ views: 1, sessions: 1, hotspot_clicks: 1, shares: 1, likes: 0 }]);

    // The collector in the server process counted the same, in its Prometheus text.
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(Number(/^collector_events_accepted_total (\d+)$/m.exec(metrics)?.[1])).toBe(rows.length);
    expect(metrics).toMatch(/^collector_events_dropped_total\{reason="bot"\} 0$/m);
  }, 120_000);
});
