import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { createDomainChecks, startDomainCheckLoop, type DomainChecks } from '../../src/custom-domains/checks.js';
import { challengeName } from '../../src/custom-domains/hosts.js';
import type { DomainRow } from '../../src/custom-domains/sql.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { RunningApp } from '../support/app.js';
import { insertTour, insertUser } from '../support/fixtures.js';
import { startDnsServer, startSilentDnsServer, type SilentDnsServer, type TestDnsServer } from './support/dns-server.js';
import { EDGE_HOST, domainEnvironment, getWithHost, startDomainApp } from './support/domain-app.js';
import { waitFor } from './support/wait.js';

let db: TestDatabase;
let dns: TestDnsServer;
let silent: SilentDnsServer;
let app: RunningApp;
let checks: DomainChecks;
let timingOut: DomainChecks;
let userId: string;
let tourId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [dns, silent] = await Promise.all([startDnsServer(), startSilentDnsServer()]);
  app = await startDomainApp(db.sql, dns.address);
  checks = createDomainChecks(db.sql, loadConfig(domainEnvironment(dns.address)).customDomains);
  timingOut = createDomainChecks(db.sql, loadConfig(domainEnvironment(silent.address)).customDomains);
  userId = await insertUser(db.sql);
  tourId = (await insertTour(db.sql, userId)).tourId;
});
afterAll(async () => {
  await app?.close();
  await Promise.all([dns?.close(), silent?.close()]);
  await db?.drop();
});
beforeEach(() => dns.zone.clear());

let counter = 0;
/** A new pending domain, not yet due for a background check (so only the test decides when it is checked). */
async function newDomain(): Promise<DomainRow> {
  counter += 1;
  const [row] = await db.sql<DomainRow[]>`
    INSERT INTO custom_domains (user_id, tour_id, host, verification_token, next_check_at)
    VALUES (${userId}, ${tourId}, ${`site${counter}.acme.test`}, ${`${counter}`.padStart(32, 'a')}, now() + interval '1 day')
    RETURNING *`;
  return row!;
}

function publish(domain: DomainRow, records: { txt?: string | null; cname?: string | null } = {}) {
  const txt = records.txt === undefined ? domain.verification_token : records.txt;
  const cname = records.cname === undefined ? EDGE_HOST : records.cname;
  if (txt === null) dns.zone.delete(challengeName(domain.host));
  else dns.zone.set(challengeName(domain.host), { TXT: ['v=unrelated', txt] });
  if (cname === null) dns.zone.delete(domain.host);
  else dns.zone.set(domain.host, { CNAME: cname });
}

const load = async (id: string) => (await db.sql<DomainRow[]>`SELECT * FROM custom_domains WHERE id = ${id}`)[0]!;
const makeDue = (id: string) => db.sql`UPDATE custom_domains SET next_check_at = now() - interval '1 second' WHERE id = ${id}`;
const served = async (host: string) => (await getWithHost(app.url, host)).status === 200;

describe('verification against the DNS server', () => {
  it('verifies a domain with the right TXT and CNAME, then asks for a certificate', async () => {
    const domain = await newDomain();
    publish(domain);
    const outcome = await checks.verify(domain);
    expect(outcome!.check).toEqual({ ok: true });
    expect(outcome!.row).toMatchObject({ verification_status: 'verified', verification_reason: null, check_attempts: 0, ssl_status: 'pending' });
    expect(outcome!.row.verified_at).toBeInstanceOf(Date);
    expect(outcome!.row.last_checked_at).toBeInstanceOf(Date);
    // Next: the daily re-verification.
    expect(outcome!.row.next_check_at!.getTime() - outcome!.row.last_checked_at!.getTime()).toBe(24 * 3600 * 1000);
    expect(await served(domain.host)).toBe(true);
  });

  it.each([
    ['a wrong TXT value', { txt: 'f'.repeat(32) }, /TXT record _vr-tour-challenge\.site\d+\.acme\.test has the wrong value/],
    ['a missing TXT record', { txt: null }, /TXT record _vr-tour-challenge\.site\d+\.acme\.test is missing/],
    ['a CNAME to elsewhere', { cname: 'evil.example' }, /CNAME site\d+\.acme\.test points to evil\.example, not edge\.vr-tour\.test/],
    ['a missing CNAME', { cname: null }, /CNAME record site\d+\.acme\.test → edge\.vr-tour\.test is missing/],
  ])('keeps a new domain pending, retried, on %s', async (_what, records, reason) => {
    const domain = await newDomain();
    publish(domain, records);
    const outcome = await checks.verify(domain);
    expect(outcome!.check).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(reason) });
    expect(outcome!.row).toMatchObject({ verification_status: 'pending', check_attempts: 1, ssl_status: 'none' });
    expect(outcome!.row.verification_reason).toMatch(reason);
    expect(outcome!.row.next_check_at!.getTime()).toBeGreaterThan(outcome!.row.last_checked_at!.getTime());
    expect(await served(domain.host)).toBe(false);
  });

  it('accepts an apex whose addresses are the edge’s (ALIAS records)', async () => {
    const domain = await newDomain();
    publish(domain, { cname: null });
    dns.zone.set(domain.host, { A: ['192.0.2.10'] });
    dns.zone.set(EDGE_HOST, { A: ['192.0.2.10', '192.0.2.11'] });
    expect((await checks.verify(domain))!.row.verification_status).toBe('verified');
    dns.zone.set(domain.host, { A: ['198.51.100.7'] });
    const moved = await checks.verify(domain);
    expect(moved!.row.verification_status).toBe('failed');
    expect(moved!.row.verification_reason).toMatch(/points elsewhere/);
  });

  it('treats a DNS timeout as retryable: a new domain stays pending, a verified one stays served', async () => {
    const domain = await newDomain();
    const outcome = await timingOut.verify(domain);
    expect(outcome!.check).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/DNS timeout/) });
    expect(outcome!.row).toMatchObject({ verification_status: 'pending', check_attempts: 1 });
    expect(outcome!.row.verification_reason).toMatch(/DNS timeout/);
    expect(outcome!.row.next_check_at).not.toBeNull();

    publish(domain);
    await checks.verify(domain);
    const stillServed = await timingOut.verify(domain);
    expect(stillServed!.row).toMatchObject({ verification_status: 'verified', ssl_status: 'pending', check_attempts: 1 });
    expect(await served(domain.host)).toBe(true);
  });
});

