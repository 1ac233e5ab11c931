import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { createDomainChecks, type DomainChecks } from '../../src/custom-domains/checks.js';
import { SSL_MAX_ATTEMPTS } from '../../src/custom-domains/tls-check.js';
import { loadConfig } from '../../src/config.js';
import type { RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { insertTour } from '../support/fixtures.js';
import { DEPLOY_CADDYFILE, startCaddy, type RunningCaddy } from './support/caddy.js';
import { startDnsServer, type TestDnsServer } from './support/dns-server.js';
import {
  PLATFORM_URL,
  addDomain as addDomainVia,
  domainApi,
  domainEnvironment,
  getWithHost,
  readAnswer,
  startDomainApp,
  type DomainJson,
  type PlainResponse,
} from './support/domain-app.js';

// End to end through Debian's caddy running deploy/Caddyfile: on-demand TLS from its internal CA, asking our tls-ask.
// The file's on-demand burst (5 in 2 minutes) bounds the custom hosts that get certificates here: now tours, ssl, badcert, gone.
let db: TestDatabase;
let dns: TestDnsServer;
let app: RunningApp;
let caddy: RunningCaddy;
let caddyRoot: Buffer;
let checks: DomainChecks;
let untrusting: DomainChecks;
let creator: TestCaller;
let tourId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dns = await startDnsServer();
  app = await startDomainApp(db.sql, dns.address);
  caddy = await startCaddy({ upstream: new URL(app.url).host, platformHost: new URL(PLATFORM_URL).hostname });
  caddyRoot = await readFile(caddy.rootCaFile);
  const edge = { EDGE_ADDRESS: `127.0.0.1:${caddy.httpsPort}`, EDGE_CA_FILE: caddy.rootCaFile };
  checks = createDomainChecks(db.sql, loadConfig(domainEnvironment(dns.address, edge)).customDomains);
  // Trusting only the public roots, the internal CA's certificates cannot be valid: an edge serving bad ones.
  untrusting = createDomainChecks(db.sql, loadConfig(domainEnvironment(dns.address, { EDGE_ADDRESS: edge.EDGE_ADDRESS })).customDomains);
  creator = await createUserWithToken(db.sql);
  tourId = (await insertTour(db.sql, creator.userId, { title: 'Harbour loft' })).tourId;
});
afterAll(async () => {
  await caddy?.close();
  await app?.close();
  await dns?.close();
  await db?.drop();
});

const api = async (method: string, path = '') => {
  const response = await domainApi(app.url, creator)(method, path);
  return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as DomainJson) };
};

const addDomain = (host: string, verified: boolean, path = '/') => addDomainVia(app.url, creator, { host, tourId, path }, { verified, dns });

/** An HTTPS GET to the edge as a browser for `host` would make it: SNI and Host = host, trusting Caddy's root. */
function viaEdge(host: string, path = '/'): Promise<PlainResponse> {
  return readAnswer(request, { host: '127.0.0.1', port: caddy.httpsPort, servername: host, headers: { Host: host }, path, ca: caddyRoot, agent: false });
}

