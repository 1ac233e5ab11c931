import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPanorama, notPanorama } from './panoramas.js';
import {
  checkPage,
  DESKTOP,
  expectNoSidewaysScroll,
  logIn,
  openPage,
  PHONE,
  signUp,
  startStudio,
  unexpectedErrors,
  type Studio,
} from './support.js';

// A creator's whole path through the studio, in Chromium, against the real
// server (with its media worker) and PostgreSQL: elements are found by role
// and label, as a person finds them.
let studio: Studio;
let lobby: Buffer;
let garden: Buffer;

/** An account made through the API, for the tests that start logged out. */
const MAKER = { email: 'maker@example.com', password: 'a long enough password' };

beforeAll(async () => {
  studio = await startStudio();
  [lobby, garden] = await Promise.all([demoPanorama('lobby'), demoPanorama('garden')]);
  await signUp(studio, MAKER);
}, 180_000);

afterAll(async () => {
  await studio?.close();
});

const pathOf = (page: Page) => new URL(page.url()).pathname;
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The text of the elements an input's aria-describedby names. */
function description(page: Page, label: string): Promise<string> {
  return page.getByLabel(label).evaluate((input) => {
    const root = input.getRootNode() as Document | ShadowRoot;
    return (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => root.getElementById(id)?.textContent ?? '').join(' ');
  });
}

/** Waits until `count` items of the uploads list read `text` as their status. */
async function waitForUploads(page: Page, text: string, count: number): Promise<void> {
  const statuses = page.getByRole('list', { name: 'Uploads' }).getByRole('status');
  await expect.poll(async () => (await statuses.allTextContents()).filter((status) => status === text).length, { timeout: 120_000, interval: 250 }).toBe(count);
}

async function tourRow(tourId: string) {
  const [row] = await studio.db.sql<{ title: string; description: string | null; status: string; visibility: string }[]>`
    SELECT title, description, status, visibility FROM tours WHERE id = ${tourId}`;
  return row;
}

