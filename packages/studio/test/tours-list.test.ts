import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, DESKTOP, logIn, openPage, signUp, startStudio, unexpectedErrors, type Studio } from './support.js';

// "My tours" with 1,000 tours: one page at a time (the API's keyset cursor),
// filters and search in the URL, only what was asked for in the DOM.
let studio: Studio;
const ACCOUNT = { email: 'busy@example.com', password: 'a long enough password' };

beforeAll(async () => {
  studio = await startStudio();
  await signUp(studio, ACCOUNT);
  // "Tour 1000" is the newest; every tenth is archived.
  await studio.db.sql`
    INSERT INTO tours (user_id, title, status, archived_at, created_at)
    SELECT u.id, 'Tour ' || lpad(i::text, 4, '0'),
           CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'draft' END::tour_status,
           CASE WHEN i % 10 = 0 THEN now() END,
           now() - (1000 - i) * interval '1 second'
    FROM users u, generate_series(1, 1000) AS i WHERE u.email = ${ACCOUNT.email}`;
}, 180_000);

afterAll(async () => {
  await studio?.close();
});

const cards = (page: Page) => page.getByRole('list', { name: 'Tours' }).getByRole('listitem');
const cardTitles = (page: Page) => page.getByRole('list', { name: 'Tours' }).getByRole('heading').allTextContents();

describe('my tours, with a thousand of them', () => {
  it('shows a page at a time, filters by status, searches by title, and makes a new tour', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    const listRequests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/tours' && request.method() === 'GET') listRequests.push(url);
    });
    try {
      await logIn(page, studio, ACCOUNT);

      await expect.poll(() => cards(page).count()).toBe(24);
      expect((await cardTitles(page)).slice(0, 2)).toEqual(['Tour 1000', 'Tour 0999']);
      await page.getByText('Showing the 24 newest tours.').waitFor();
      await checkPage(page, 'tours-many-desktop');

      await page.getByRole('button', { name: 'Show more tours' }).click();
      await expect.poll(() => cards(page).count()).toBe(48);
      expect((await cardTitles(page)).at(-1)).toBe('Tour 0953');
      // Each page asked for one page, from where the last ended.
      expect(listRequests.map((url) => [url.searchParams.get('limit'), url.searchParams.has('cursor')])).toEqual([
        ['24', false],
        ['24', true],
      ]);

      await page.getByLabel('Status').selectOption({ label: 'Archived' });
      await expect.poll(() => new URL(page.url()).search).toBe('?status=archived');
      await expect.poll(() => cardTitles(page)).toHaveLength(24);
      expect((await cardTitles(page)).slice(0, 2)).toEqual(['Tour 1000', 'Tour 0990']);
      expect((await cards(page).allTextContents()).every((card) => card.includes('Archived'))).toBe(true);

      // A search reads the list page by page until a page's worth matched or it ends.
      await page.getByLabel('Status').selectOption({ label: 'All tours' });
      listRequests.length = 0;
      await page.getByLabel('Search by title').fill('Tour 0007');
      await page.getByText('1 tour matches “Tour 0007”.').waitFor();
      expect(await cardTitles(page)).toEqual(['Tour 0007']);
      expect(listRequests.every((url) => url.searchParams.get('limit') === '100')).toBe(true);
      expect(listRequests).toHaveLength(10);
      await checkPage(page, 'tours-search-desktop');

      // The URL keeps the filters: a reload shows the same list.
      await page.goto(`${studio.app.url}/studio/tours?status=archived&q=Tour%20099`);
      await page.getByText('1 tour matches “Tour 099”.').waitFor();
      expect(await cardTitles(page)).toEqual(['Tour 0990']);
      expect(await page.getByLabel('Search by title').inputValue()).toBe('Tour 099');
      expect(await page.getByLabel('Status').inputValue()).toBe('archived');
      await page.getByLabel('Search by title').fill('no such tour');
      await page.getByText('No tours match. Try another title or status.').waitFor();

      await page.getByRole('button', { name: 'New tour' }).click();
      await page.getByLabel('Title of the new tour').fill('Fresh tour');
      await page.getByRole('button', { name: 'Create tour' }).click();
      await page.getByRole('heading', { name: 'Fresh tour' }).waitFor();
      await page.getByRole('link', { name: 'All my tours' }).click();
      await expect.poll(async () => (await cardTitles(page))[0]).toBe('Fresh tour');

      await page.goto(`${studio.app.url}/studio/no-such-page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await checkPage(page, 'not-found-desktop');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