describe('through a real Caddy edge', () => {
  it('serves a verified host its tour over HTTPS, with an https canonical URL', async () => {
    await addDomain('tours.acme.test', true, '/listing-42');
    const page = await viaEdge('tours.acme.test', '/listing-42');
    expect(page.status, caddy.output()).toBe(200);
    expect(page.body).toContain('<title>Harbour loft</title>');
    expect(page.body).toContain(`<vr-tour src="/api/v1/public/tours/${tourId}"`);
    expect(page.body).toContain('<link rel="canonical" href="https://tours.acme.test/listing-42">');
    const document = await viaEdge('tours.acme.test', `/api/v1/public/tours/${tourId}`);
    expect(JSON.parse(document.body).title).toBe('Harbour loft');
  });

  it('serves the platform’s own host through the edge, and sends plain HTTP for a custom domain to HTTPS', async () => {
    const platformHost = new URL(PLATFORM_URL).hostname;
    const health = await viaEdge(platformHost, '/healthz');
    expect(health.status, caddy.output()).toBe(200);
    const plain = await getWithHost(`http://127.0.0.1:${caddy.httpPort}`, 'tours.acme.test', '/listing-42?x=1');
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe('https://tours.acme.test/listing-42?x=1');
  });

  it('fails the TLS handshake for an unverified host and an unknown one', async () => {
    await addDomain('pending.acme.test', false);
    await expect(viaEdge('pending.acme.test')).rejects.toThrow(/alert|socket|ECONNRESET/i);
    await expect(viaEdge('nobody.acme.test')).rejects.toThrow(/alert|socket|ECONNRESET/i);
  });

  it('marks the SSL status active once the edge serves a valid certificate for the host, and checks it again daily', async () => {
    const domain = await addDomain('ssl.acme.test', true);
    expect(domain.sslStatus).toBe('pending');
    expect((await checks.runDue()).tls).toBeGreaterThanOrEqual(1);
    const active = (await api('GET', `/${domain.id}`)).body!;
    expect(active).toMatchObject({ sslStatus: 'active', sslReason: null });
    expect(active.sslCheckedAt).toEqual(expect.any(String));

    // Checked just now: not due, even for a checker that would fail it.
    await untrusting.runDue();
    expect((await api('GET', `/${domain.id}`)).body).toMatchObject({ sslStatus: 'active', sslCheckedAt: active.sslCheckedAt });
    // A day later the edge no longer serves a valid certificate (as after a failed renewal): pending, saying why.
    await db.sql`UPDATE custom_domains SET ssl_checked_at = now() - interval '25 hours' WHERE id = ${domain.id}`;
    await untrusting.runDue();
    const lapsed = (await api('GET', `/${domain.id}`)).body!;
    expect(lapsed.sslStatus).toBe('pending');
    expect(lapsed.sslReason).toMatch(/did not serve a valid certificate for ssl\.acme\.test/);
    // And active again once it does.
    await db.sql`UPDATE custom_domains SET ssl_checked_at = NULL WHERE id = ${domain.id}`;
    await checks.runDue();
    expect((await api('GET', `/${domain.id}`)).body).toMatchObject({ sslStatus: 'active', sslReason: null });
  });

  it('marks the SSL status failed, with the reason, after repeated bad handshakes', async () => {
    const domain = await addDomain('badcert.acme.test', true);
    await untrusting.runDue();
    const first = (await api('GET', `/${domain.id}`)).body!;
    expect(first.sslStatus).toBe('pending');
    expect(first.sslReason).toMatch(/did not serve a valid certificate for badcert\.acme\.test/);

    await db.sql`UPDATE custom_domains SET ssl_attempts = ${SSL_MAX_ATTEMPTS - 1}, ssl_checked_at = NULL WHERE id = ${domain.id}`;
    await untrusting.runDue();
    const last = (await api('GET', `/${domain.id}`)).body!;
    expect(last.sslStatus).toBe('failed');
    expect(last.sslReason).toMatch(/^gave up after 10 attempts: the edge did not serve a valid certificate/);
  });

  it('stops serving a deleted host at once, though the edge still holds its certificate', async () => {
    const domain = await addDomain('gone.acme.test', true);
    expect((await viaEdge('gone.acme.test')).status).toBe(200);
    expect((await api('DELETE', `/${domain.id}`)).status).toBe(204);
    const after = await viaEdge('gone.acme.test');
    expect(after.status).toBe(404);
    expect(after.body).not.toContain(tourId);
  });
});

describe('deploy/Caddyfile', () => {
  it('is a configuration this caddy accepts', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'vr-tour-caddy-validate-'));
    try {
      // Production's environment: only the platform's name set, everything else at its default.
      const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, VR_TOUR_HOST: 'tours.example.com' };
      const { stdout, stderr } = await promisify(execFile)('caddy', ['validate', '--config', DEPLOY_CADDYFILE, '--adapter', 'caddyfile'], { env });
      expect(stdout + stderr).toContain('Valid configuration');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