describe('a creator in the studio', () => {
  it('signs up, makes a tour of two panoramas, publishes it, and finds it among their tours', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await page.goto(`${studio.app.url}/studio/`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(pathOf(page)).toBe('/studio/login');
      await checkPage(page, 'login-desktop');

      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      expect(pathOf(page)).toBe('/studio/signup');
      await checkPage(page, 'signup-desktop');

      // A password the server refuses: its words stand beside the field, tied to it.
      await page.getByLabel('Your name (optional)').fill('Maria');
      await page.getByLabel('Email').fill('maria@example.com');
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Must be at least 10 characters.').waitFor();
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      expect(await description(page, 'Password')).toContain('Must be at least 10 characters.');
      await checkPage(page, 'signup-errors-desktop');

      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'My tours' }).waitFor();
      expect(pathOf(page)).toBe('/studio/tours');
      await checkPage(page, 'tours-empty-desktop');

      await page.getByLabel('Title of the new tour').fill('Harbour house');
      await page.getByRole('button', { name: 'Create tour' }).click();
      await page.getByRole('heading', { name: 'Harbour house' }).waitFor();
      const tourId = /^\/studio\/tours\/([0-9a-f-]{36})$/.exec(pathOf(page))![1]!;
      await checkPage(page, 'editor-empty-desktop');

      // Two panoramas at once, through the file picker.
      await page.getByLabel('Choose panoramas').setInputFiles([
        { name: 'lobby.jpg', mimeType: 'image/jpeg', buffer: lobby },
        { name: 'garden-view.jpg', mimeType: 'image/jpeg', buffer: garden },
      ]);
      await waitForUploads(page, 'Ready', 2);
      for (const [name, size] of [['lobby.jpg', lobby.length], ['garden-view.jpg', garden.length]] as const) {
        const bar = page.getByRole('progressbar', { name: `Upload of ${name}` });
        expect(await bar.evaluate((progress: HTMLProgressElement) => [progress.value, progress.max])).toEqual([size, size]);
        const processing = page.getByRole('progressbar', { name: `Processing of ${name}` });
        expect(await processing.evaluate((progress: HTMLProgressElement) => progress.value)).toBe(100);
      }
      const scenes = page.getByRole('list', { name: 'Scenes of this tour' }).getByRole('listitem');
      await expect.poll(async () => (await scenes.allTextContents()).map(words), { timeout: 30_000 }).toEqual([
        'lobby Ready Start scene Show in preview',
        'garden view Ready Show in preview',
      ]);

      // The live preview draws the first scene.
      await page.getByText(/Showing “lobby”/).waitFor({ timeout: 60_000 });
      const preview = await sharp(await page.locator('vr-tour').screenshot()).stats();
      expect(Math.max(...preview.channels.map((channel) => channel.stdev))).toBeGreaterThan(10);
      await page.getByRole('button', { name: 'Show garden view in the preview' }).click();
      await page.getByText(/Showing “garden view”/).waitFor({ timeout: 60_000 });
      await checkPage(page, 'editor-ready-desktop');

      // Details save as they are typed: no Save button.
      expect(await page.getByRole('button', { name: /^save/i }).count()).toBe(0);
      await page.getByLabel('Title', { exact: true }).fill('Harbour house, renovated');
      await page.getByText('✓ Saved').waitFor();
      await page.getByRole('heading', { name: 'Harbour house, renovated' }).waitFor();
      expect((await tourRow(tourId))!.title).toBe('Harbour house, renovated');
      await page.getByLabel('Description').fill('Two rooms by the sea.');
      await page.getByLabel('Description').press('Tab');
      await expect.poll(async () => (await tourRow(tourId))!.description).toBe('Two rooms by the sea.');
      await page.getByText('✓ Saved').waitFor();

      // Public, then published.
      await page.getByRole('radio', { name: 'Public' }).check();
      await page.getByText('✓ Saved: public.').waitFor();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByText('Published.', { exact: true }).waitFor();
      expect(await tourRow(tourId)).toMatchObject({ status: 'published', visibility: 'public' });
      expect(await page.getByLabel('Embed code').inputValue()).toContain(`<vr-tour src="${studio.app.url}/api/v1/public/tours/${tourId}"></vr-tour>`);
      await page.getByRole('button', { name: 'Unpublish' }).waitFor();
      await checkPage(page, 'editor-published-desktop');

      const published = await fetch(`${studio.app.url}/api/v1/public/tours/${tourId}`);
      expect(published.status).toBe(200);
      const document = (await published.json()) as { title: string; scenes: { title: string; panorama: { levels: unknown[] } }[] };
      expect(document.title).toBe('Harbour house, renovated');
      expect(document.scenes.map((scene) => scene.title)).toEqual(['lobby', 'garden view']);
      expect(document.scenes.every((scene) => scene.panorama.levels.length > 0)).toBe(true);
      const rows = await studio.db.sql`
        SELECT s.title, m.status, m.original_name FROM scenes s JOIN media m ON m.id = s.media_id WHERE s.tour_id = ${tourId} ORDER BY s.sort_order`;
      expect(rows.map((row) => [row.title, row.status, row.original_name])).toEqual([
        ['lobby', 'ready', 'lobby.jpg'],
        ['garden view', 'ready', 'garden-view.jpg'],
      ]);

      // Among my tours: thumbnail, status, visibility, counts.
      await page.getByRole('link', { name: 'My tours', exact: true }).click();
      await page.getByRole('heading', { name: 'My tours' }).waitFor();
      const cards = page.getByRole('list', { name: 'Tours' }).getByRole('listitem');
      await expect.poll(() => cards.count()).toBe(1);
      const card = await cards.first().textContent();
      for (const text of ['Harbour house, renovated', 'Published', 'Public', '0 views · 0 likes · 0 shares']) expect(card).toContain(text);
      expect(await cards.first().locator('img').getAttribute('src')).toMatch(/^\/media\//);
      await checkPage(page, 'tours-list-desktop');

      // Out, kept out, and back in where they were going.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      // Signing up again with the same email signs no one in, and points to logging in.
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill('maria@example.com');
      await page.getByLabel('Password').fill('another long password');
      await page.getByRole('button', { name: 'Create account' }).click();
      expect(await page.getByRole('alert').textContent()).toMatch(/log in instead\.$/);
      expect(pathOf(page)).toBe('/studio/signup');
      expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('vrt_session');
      await page.goto(`${studio.app.url}/studio/tours/${tourId}`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByLabel('Email').fill('maria@example.com');
      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Harbour house, renovated' }).waitFor();
      expect(pathOf(page)).toBe(`/studio/tours/${tourId}`);

      // The refused password (400); a taken email may be answered 409, or alike for any email.
      expect(unexpectedErrors(errors, [{ path: '/api/v1/auth/signup', status: 400 }, { path: '/api/v1/auth/signup', status: 409 }])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('says in words why a file is refused, and keeps nothing of it', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await logIn(page, studio, MAKER);
      // A first tour: the form is open at once.
      await page.getByLabel('Title of the new tour').fill('Refusals');
      await page.getByRole('button', { name: 'Create tour' }).click();
      await page.getByRole('heading', { name: 'Refusals' }).waitFor();
      const [user] = await studio.db.sql<{ id: string }[]>`SELECT id FROM users WHERE email = ${MAKER.email}`;
      const userId = user!.id;

      // One file dropped on the zone, one picked.
      const dropped = await page.evaluateHandle((base64) => {
        const transfer = new DataTransfer();
        const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], 'square.jpg', { type: 'image/jpeg' }));
        return transfer;
      }, (await notPanorama()).toString('base64'));
      const zone = page.getByRole('group', { name: 'Drop panoramas here' });
      await zone.dispatchEvent('dragover', { dataTransfer: dropped });
      await zone.dispatchEvent('drop', { dataTransfer: dropped });
      await page.getByLabel('Choose panoramas').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') }]);
      const statuses = page.getByRole('list', { name: 'Uploads' }).getByRole('status');
      await expect.poll(() => statuses.allTextContents(), { timeout: 30_000 }).toEqual([
        'Refused: A panorama must be equirectangular, twice as wide as it is high (2:1); this image is 1000x800 (1.25:1).',
        'Refused: This file is text/plain, not a JPEG, PNG, WebP or AVIF image.',
      ]);
      await checkPage(page, 'editor-refused-desktop');

      const [media] = await studio.db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM media WHERE user_id = ${userId}`;
      const [scenes] = await studio.db.sql<{ count: number }[]>`
        SELECT count(*)::int AS count FROM scenes s JOIN tours t ON t.id = s.tour_id WHERE t.user_id = ${userId}`;
      expect([media!.count, scenes!.count]).toEqual([0, 0]);
      expect(await page.getByText('No scenes yet.', { exact: false }).count()).toBe(1);

      await page.getByRole('button', { name: 'Dismiss square.jpg' }).click();
      await expect.poll(() => statuses.count()).toBe(1);
      expect(unexpectedErrors(errors, [{ path: '/api/v1/media', status: 422 }])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('works on a 390 px phone screen', async () => {
    const { page, context, errors } = await openPage(studio.browser, PHONE);
    try {
      await page.goto(`${studio.app.url}/studio/login`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'login-phone');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'signup-phone');

      await logIn(page, studio, MAKER);
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'tours-list-phone');

      await page.getByRole('link', { name: 'Refusals' }).click();
      await page.getByRole('heading', { name: 'Refusals' }).waitFor();
      await page.getByLabel('Choose panoramas').setInputFiles([{ name: 'lobby.jpg', mimeType: 'image/jpeg', buffer: lobby }]);
      await waitForUploads(page, 'Ready', 1);
      await page.getByText(/Showing “lobby”/).waitFor({ timeout: 60_000 });
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'editor-phone');

      await page.goto(`${studio.app.url}/studio/no-such-page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await checkPage(page, 'not-found-phone');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
