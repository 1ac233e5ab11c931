import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { uuidv7 } from '@vr-tour/protocol';
import { sendHalfABody } from '@vr-tour/testing/slow-client';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';
import { insertTour, insertUser } from '../support/fixtures.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-data-'));
});
afterAll(() => db.drop());

describe('the server process', () => {
  it('refuses to start on a bad setting, naming it', async () => {
    await expect(spawnServer({ DATABASE_URL: db.url, PORT: 'eighty', DATA_DIR: dataDir })).rejects.toThrow(
      /exited with 2[\s\S]*PORT="eighty"/,
    );
  });

  it('serves, then on SIGTERM stops answering readiness, finishes and exits 0', async () => {
    const userId = await insertUser(db.sql);
    const { tourId } = await insertTour(db.sql, userId);
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off' });
    const document = await fetch(`${server.url}/api/v1/public/tours/${tourId}`);
    expect(document.status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('serves /metrics to its METRICS_TOKEN only; to anyone else it is a 404', async () => {
    const token = 'server-test-scrape-token';
    await withServer({ METRICS_TOKEN: token }, async (server) => {
      const scrape = (headers: Record<string, string> = {}) => fetch(`${server.url}/metrics`, { headers });
      const allowed = await scrape({ authorization: `Bearer ${token}` });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/^collector_events_received_total \d+$/m);
      const strangers: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-server-token' }, { 'x-forwarded-for': '127.0.0.1' }];
      for (const headers of strangers) {
        const refused = await scrape(headers);
        expect(refused.status).toBe(404);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
    });
  });

  it('closes a connection whose request stops halfway through its body', async () => {
    // Small timeouts for the test; the bound it waits for is generous, and below the defaults (15 s idle, 10 min per request).
    await withServer({ HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000' }, async (server) => {
      const { answer } = await sendHalfABody(`${server.url}/api/v1/auth/login`, {
        declaredBytes: 1000,
        body: '{"email":',
        contentType: 'application/json',
        giveUpMs: 10_000,
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });

  it('believes X-Forwarded-For from the proxies in TRUST_PROXY only', async () => {
    const userId = await insertUser(db.sql);
    // Two beacons from two forwarded addresses: two visitors if the proxy (the test, on loopback) is trusted, else one.
    const visitorsSeen = async (env: Record<string, string>) => {
      const { tourId } = await insertTour(db.sql, userId);
      await withServer(env, async (server) => {
        for (const address of ['198.51.100.1', '198.51.100.2']) {
          const res = await fetch(`${server.url}/collect`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA, 'x-forwarded-for': address },
            body: JSON.stringify({ v: 1, tourId, events: [{ id: uuidv7(), type: 'view', offsetMs: 0 }] }),
          });
          expect(await res.json()).toMatchObject({ accepted: 1 });
        }
      });
      return (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM user_sessions WHERE tour_id = ${tourId}`)[0]!.n;
    };
    expect(await visitorsSeen({ TRUST_PROXY: '127.0.0.0/8, ::1' })).toBe(2);
    expect(await visitorsSeen({ TRUST_PROXY: '10.0.0.0/8' })).toBe(1);
  });
});

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The server process on the test database while `use` runs; stopped after. */
async function withServer(env: Record<string, string>, use: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off', ...env });
  try {
    await use(server);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}
