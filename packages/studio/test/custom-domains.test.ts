import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The server's own custom-domain test parts: an authoritative DNS server and Debian's caddy, both on loopback.
import { createDomainChecks, startDomainCheckLoop } from '../../server/src/custom-domains/checks.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { startCaddy, type RunningCaddy } from '../../server/test/custom-domains/support/caddy.js';
import { startDnsServer, type TestDnsServer } from '../../server/test/custom-domains/support/dns-server.js';
import { publishRecords } from '../../server/test/custom-domains/support/domain-app.js';
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

// Custom domains in the studio, against the real server, a DNS server on
// loopback and a real Caddy edge: records shown to copy, the DNS check asked
// for ("check now") and its cooldown, the certificate status following the
// server's background checks live, removal.
let studio: Studio;
let dns: TestDnsServer;
let caddy: RunningCaddy;
let tourId: string;
const EDGE_HOST = 'edge.vr-tour.test';
const ACCOUNT = { email: 'domains@example.com', password: 'a long enough password' };
const ENV = {
  EDGE_HOST,
  // Only names in the test zone are ever looked up: the network is never reached.
  DNS_SERVERS: '',
  DNS_TIMEOUT_MS: '250',
  // Long enough that a second "check now" in the test is always inside it.
  DOMAIN_VERIFY_COOLDOWN_MS: '600000',
};

beforeAll(async () => {
  dns = await startDnsServer();
  ENV.DNS_SERVERS = dns.address;
  studio = await startStudio({ env: ENV });
  caddy = await startCaddy({ upstream: new URL(studio.app.url).host, platformHost: 'studio.vr-tour.test' });
  const userId = await signUp(studio, ACCOUNT);
  const [tour] = await studio.db.sql<{ id: string }[]>`INSERT INTO tours (user_id, title) VALUES (${userId}, 'Harbour loft') RETURNING id`;
  tourId = tour!.id;
}, 180_000);

afterAll(async () => {
  await caddy?.close();
  await studio?.close();
  await dns?.close();
});

async function domainRow(host: string) {
  const [row] = await studio.db.sql<{ id: string; verification_token: string; verification_status: string; ssl_status: string }[]>`
    SELECT id, verification_token, verification_status, ssl_status FROM custom_domains WHERE host = ${host}`;
  return row;
}

async function addDomain(page: Page, host: string, path: string): Promise<void> {
  await page.getByLabel('Host', { exact: true }).fill(host);
  await page.getByLabel('Path (optional)').fill(path);
  await page.getByLabel('Tour', { exact: true }).selectOption({ label: 'Harbour loft' });
  await page.getByRole('button', { name: 'Add domain' }).click();
}

/** The words of a domain's card, spaces folded. */
const cardText = async (page: Page, heading: string) =>
  ((await page.getByRole('article', { name: heading }).textContent()) ?? '').replace(/\s+/g, ' ');