describe('background checks', () => {
  it('checks due pending domains on the backoff schedule until the records appear', async () => {
    const domain = await newDomain();
    await makeDue(domain.id);
    expect((await checks.runDue()).dns).toBe(1);
    const first = await load(domain.id);
    expect(first).toMatchObject({ verification_status: 'pending', check_attempts: 1 });
    expect(first.next_check_at!.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing to do.
    expect((await checks.runDue()).dns).toBe(0);

    publish(domain);
    await makeDue(domain.id);
    await checks.runDue();
    expect(await load(domain.id)).toMatchObject({ verification_status: 'verified', check_attempts: 0 });
  });

  it('stops serving a verified host whose record is removed, says why, and recovers when it is back', async () => {
    const domain = await newDomain();
    publish(domain);
    await checks.verify(domain);
    expect(await served(domain.host)).toBe(true);

    publish(domain, { txt: null });
    await makeDue(domain.id);
    await checks.runDue();
    const lost = await load(domain.id);
    expect(lost).toMatchObject({ verification_status: 'failed', ssl_status: 'none', check_attempts: 1 });
    expect(lost.verification_reason).toMatch(/^no longer verified, not served: TXT record .* is missing/);
    expect(lost.next_check_at).not.toBeNull();
    expect(await served(domain.host)).toBe(false);
    expect((await fetch(`${app.url}/api/v1/custom-domains/tls-ask?domain=${domain.host}`)).status).toBe(404);

    publish(domain);
    await makeDue(domain.id);
    await checks.runDue();
    expect(await load(domain.id)).toMatchObject({ verification_status: 'verified', ssl_status: 'pending' });
    expect(await served(domain.host)).toBe(true);
  });

  it('stops serving a verified host whose CNAME now points elsewhere (dangling CNAME)', async () => {
    const domain = await newDomain();
    publish(domain);
    await checks.verify(domain);
    publish(domain, { cname: 'someone-else.example' });
    await makeDue(domain.id);
    await checks.runDue();
    expect((await load(domain.id)).verification_reason).toMatch(/points to someone-else\.example/);
    expect(await served(domain.host)).toBe(false);
  });

  it('gives up after days of failed checks', async () => {
    const domain = await newDomain();
    await db.sql`UPDATE custom_domains SET check_attempts = 500, next_check_at = now() - interval '1 second' WHERE id = ${domain.id}`;
    await checks.runDue();
    const row = await load(domain.id);
    expect(row).toMatchObject({ verification_status: 'failed', check_attempts: 501, next_check_at: null });
    expect(row.verification_reason).toMatch(/^gave up after 501 checks: TXT record .* is missing/);
  });

  it('runs rounds in a loop until stopped', async () => {
    const domain = await newDomain();
    publish(domain);
    await makeDue(domain.id);
    const stop = startDomainCheckLoop(checks, createLogger('silent'), 50);
    try {
      await waitFor('the loop to verify the domain', async () => (await load(domain.id)).verification_status === 'verified');
    } finally {
      await stop();
    }
  });
});
