import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '@vr-tour/protocol';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import type { RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { insertTour } from '../support/fixtures.js';
import { startDnsServer, type TestDnsServer } from './support/dns-server.js';
import { EDGE_HOST, addDomain, domainApi, getWithHost, publishRecords, startDomainApp, type DomainJson } from './support/domain-app.js';

let db: TestDatabase;
let dns: TestDnsServer;
let app: RunningApp;
let alice: TestCaller;
let bob: TestCaller;
let carol: TestCaller;
let aliceTour: string;
let bobTour: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dns = await startDnsServer();
  app = await startDomainApp(db.sql, dns.address);
  alice = await createUserWithToken(db.sql);
  bob = await createUserWithToken(db.sql);
  carol = await createUserWithToken(db.sql);
  aliceTour = (await insertTour(db.sql, alice.userId, { title: 'Listing 42 <"Sea" & Sun>' })).tourId;
  bobTour = (await insertTour(db.sql, bob.userId)).tourId;
});
afterAll(async () => {
  await app?.close();
  await dns?.close();
  await db?.drop();
});

const api = (caller: TestCaller | null, method: string, path = '', body?: unknown) => domainApi(app.url, caller)(method, path, body);

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return problemSchema.parse(await response.json()) as Record<string, unknown>;
}

const create = (caller: TestCaller, host: string, tourId: string, path?: string) =>
  addDomain(app.url, caller, { host, tourId, ...(path === undefined ? {} : { path }) }, { verified: false, dns });

/** Publishes the records a domain asks for, then verifies it through the API. */
const createVerified = (caller: TestCaller, host: string, tourId: string, path?: string) =>
  addDomain(app.url, caller, { host, tourId, ...(path === undefined ? {} : { path }) }, { verified: true, dns });

describe('creating a custom domain', () => {
  it('normalizes the host and answers the DNS records to create', async () => {
    const domain = await create(alice, '  Tours.ACME.com. ', aliceTour, 'listing-42/');
    expect(domain).toMatchObject({ host: 'tours.acme.com', path: '/listing-42', tourId: aliceTour, verificationStatus: 'pending', sslStatus: 'none' });
    const [txt, cname] = domain.dnsRecords;
    expect(txt).toMatchObject({ type: 'TXT', name: '_vr-tour-challenge.tours.acme.com' });
    expect(txt!.value).toMatch(/^[0-9a-f]{32}$/);
    expect(cname).toEqual({ type: 'CNAME', name: 'tours.acme.com', value: EDGE_HOST });
    const again = await create(alice, 'www.acme.com', aliceTour);
    expect(again.dnsRecords[0]!.value).not.toBe(txt!.value);
    expect(again.path).toBe('/');
  });

  it('stores an IDN as punycode', async () => {
    const domain = await create(alice, 'Bücher.example', aliceTour);
    expect(domain.host).toBe('xn--bcher-kva.example');
    expect(domain.dnsRecords[0]!.name).toBe('_vr-tour-challenge.xn--bcher-kva.example');
  });

  it.each([
    ['an IPv4 literal', '192.0.2.1'],
    ['an IPv6 literal', '[2001:db8::1]'],
    ['an IPv4 address in hex', '0x7f.1'],
    ['a public suffix', 'co.uk'],
    ['a private public suffix', 'github.io'],
    ['a top-level domain', 'com'],
    ['a single label', 'localhost'],
    ['a name with a space', 'my site.com'],
    ['the platform host', 'app.vr-tour.test'],
    ['a platform subdomain', 'evil.app.vr-tour.test'],
    ['the edge host', 'EDGE.vr-tour.test.'],
    ['a host with a path', 'tours.acme.com/listing-42'],
    ['a URL', 'https://tours.acme.com/'],
  ])('refuses %s', async (_what, host) => {
    const body = await problem(await api(alice, 'POST', '', { host, tourId: aliceTour }), 400);
    expect(body.errors).toEqual([expect.objectContaining({ path: 'host' })]);
  });

  it.each(['/api/x', '/media', '/a/../b', '/a b'])('refuses the path %s', async (path) => {
    const body = await problem(await api(alice, 'POST', '', { host: 'paths.acme.com', tourId: aliceTour, path }), 400);
    expect(body.errors).toEqual([expect.objectContaining({ path: 'path' })]);
  });

  it('needs a caller, and a tour of theirs', async () => {
    await problem(await api(null, 'POST', '', { host: 'anon.acme.com', tourId: aliceTour }), 401);
    await problem(await api(null, 'GET'), 401);
    await problem(await api(bob, 'POST', '', { host: 'theirs.acme.com', tourId: aliceTour }), 404);
  });

  it('gives a host one owner, and tells a second claimant nothing about the first', async () => {
    const first = await create(alice, 'claimed.acme.com', aliceTour);
    const response = await api(bob, 'POST', '', { host: 'CLAIMED.acme.com.', tourId: bobTour });
    const body = await problem(response, 409);
    const text = JSON.stringify(body);
    for (const secret of [first.id, alice.userId, aliceTour, first.dnsRecords[0]!.value]) expect(text).not.toContain(secret);
    await problem(await api(alice, 'POST', '', { host: 'claimed.acme.com', tourId: aliceTour }), 409);
  });
});

