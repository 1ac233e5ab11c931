import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadTo } from '../../server/test/media/support.js';
import { logoImage } from './panoramas.js';
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

// The account page in Chromium against the real server and PostgreSQL: an API
// token made, used by a script and revoked; logging out; the account deleted
// with everything in it.
let studio: Studio;
const OWNER = { email: 'owner@example.com', password: 'a long enough password' };
let userId: string;

beforeAll(async () => {
  studio = await startStudio();
  userId = await signUp(studio, OWNER);
}, 180_000);

afterAll(async () => {
  await studio?.close();
});

/** What a script with `token` gets from the editor API. */
function asScript(token: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return fetch(`${studio.app.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...headers }, ...(body ? { body } : {}) });
}

/** The page's markup, inside every shadow root, and the values of its fields. */
function everythingOn(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.documentElement.outerHTML];
    const visit = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) parts.push(element.value);
        if (element.shadowRoot) {
          parts.push(element.shadowRoot.innerHTML);
          visit(element.shadowRoot);
        }
      }
    };
    visit(document);
    return parts.join('\n');
  });
}

/** The rows the account holds, table by table. */
async function rowsOf(user: string) {
  const [counts] = await studio.db.sql<Record<string, number>[]>`
    SELECT
      (SELECT count(*)::int FROM users WHERE id = ${user}) AS users,
      (SELECT count(*)::int FROM tours WHERE user_id = ${user}) AS tours,
      (SELECT count(*)::int FROM scenes s JOIN tours t ON t.id = s.tour_id WHERE t.user_id = ${user}) AS scenes,
      (SELECT count(*)::int FROM media WHERE user_id = ${user}) AS media,
      (SELECT count(*)::int FROM custom_domains WHERE user_id = ${user}) AS custom_domains,
      (SELECT count(*)::int FROM api_tokens WHERE user_id = ${user}) AS api_tokens,
      (SELECT count(*)::int FROM auth_sessions WHERE user_id = ${user}) AS auth_sessions`;
  return counts!;
}

describe('the account page', () => {
  it('makes an API token that works as a Bearer token until it is revoked, and shows its secret once', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studio.app.url });
    try {
      const [tour] = await studio.db.sql<{ id: string }[]>`INSERT INTO tours (user_id, title) VALUES (${userId}, 'Loft') RETURNING id`;
      await logIn(page, studio, OWNER);
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
      await page.getByText('No tokens yet.').waitFor();
      await checkPage(page, 'account-desktop');

      // A name is needed, and said so beside the field.
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('Give the token a name.').waitFor();
      expect(await page.getByLabel('Name of the new token').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Name of the new token').fill('nightly import');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secretField = page.getByLabel('Secret of the new token');
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^vrt_[A-Za-z0-9_-]{40,}$/);
      await page.getByRole('region', { name: /Copy your new token “nightly import” now/ }).getByText('This is the only time it is shown.').waitFor();
      await page.getByRole('button', { name: 'Copy the new token' }).click();
      await page.getByRole('button', { name: 'Copy the new token' }).getByText('✓ Copied').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await checkPage(page, 'account-token-created-desktop');

      // The token is what a script uses: it lists this account's tours, and writes too.
      const listed = await asScript(secret, 'GET', '/tours');
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([tour!.id]);
      const [row] = await studio.db.sql<{ name: string; prefix: string }[]>`SELECT name, prefix FROM api_tokens WHERE user_id = ${userId}`;
      expect(row).toEqual({ name: 'nightly import', prefix: secret.slice(0, 10) });

      // Once put away, the secret is nowhere on the page, nor after a reload; the list shows its prefix only.
      await page.getByRole('button', { name: 'Done, I saved it' }).click();
      await expect.poll(() => secretField.count()).toBe(0);
      expect(await everythingOn(page)).not.toContain(secret);
      await page.reload();
      const tokens = page.getByRole('list', { name: 'Your API tokens' }).getByRole('listitem');
      await expect.poll(() => tokens.allTextContents()).toHaveLength(1);
      const [text] = await tokens.allTextContents();
      expect(text).toContain('nightly import');
      expect(text).toContain(`${secret.slice(0, 10)}…`);
      expect(text).toContain('last used');
      expect(text).not.toContain(secret);

      // Revoked after a confirmation: the script is refused from then on.
      await page.getByRole('button', { name: 'Revoke nightly import' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke “nightly import”?' });
      await dialog.waitFor();
      await checkPage(page, 'account-revoke-dialog-desktop');
      await dialog.getByRole('button', { name: 'Revoke token' }).click();
      await page.getByText('Token “nightly import” revoked.').waitFor();
      await page.getByText('No tokens yet.').waitFor();
      expect((await asScript(secret, 'GET', '/tours')).status).toBe(401);
      const [revoked] = await studio.db.sql<{ revoked: boolean }[]>`SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE user_id = ${userId}`;
      expect(revoked!.revoked).toBe(true);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('logs out from the account page', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    try {
      await logIn(page, studio, OWNER);
      await page.goto(`${studio.app.url}/studio/account`);
      await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
      await page.getByRole('region', { name: 'Log out' }).getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('vrt_session');
      await page.goto(`${studio.app.url}/studio/account`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('deletes the account and every row of it, after saying what is lost and asking for the email', async () => {
    const { page, context, errors } = await openPage(studio.browser, PHONE);
    try {
      await logIn(page, studio, OWNER);
      // What a script of this account made: an uploaded image, a scene, a custom domain.
      await page.goto(`${studio.app.url}/studio/account`);
      await page.getByLabel('Name of the new token').fill('setup');
      await page.getByRole('button', { name: 'Create token' }).click();
      const token = await page.getByLabel('Secret of the new token').inputValue();
      await page.getByRole('button', { name: 'Done, I saved it' }).click();
      const [tour] = await studio.db.sql<{ id: string }[]>`SELECT id FROM tours WHERE user_id = ${userId}`;
      const uploaded = await uploadTo(studio.app.url, { Authorization: `Bearer ${token}` }, await logoImage(), 'logo.png', { kind: 'image' }, 'image/png');
      expect(uploaded.status).toBe(202);
      const json = { 'Content-Type': 'application/json' };
      expect((await asScript(token, 'POST', '/scenes', JSON.stringify({ tourId: tour!.id, title: 'Hall' }), json)).status).toBe(201);
      expect((await asScript(token, 'POST', '/custom-domains', JSON.stringify({ host: 'tours.example.com', tourId: tour!.id }), json)).status).toBe(201);
      expect(await rowsOf(userId)).toMatchObject({ users: 1, tours: 1, scenes: 1, media: 1, custom_domains: 1, api_tokens: 2 });

      await page.reload();
      await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'account-phone');

      // Cancel keeps everything.
      await page.getByRole('button', { name: 'Delete my account…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
      await dialog.waitFor();
      const said = (await dialog.textContent())!.replace(/\s+/g, ' ');
      for (const text of ['1 tour, with their scenes', 'every panorama and image you uploaded', '1 custom domain', '1 API token', 'This cannot be undone.']) {
        expect(said).toContain(text);
      }
      const confirm = dialog.getByRole('button', { name: 'Delete my account' });
      expect(await confirm.isDisabled()).toBe(true);
      await checkPage(page, 'account-delete-dialog-phone');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      expect((await rowsOf(userId)).users).toBe(1);

      await page.getByRole('button', { name: 'Delete my account…' }).click();
      await dialog.getByLabel(`Type ${OWNER.email} to confirm`).fill('owner@example.co');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(`Type ${OWNER.email} to confirm`).fill(OWNER.email);
      await confirm.click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByText('Your account and everything in it were deleted.').waitFor();
      await checkPage(page, 'account-deleted-phone');

      expect(await rowsOf(userId)).toEqual({ users: 0, tours: 0, scenes: 0, media: 0, custom_domains: 0, api_tokens: 0, auth_sessions: 0 });
      expect((await asScript(token, 'GET', '/tours')).status).toBe(401);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('The email or the password is wrong.').waitFor();
      expect(unexpectedErrors(errors, [{ path: '/api/v1/auth/login', status: 401 }])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
