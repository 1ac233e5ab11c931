import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/src/auth/sql.js';
import { waitFor } from '../../server/test/custom-domains/support/wait.js';
import { uploadTo } from '../../server/test/media/support.js';
import { demoPanorama, floorPlanImage, logoImage } from './panoramas.js';
import {
  checkPage,
  DESKTOP,
  expectAccessible,
  expectNoSidewaysScroll,
  logIn,
  openPage,
  PHONE,
  screenshotOf,
  signUp,
  startStudio,
  unexpectedErrors,
  type Studio,
} from './support.js';

// The tour editor's panels in Chromium against the real server and
// PostgreSQL: settings and archiving, branding (in the public document),
// floor plans placed by click and by keyboard, share and embed codes.
let studio: Studio;
let tourId: string;
const scenes: Record<string, string> = {};
const ACCOUNT = { email: 'panels@example.com', password: 'a long enough password' };

/** A script's JSON call with a token of the account. */
let api: (method: string, path: string, body?: unknown) => Promise<any>;

beforeAll(async () => {
  studio = await startStudio();
  const userId = await signUp(studio, ACCOUNT);
  const { token } = await createApiToken(studio.db.sql, userId, 'setup');
  const auth = { Authorization: `Bearer ${token}` };
  api = async (method, path, body) => {
    const response = await fetch(`${studio.app.url}/api/v1${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.json();
  };
  // A tour of two processed panoramas, made as a script would.
  tourId = (await api('POST', '/tours', { title: 'Harbour house' })).id;
  for (const room of ['lobby', 'garden'] as const) {
    const upload = await uploadTo(studio.app.url, auth, await demoPanorama(room, 1024), `${room}.jpg`);
    const media = (await upload.json()) as { id: string };
    await waitFor(`${room}.jpg to be processed`, async () => (await api('GET', `/media/${media.id}`)).status === 'ready', 120_000);
    scenes[room] = (await api('POST', '/scenes', { tourId, title: room, mediaId: media.id })).id;
  }
}, 240_000);

afterAll(async () => {
  await studio?.close();
});

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

async function openEditor(page: Page): Promise<void> {
  await logIn(page, studio, ACCOUNT);
  await page.goto(`${studio.app.url}/studio/tours/${tourId}`);
  await page.getByRole('heading', { name: 'Harbour house', level: 1 }).waitFor();
}

async function tourRow() {
  const [row] = await studio.db.sql<{ status: string; settings: any }[]>`SELECT status, settings FROM tours WHERE id = ${tourId}`;
  return row!;
}

async function sceneRow(id: string) {
  const [row] = await studio.db.sql<{ floor_plan_id: string | null; floor_plan_x: number | null; floor_plan_y: number | null; north_offset: number }[]>`
    SELECT floor_plan_id, floor_plan_x, floor_plan_y, north_offset FROM scenes WHERE id = ${id}`;
  return row!;
}

/** The tour document the preview's `<vr-tour>` was given. */
async function previewDocument(page: Page): Promise<{ src: string; document: any }> {
  const src = (await page.locator('vr-tour').getAttribute('src'))!;
  return { src, document: await page.evaluate((url) => fetch(url).then((response) => response.json()), src) };
}

/** Waits until a panel says its changes are on the server. */
const saved = (panel: Locator) => panel.getByRole('status').filter({ hasText: '✓ Saved' }).waitFor();

describe('the tour editor’s panels', () => {
  it('saves the settings as they change, says what is out of range, archives and restores', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await openEditor(page);
      const settings = region(page, 'Settings');
      await page.getByText(/Showing “lobby”/).waitFor({ timeout: 60_000 });

      await settings.getByLabel('Moving between scenes').selectOption({ label: 'Cut (no transition)' });
      await expect.poll(async () => (await tourRow()).settings.transition).toBe('none');
      // A cut has no length to set.
      expect(await settings.getByLabel('Crossfade length (milliseconds)').count()).toBe(0);

      await settings.getByLabel('Turn slowly by itself').check();
      await settings.getByLabel('Turning speed (degrees a second)').fill('-5');
      await settings.getByLabel('Start after (seconds without a touch)').fill('3');
      await settings.getByLabel('Start after (seconds without a touch)').press('Tab');
      await expect.poll(async () => (await tourRow()).settings.autorotate).toEqual({ enabled: true, speed: -5, idleMs: 3000 });
      await saved(settings);

      // Out of range: said beside the field, nothing sent, and the stored value stays.
      await settings.getByLabel('Turning speed (degrees a second)').fill('99');
      await settings.getByLabel('Turning speed (degrees a second)').press('Tab');
      await settings.getByText('Give a number from -30 to 30.').waitFor();
      expect(await settings.getByLabel('Turning speed (degrees a second)').getAttribute('aria-invalid')).toBe('true');
      await settings.getByText('Not saved: see the field marked.').waitFor();
      expect((await tourRow()).settings.autorotate.speed).toBe(-5);
      await settings.getByLabel('Turning speed (degrees a second)').fill('6');
      await settings.getByLabel('Show a compass').check();
      await expect.poll(async () => (await tourRow()).settings).toEqual({
        autorotate: { enabled: true, speed: 6, idleMs: 3000 },
        transition: 'none',
        transitionMs: 600,
        autoplayAudio: false,
        showCompass: true,
      });
      await saved(settings);
      // The preview runs with the saved settings.
      await expect.poll(async () => (await previewDocument(page)).document.settings.autorotate.speed).toBe(6);

      // Archived after a confirmation, then restored as a draft.
      await settings.getByRole('button', { name: 'Archive this tour' }).click();
      const dialog = page.getByRole('dialog', { name: 'Archive “Harbour house”?' });
      await dialog.getByRole('button', { name: 'Archive tour' }).click();
      await settings.getByRole('button', { name: 'Restore as draft' }).waitFor();
      expect((await tourRow()).status).toBe('archived');
      await page.getByText('Archived: hidden everywhere. Restore it to publish it again.').waitFor();
      await settings.getByRole('button', { name: 'Restore as draft' }).click();
      await settings.getByRole('button', { name: 'Archive this tour' }).waitFor();
      expect((await tourRow()).status).toBe('draft');
      await checkPage(page, 'editor-settings-desktop');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('brands the tour with a logo and colours, reloads the preview, and serves them in the public document', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await openEditor(page);
      const branding = region(page, 'Branding');
      await page.getByText(/Showing “lobby”/).waitFor({ timeout: 60_000 });
      const before = (await previewDocument(page)).src;

      await branding.getByLabel('Choose a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await logoImage() });
      await branding.getByText('logo.png is in.').waitFor({ timeout: 60_000 });
      await branding.getByRole('img', { name: 'Your logo' }).waitFor();
      await branding.getByLabel('Main colour').fill('#aa3300');
      await branding.getByLabel('Accent colour').fill('#ffcc00');
      await branding.getByLabel('Where the logo links (optional)').fill('agency.example');
      await branding.getByLabel('Where the logo links (optional)').press('Tab');
      await branding.getByText('Give an address starting with http:// or https://.').waitFor();
      await branding.getByLabel('Where the logo links (optional)').fill('https://agency.example/');
      await branding.getByLabel('Where the logo links (optional)').press('Tab');
      await branding.getByLabel('Show “Made with vr-tour”').uncheck();
      const stored = async () => {
        const [row] = await studio.db.sql`SELECT logo_url, primary_color, accent_color, link_url, show_powered_by FROM branding WHERE tour_id = ${tourId}`;
        return row;
      };
      await expect.poll(stored).toMatchObject({ primary_color: '#aa3300', accent_color: '#ffcc00', link_url: 'https://agency.example/', show_powered_by: false });
      expect((await stored())!.logo_url).toMatch(/^\/media\//);
      await saved(branding);
      // The preview read its document again after the branding changed.
      await expect.poll(async () => (await previewDocument(page)).src).not.toBe(before);
      await checkPage(page, 'editor-branding-desktop');

      // Published, unlisted: the public document carries the branding.
      const publishing = region(page, 'Publishing');
      await publishing.getByRole('radio', { name: 'Unlisted' }).check();
      await publishing.getByText('✓ Saved: unlisted.').waitFor();
      await publishing.getByRole('button', { name: 'Publish', exact: true }).click();
      await publishing.getByText('Published.', { exact: true }).waitFor();
      const published = await fetch(`${studio.app.url}/api/v1/public/tours/${tourId}`);
      expect(published.status).toBe(200);
      const document = (await published.json()) as { branding: unknown; settings: { transition: string } };
      expect(document.branding).toEqual({
        logoUrl: (await stored())!.logo_url,
        primaryColor: '#aa3300',
        accentColor: '#ffcc00',
        linkUrl: 'https://agency.example/',
        showPoweredBy: false,
      });
      expect(document.settings.transition).toBe('none');
      expect((await fetch(`${studio.app.url}${(await stored())!.logo_url}`)).status).toBe(200);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('places scenes on an uploaded floor plan by click and by keyboard, and turns them', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await openEditor(page);
      const plans = region(page, 'Floor plans');
      await plans.getByText('No floor plan yet.', { exact: false }).waitFor();
      await plans.getByLabel('Name of the new floor plan').fill('Ground floor');
      await plans.getByLabel('Choose the floor plan image').setInputFiles({ name: 'plan.png', mimeType: 'image/png', buffer: await floorPlanImage() });
      const image = plans.getByRole('img', { name: 'Floor plan: Ground floor' });
      await image.waitFor({ timeout: 60_000 });
      const [plan] = await studio.db.sql<{ id: string; width: number; height: number }[]>`SELECT id, width, height FROM floor_plans WHERE tour_id = ${tourId}`;
      expect(plan).toMatchObject({ width: 800, height: 500 });

      // By mouse: the first scene is picked; a click on the plan puts it there.
      expect(await plans.getByRole('radio', { name: 'lobby' }).isChecked()).toBe(true);
      const box = (await image.boundingBox())!;
      await image.click({ position: { x: box.width * 0.25, y: box.height * 0.3 } });
      await expect.poll(() => sceneRow(scenes.lobby!)).toMatchObject({ floor_plan_id: plan!.id });
      const lobby = await sceneRow(scenes.lobby!);
      expect(lobby.floor_plan_x).toBeCloseTo(0.25, 2);
      expect(lobby.floor_plan_y).toBeCloseTo(0.3, 2);
      await plans.getByRole('button', { name: 'lobby, 25% across, 30% down' }).waitFor();

      // By keyboard: pick the next scene with the arrow key, put it in the middle, move its marker.
      await plans.getByRole('radio', { name: 'lobby' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await plans.getByRole('radio', { name: 'garden' }).isChecked()).toBe(true);
      await plans.getByRole('button', { name: 'Put garden in the middle' }).focus();
      await page.keyboard.press('Enter');
      const marker = plans.getByRole('button', { name: /^garden, \d+% across/ });
      await expect.poll(() => marker.evaluate((element) => element.matches(':focus'))).toBe(true);
      for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowDown');
      await plans.getByRole('button', { name: 'garden, 53% across, 55% down' }).waitFor();
      await expect.poll(async () => {
        const row = await sceneRow(scenes.garden!);
        return [row.floor_plan_id, Number(row.floor_plan_x?.toFixed(3)), Number(row.floor_plan_y?.toFixed(3))];
      }).toEqual([plan!.id, 0.53, 0.55]);

      // Which way it faces on the plan sets its north (the plan's top counts as north).
      await plans.getByLabel('Where the middle of garden faces').fill('90');
      await plans.getByLabel('Where the middle of garden faces').press('Tab');
      await expect.poll(async () => (await sceneRow(scenes.garden!)).north_offset).toBe(-90);
      await saved(plans);
      await checkPage(page, 'editor-floor-plan-desktop');

      // The public document (published in the test before) shows the plan and where each scene is on it.
      const document = (await (await fetch(`${studio.app.url}/api/v1/public/tours/${tourId}`)).json()) as {
        floorPlans: { id: string; title: string; width: number }[];
        scenes: { title: string; northOffset: number; floorPlan: { floorPlanId: string; x: number; y: number } | null }[];
      };
      expect(document.floorPlans.map(({ id, title, width }) => ({ id, title, width }))).toEqual([{ id: plan!.id, title: 'Ground floor', width: 800 }]);
      const garden = document.scenes.find((scene) => scene.title === 'garden')!;
      expect(garden.northOffset).toBe(-90);
      expect(garden.floorPlan!.x).toBeCloseTo(0.53, 3);

      // Taken off again.
      await plans.getByRole('radio', { name: 'lobby' }).check();
      await plans.getByRole('button', { name: 'Take lobby off the plan' }).click();
      await expect.poll(async () => (await sceneRow(scenes.lobby!)).floor_plan_id).toBeNull();
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('copies the share link, the embed tags and the iframe code', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studio.app.url });
    try {
      await openEditor(page);
      const sharing = region(page, 'Share and embed');
      const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
      await sharing.getByRole('button', { name: 'Copy share link' }).click();
      expect(await clipboard()).toBe(`${studio.app.url}/t/${tourId}`);
      expect(await sharing.getByLabel('Share link').inputValue()).toBe(`${studio.app.url}/t/${tourId}`);
      await sharing.getByRole('button', { name: 'Copy embed code' }).click();
      expect(await clipboard()).toBe(
        `<script type="module" src="${studio.app.url}/vr-tour.js"></script>\n<vr-tour src="${studio.app.url}/api/v1/public/tours/${tourId}"></vr-tour>`,
      );
      await sharing.getByRole('button', { name: 'Copy iframe code' }).click();
      const iframe = await clipboard();
      expect(iframe).toMatch(new RegExp(`^<iframe src="${studio.app.url}/embed/${tourId}" title="Harbour house: 360° tour" `));
      expect(iframe).toContain('allowfullscreen');
      expect(await sharing.getByRole('link', { name: 'Show it at a domain of your own' }).getAttribute('href')).toBe(`/studio/domains?tour=${tourId}`);
      await checkPage(page, 'editor-sharing-desktop');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('works on a 390 px phone: every panel fits, and a tap places a scene', async () => {
    const { page, context, errors } = await openPage(studio.browser, PHONE);
    try {
      await openEditor(page);
      await page.getByText(/Showing “lobby”/).waitFor({ timeout: 60_000 });
      const plans = region(page, 'Floor plans');
      const image = plans.getByRole('img', { name: 'Floor plan: Ground floor' });
      await image.waitFor();
      await plans.getByRole('radio', { name: 'lobby' }).check();
      const box = (await image.boundingBox())!;
      await image.tap({ position: { x: box.width * 0.75, y: box.height * 0.5 } });
      await expect.poll(async () => Number((await sceneRow(scenes.lobby!)).floor_plan_x?.toFixed(2))).toBe(0.75);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page, 'editor-panels-phone');
      // The editor is too tall to photograph whole at this pixel ratio: each panel on its own.
      for (const [panel, name] of [['Floor plans', 'floor-plans'], ['Share and embed', 'sharing'], ['Settings', 'settings'], ['Branding', 'branding']]) {
        await screenshotOf(region(page, panel!), `editor-${name}-phone`);
      }
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