describe('moving a host to the account that controls its DNS', () => {
  it('moves a host claimed by someone who cannot verify it, once the claimant’s records are in the zone', async () => {
    const squat = await create(bob, 'squatted.acme.test', bobTour);
    const refused = await problem(await api(alice, 'POST', '', { host: 'squatted.acme.test', tourId: aliceTour }), 409);
    const records = refused.dnsRecords as DomainJson['dnsRecords'];
    expect(records).toEqual([
      { type: 'TXT', name: '_vr-tour-challenge.squatted.acme.test', value: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { type: 'CNAME', name: 'squatted.acme.test', value: EDGE_HOST },
    ]);
    for (const secret of [squat.id, bob.userId, bobTour, squat.dnsRecords[0]!.value]) expect(JSON.stringify(refused)).not.toContain(secret);

    publishRecords(dns, records);
    // The proof is Alice's: another account cannot ride on it.
    const { tourId: carolTour } = await insertTour(db.sql, carol.userId);
    await problem(await api(carol, 'POST', '', { host: 'squatted.acme.test', tourId: carolTour }), 409);

    const moved = await api(alice, 'POST', '', { host: 'squatted.acme.test', tourId: aliceTour, path: '/home' });
    expect(moved.status, await moved.clone().text()).toBe(201);
    const domain = (await moved.json()) as DomainJson;
    expect(domain).toMatchObject({ host: 'squatted.acme.test', tourId: aliceTour, path: '/home', verificationStatus: 'verified', sslStatus: 'pending' });
    expect(moved.headers.get('location')).toBe(`/api/v1/custom-domains/${domain.id}`);
    await problem(await api(bob, 'GET', `/${squat.id}`), 404);
    const bobs = (await (await api(bob, 'GET')).json()) as { items: DomainJson[] };
    expect(bobs.items.map((item) => item.host)).not.toContain('squatted.acme.test');
    const page = await getWithHost(app.url, 'squatted.acme.test', '/home');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<vr-tour src="/api/v1/public/tours/${aliceTour}"`);
  });

  it('leaves a verified host with its owner while the zone carries the owner’s records', async () => {
    const owned = await createVerified(alice, 'owned.acme.test', aliceTour);
    const refused = await problem(await api(bob, 'POST', '', { host: 'owned.acme.test', tourId: bobTour }), 409);
    expect(refused.check).toMatchObject({ ok: false, reason: expect.stringMatching(/has the wrong value/) });
    const kept = (await (await api(alice, 'GET', `/${owned.id}`)).json()) as DomainJson;
    expect(kept).toMatchObject({ verificationStatus: 'verified', tourId: aliceTour });
    const page = await getWithHost(app.url, 'owned.acme.test');
    expect(page.status).toBe(200);
    expect(page.body).toContain(aliceTour);
  });
});

describe('reading, verifying and deleting', () => {
  it('lists, reads and deletes only the caller’s domains; others get 404', async () => {
    const domain = await create(alice, 'private.acme.com', aliceTour);
    const listed = (await (await api(alice, 'GET')).json()) as { items: DomainJson[] };
    expect(listed.items.map((item) => item.host)).toContain('private.acme.com');
    const bobs = (await (await api(bob, 'GET')).json()) as { items: DomainJson[] };
    expect(bobs.items.map((item) => item.host)).not.toContain('private.acme.com');

    expect(((await (await api(alice, 'GET', `/${domain.id}`)).json()) as DomainJson).host).toBe('private.acme.com');
    await problem(await api(bob, 'GET', `/${domain.id}`), 404);
    await problem(await api(bob, 'POST', `/${domain.id}/verify`), 404);
    await problem(await api(bob, 'DELETE', `/${domain.id}`), 404);
    await problem(await api(alice, 'GET', '/not-a-uuid'), 400);

    expect((await api(alice, 'DELETE', `/${domain.id}`)).status).toBe(204);
    await problem(await api(alice, 'GET', `/${domain.id}`), 404);
    await problem(await api(alice, 'DELETE', `/${domain.id}`), 404);
  });
});

describe('"verify now"', () => {
  it('checks a domain at most once per cooldown, answering 429 with Retry-After in between; another creator still gets 404', async () => {
    const throttled = await startDomainApp(db.sql, dns.address, { DOMAIN_VERIFY_COOLDOWN_MS: '60000' });
    try {
      const call = (caller: TestCaller, method: string, path = '', body?: unknown) => domainApi(throttled.url, caller)(method, path, body);
      const domain = (await (await call(alice, 'POST', '', { host: 'often.acme.test', tourId: aliceTour })).json()) as DomainJson;
      const first = await call(alice, 'POST', `/${domain.id}/verify`);
      expect(first.status).toBe(200);
      const checked = (await first.json()) as DomainJson & { lastCheckedAt: string };

      const again = await call(alice, 'POST', `/${domain.id}/verify`);
      const refused = await problem(again, 429);
      expect(refused.detail).toMatch(/checked moments ago/);
      const wait = Number(again.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      await problem(await call(bob, 'POST', `/${domain.id}/verify`), 404);

      // The refused one ran no check: the domain is as the first check left it.
      const now = (await (await call(alice, 'GET', `/${domain.id}`)).json()) as DomainJson & { lastCheckedAt: string };
      expect(now.lastCheckedAt).toBe(checked.lastCheckedAt);
    } finally {
      await throttled.close();
    }
  });
});

describe('GET /api/v1/custom-domains/tls-ask', () => {
  const ask = (domain?: string) =>
    fetch(`${app.url}/api/v1/custom-domains/tls-ask${domain === undefined ? '' : `?domain=${encodeURIComponent(domain)}`}`);

  it('allows only verified hosts, with no credentials', async () => {
    await createVerified(alice, 'ask.acme.test', aliceTour);
    await create(alice, 'ask-pending.acme.test', aliceTour);
    expect((await ask('ask.acme.test')).status).toBe(200);
    expect((await ask('ASK.acme.test.')).status).toBe(200);
    await problem(await ask('ask-pending.acme.test'), 404);
    await problem(await ask('unknown.acme.test'), 404);
    await problem(await ask(), 400);
  });

  it('answers from the table, without asking DNS', async () => {
    await createVerified(alice, 'ask-offline.acme.test', aliceTour);
    dns.zone.delete('ask-offline.acme.test');
    dns.zone.delete('_vr-tour-challenge.ask-offline.acme.test');
    expect((await ask('ask-offline.acme.test')).status).toBe(200);
  });
});

describe('host routing', () => {
  it('serves a verified host the linked tour’s page, escaped, with its preview tags', async () => {
    await createVerified(alice, 'tours.acme.test', aliceTour, '/listing-42');
    for (const path of ['/listing-42', '/listing-42?utm_source=mail']) {
      const page = await getWithHost(app.url, 'tours.acme.test', path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<script type="module" src="/vr-tour.js"></script>');
      expect(page.body).toContain(`<vr-tour src="/api/v1/public/tours/${aliceTour}"`);
      expect(page.body).toContain('<title>Listing 42 &lt;&quot;Sea&quot; &amp; Sun&gt;</title>');
      expect(page.body).not.toContain('<"Sea"');
      expect(page.body).toContain('<meta property="og:title" content="Listing 42 &lt;&quot;Sea&quot; &amp; Sun&gt;">');
      expect(page.body).toContain('<link rel="canonical" href="http://tours.acme.test/listing-42">');
      expect(page.body).toContain('<meta property="og:url" content="http://tours.acme.test/listing-42">');
    }
    // The Host header's own spelling does not matter.
    expect((await getWithHost(app.url, 'TOURS.acme.test.', '/listing-42')).status).toBe(200);
  });

  it('leads the host’s root and the trailing-slash spelling to the tour’s one URL, and nothing else', async () => {
    const root = await getWithHost(app.url, 'tours.acme.test', '/?ref=card');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/listing-42?ref=card');
    const slash = await getWithHost(app.url, 'tours.acme.test', '/listing-42/');
    expect(slash.status).toBe(308);
    expect(slash.headers.location).toBe('/listing-42');
    for (const path of ['/listing-42/kitchen', '/listing-4', '/listing-420', '/Listing-42', '/favicon.ico']) {
      const response = await getWithHost(app.url, 'tours.acme.test', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toContain('Not found');
    }
  });

  it('serves a tour at the root at the root only', async () => {
    const { tourId } = await insertTour(db.sql, alice.userId, { title: 'At the root' });
    await db.sql`UPDATE tours SET description = 'Two rooms & a view', thumbnail_url = '/media/thumb.webp' WHERE id = ${tourId}`;
    await createVerified(alice, 'root.acme.test', tourId);
    const page = await getWithHost(app.url, 'root.acme.test', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<link rel="canonical" href="http://root.acme.test/">');
    expect(page.body).toContain('<meta property="og:description" content="Two rooms &amp; a view">');
    // Link previews fetch the image from elsewhere: it must be absolute, on the custom host.
    expect(page.body).toContain('<meta property="og:image" content="http://root.acme.test/media/thumb.webp">');
    for (const path of ['/anything', '/robots.txt', '/api/v1/custom-domains']) {
      expect((await getWithHost(app.url, 'root.acme.test', path)).status, path).toBe(404);
    }
  });

  it('passes through what the page loads, and nothing else', async () => {
    const document = await getWithHost(app.url, 'tours.acme.test', `/api/v1/public/tours/${aliceTour}`);
    expect(document.status).toBe(200);
    expect(JSON.parse(document.body).id).toBe(aliceTour);
    for (const path of [`/api/v1/public/tours/${bobTour}`, '/api/v1/custom-domains', '/api/v1/public/tours', '/elsewhere', '/healthz']) {
      const response = await getWithHost(app.url, 'tours.acme.test', path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain(bobTour);
    }
  });

  it('answers the plain 404 page for unverified, unknown and deleted hosts', async () => {
    await create(bob, 'unverified.acme.test', bobTour);
    const deleted = await createVerified(alice, 'deleted.acme.test', aliceTour);
    expect((await getWithHost(app.url, 'deleted.acme.test')).status).toBe(200);
    expect((await api(alice, 'DELETE', `/${deleted.id}`)).status).toBe(204);
    for (const host of ['unverified.acme.test', 'unknown.acme.test', 'deleted.acme.test']) {
      const response = await getWithHost(app.url, host);
      expect(response.status, host).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('Not found');
      expect(response.body).not.toMatch(/vr-tour src|[0-9a-f]{8}-[0-9a-f]{4}/);
    }
  });

  it('stops serving a tour that is no longer public', async () => {
    const { tourId } = await insertTour(db.sql, alice.userId, { title: 'Soon private' });
    await createVerified(alice, 'private-tour.acme.test', tourId);
    expect((await getWithHost(app.url, 'private-tour.acme.test')).status).toBe(200);
    await db.sql`UPDATE tours SET visibility = 'private' WHERE id = ${tourId}`;
    expect((await getWithHost(app.url, 'private-tour.acme.test')).status).toBe(404);
  });

  it('leaves the platform’s own hosts to the app', async () => {
    const health = await getWithHost(app.url, 'app.vr-tour.test', '/healthz');
    expect(health.status).toBe(200);
    const byAddress = await fetch(`${app.url}/api/v1/public/tours/${bobTour}`);
    expect(byAddress.status).toBe(200);
  });
});