describe('custom domains in the studio', () => {
  it('adds a domain, shows the records to create, verifies it, and follows its certificate live', async () => {
    const { page, context, errors } = await openPage(studio.browser, DESKTOP);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studio.app.url });
    try {
      await logIn(page, studio, ACCOUNT);
      await page.getByRole('link', { name: 'Domains' }).click();
      await page.getByRole('heading', { name: 'Custom domains' }).waitFor();
      await page.getByText('No custom domains yet.').waitFor();
      await checkPage(page, 'domains-empty-desktop');

      // Refused input is said beside its field.
      await page.getByRole('button', { name: 'Add domain' }).click();
      await page.getByText('Enter the host, e.g. tours.example.com.').waitFor();
      await page.getByText('Choose the tour it shows.').waitFor();
      await addDomain(page, 'https://tours.acme.test', '');
      await page.getByText(/^Is a host name only/).waitFor();
      expect(await page.getByLabel('Host', { exact: true }).getAttribute('aria-invalid')).toBe('true');

      await addDomain(page, 'tours.acme.test', 'listing-42');
      const card = page.getByRole('article', { name: 'tours.acme.test/listing-42' });
      await card.waitFor();
      const row = (await domainRow('tours.acme.test'))!;
      const records = card.getByRole('list', { name: 'DNS records for tours.acme.test' }).getByRole('listitem');
      expect((await records.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
        `Type TXT Name _vr-tour-challenge.tours.acme.test Value ${row.verification_token}`,
        `Type CNAME Name tours.acme.test Value ${EDGE_HOST}`,
      ]);
      await card.getByRole('button', { name: 'Copy the TXT record value for tours.acme.test' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(row.verification_token);
      await card.getByRole('button', { name: 'Copy the CNAME record value for tours.acme.test' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(EDGE_HOST);
      expect(await cardText(page, 'tours.acme.test/listing-42')).toContain('Waiting for the DNS records Certificate after verification');
      await page.getByText('Following the checks').waitFor();
      await checkPage(page, 'domains-pending-desktop');

      // Checked before the records exist: what is missing, in words.
      await card.getByRole('button', { name: 'Check the DNS of tours.acme.test now' }).click();
      await card.getByText('Checked: TXT record _vr-tour-challenge.tours.acme.test is missing.').waitFor();
      // The cooldown: the server answers 429 with Retry-After, and the button says when to try again.
      await card.getByRole('button', { name: 'Check the DNS of tours.acme.test now' }).click();
      await card.getByText(/^Checked moments ago\. You can check again in (10 min|9 min \d+ s)\.$/).first().waitFor();
      expect(await card.getByRole('button', { name: 'Check the DNS of tours.acme.test now' }).getAttribute('aria-disabled')).toBe('true');
      // Announced once, in a status region; the countdown beside the button ticks silently.
      expect(await card.getByRole('status').filter({ hasText: 'Checked moments ago' }).count()).toBe(1);
      expect((await domainRow('tours.acme.test'))!.verification_status).toBe('pending');

      // The creator creates the records; the server's background checks find them.
      publishRecords(dns, [
        { type: 'TXT', name: '_vr-tour-challenge.tours.acme.test', value: row.verification_token },
        { type: 'CNAME', name: 'tours.acme.test', value: EDGE_HOST },
      ]);
      await studio.db.sql`UPDATE custom_domains SET next_check_at = now() WHERE id = ${row.id}`;
      const edge = { EDGE_ADDRESS: `127.0.0.1:${caddy.httpsPort}`, EDGE_CA_FILE: caddy.rootCaFile };
      const checks = createDomainChecks(studio.db.sql, loadConfig({ LOG_LEVEL: 'silent', ...ENV, ...edge }).customDomains);
      const stopChecks = startDomainCheckLoop(checks, createLogger('silent'), 500);
      try {
        // Both statuses change on the page without a click: verified, then the certificate from the edge.
        await card.getByText('DNS verified').waitFor({ timeout: 60_000 });
        await card.getByText('Certificate active').waitFor({ timeout: 60_000 });
      } finally {
        await stopChecks();
      }
      expect(await domainRow('tours.acme.test')).toMatchObject({ verification_status: 'verified', ssl_status: 'active' });
      // Settled: the page stops following, and links the live address.
      await expect.poll(() => page.getByText('Following the checks').count()).toBe(0);
      expect(await card.getByRole('link', { name: 'https://tours.acme.test/listing-42' }).getAttribute('href')).toBe('https://tours.acme.test/listing-42');
      expect(await card.getByRole('link', { name: 'Harbour loft' }).getAttribute('href')).toBe(`/studio/tours/${tourId}`);
      // The records stay at hand, folded away.
      await card.getByText('DNS records (keep them: they are checked daily)').click();
      await records.first().waitFor();
      await checkPage(page, 'domains-live-desktop');

      expect(unexpectedErrors(errors, [
        { path: '/api/v1/custom-domains', status: 400 },
        { path: `/api/v1/custom-domains/${row.id}/verify`, status: 429 },
      ])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('removes a domain after asking, on a phone', async () => {
    const { page, context, errors } = await openPage(studio.browser, PHONE);
    try {
      await logIn(page, studio, ACCOUNT);
      // From the tour's editor, the tour is chosen already.
      await page.goto(`${studio.app.url}/studio/domains?tour=${tourId}`);
      await page.getByRole('heading', { name: 'Custom domains' }).waitFor();
      await page.getByRole('article', { name: 'tours.acme.test/listing-42' }).waitFor();
      await expect.poll(() => page.getByLabel('Tour', { exact: true }).inputValue()).toBe(tourId);
      await page.getByLabel('Host', { exact: true }).fill('pending.acme.test');
      await page.getByRole('button', { name: 'Add domain' }).click();
      const card = page.getByRole('article', { name: 'pending.acme.test' });
      await card.waitFor();
      await expectNoSidewaysScroll(page);
      await checkPage(page, 'domains-phone');

      await card.getByRole('button', { name: 'Remove pending.acme.test' }).click();
      const dialog = page.getByRole('dialog', { name: 'Remove pending.acme.test?' });
      await dialog.getByText('pending.acme.test stops showing the tour at once.', { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Remove domain' }).click();
      await expect.poll(() => card.count()).toBe(0);
      expect(await domainRow('pending.acme.test')).toBeUndefined();
      expect(await page.getByRole('list', { name: 'Your custom domains' }).getByRole('listitem').count()).toBe(1);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
