import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { challengeName } from '../../src/custom-domains/hosts.js';
import type { DomainRow } from '../../src/custom-domains/sql.js';
import { insertTour, insertUser } from '../support/fixtures.js';
import { spawnServer } from '../support/spawn-server.js';
import { startDnsServer, startSilentDnsServer, type SilentDnsServer, type TestDnsServer } from './support/dns-server.js';
import { EDGE_HOST, domainEnvironment, getWithHost } from './support/domain-app.js';
import { waitFor } from './support/wait.js';

// The background checks as the real server process (main.ts) runs them.
let db: TestDatabase;
let dns: TestDnsServer;
let silent: SilentDnsServer;
let dataDir: string;
let userId: string;
let tourId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [dns, silent] = await Promise.all([startDnsServer(), startSilentDnsServer()]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-domains-process-'));
  userId = await insertUser(db.sql);
  tourId = (await insertTour(db.sql, userId, { title: 'Checked in the background' })).tourId;
});
afterAll(async () => {
  await Promise.all([dns?.close(), silent?.close()]);
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A pending domain whose first background check is due now, as the API creates it. */
async function dueDomain(host: string): Promise<DomainRow> {
  const [row] = await db.sql<DomainRow[]>`
    INSERT INTO custom_domains (user_id, tour_id, host, verification_token)
    VALUES (${userId}, ${tourId}, ${host}, ${'c'.repeat(32)}) RETURNING *`;
  return row!;
}

const load = async (id: string) => (await db.sql<DomainRow[]>`SELECT * FROM custom_domains WHERE id = ${id}`)[0]!;

function serverEnv(dnsServer: string, extra: Record<string, string> = {}) {
  // LOG_LEVEL info: spawnServer waits for the `listening` line.
  return { ...domainEnvironment(dnsServer, extra), LOG_LEVEL: 'info', DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off' };
}

describe('the server process', () => {
  it('verifies a due domain in the background and serves it, then stops on SIGTERM', async () => {
    const domain = await dueDomain('background.acme.test');
    dns.zone.set(challengeName(domain.host), { TXT: [domain.verification_token] });
    dns.zone.set(domain.host, { CNAME: EDGE_HOST });
    const server = await spawnServer(serverEnv(dns.address));
    try {
      await waitFor('the background check to verify the domain', async () => (await load(domain.id)).verification_status === 'verified');
      const page = await getWithHost(server.url, domain.host);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Checked in the background</title>');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('on SIGTERM, lets a check in flight finish and record its outcome before the database closes', async () => {
    const domain = await dueDomain('inflight.acme.test');
    // Each look-up waits out the timeout in full, so the round is still running when the signal arrives.
    const queried = silent.nextQuery();
    const server = await spawnServer(serverEnv(silent.address, { DNS_TIMEOUT_MS: '1500' }));
    await queried;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const row = await load(domain.id);
    expect(row.last_checked_at).toBeInstanceOf(Date);
    expect(row).toMatchObject({ verification_status: 'pending', check_attempts: 1 });
    expect(row.verification_reason).toMatch(/DNS timeout/);
    expect(server.output()).not.toContain('custom domain checks failed');
  });
});
