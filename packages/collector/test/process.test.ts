import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { sendHalfABody } from '@vr-tour/testing/slow-client';
import { batch, ev, fireLoad, insertTours, METRICS_TOKEN, post, scrape, sleep, spawnCollector, storedIds, type ChildCollector } from './support.js';

// The standalone collector (src/main.ts) as a real process against a test database.
let db: TestDatabase;
let tours: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  tours = await insertTours(db.sql, 20);
});
afterAll(() => db?.drop());

describe('standalone collector process', () => {
  it('refuses to start on a bad setting, naming it', async () => {
    await expect(spawnCollector({ DATABASE_URL: db.url, DB_POOL: 'ten', QUEUE_MAX_EVENTS: '1e9x' })).rejects.toThrow(
      /exited \(2\)(?=[\s\S]*DB_POOL="ten": must be a whole number)(?=[\s\S]*QUEUE_MAX_EVENTS="1e9x": must be a whole number)/,
    );
  });

  it('kill -9 under load: every event answered 2xx is in the database', async () => {
    const collector = await spawnCollector({ DATABASE_URL: db.url });
    let stop = false;
    let killedAt = 0;
    const load = fireLoad({ url: () => collector.url, tours, concurrency: 32, perBatch: 10, stop: () => stop });
    // Kill once a good amount has been acknowledged, with many requests in flight.
    const stats = await Promise.race([
      load,
      (async () => {
        for (let i = 0; i < 200; i += 1) {
          await sleep(50);
          if ((await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events`)[0]!.n >= 3000) break;
        }
        collector.child.kill('SIGKILL');
        killedAt = Date.now();
        await collector.exited;
        await sleep(300);
        stop = true;
        return load;
      })(),
    ]);
    expect(killedAt).toBeGreaterThan(0);
    expect(stats.acked.length).toBeGreaterThan(1000);
    // Requests cut by the kill failed at the network level: never a 5xx.
    expect([...stats.statuses.keys()].filter((s) => s !== 200 && s !== 'network')).toEqual([]);
    const stored = await storedIds(db.sql, stats.acked);
    expect(stats.acked.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('SIGTERM drains: requests in the queue are committed and answered, then the process exits 0', async () => {
    const collector = await spawnCollector({ DATABASE_URL: db.url });
    let stop = false;
    const load = fireLoad({ url: () => collector.url, tours, concurrency: 32, perBatch: 10, stop: () => stop });
    await sleep(1500);
    collector.child.kill('SIGTERM');
    const code = await collector.exited;
    stop = true;
    const stats = await load;
    expect(code).toBe(0);
    expect(collector.output()).toContain('"msg":"stopped"');
    expect(stats.acked.length).toBeGreaterThan(100);
    // While draining, new batches are refused with 503 (retry elsewhere), never cut mid-commit.
    expect([...stats.statuses.keys()].filter((s) => s !== 200 && s !== 503 && s !== 'network')).toEqual([]);
    const stored = await storedIds(db.sql, stats.acked);
    expect(stats.acked.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('tells visitors apart by the address TRUST_PROXY makes of X-Forwarded-For, and answers preflights', async () => {
    const sessionsOf = async (tourId: string) =>
      (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM user_sessions WHERE tour_id = ${tourId}`)[0]!.n;
    const [trusting, untrusting] = await insertTours(db.sql, 2);
    // Trusted (the tests' loopback peer is in TRUST_PROXY): two forwarded addresses are two visitors, the same one again is the same visitor.
    const trusted = await spawnCollector({ DATABASE_URL: db.url, TRUST_PROXY: '127.0.0.0/8, ::1' });
    try {
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.1']) {
        expect((await post(trusted.url, batch(trusting!, [ev('view')]), { ip })).status).toBe(200);
      }
      const preflight = await fetch(trusted.url, { method: 'OPTIONS' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      trusted.child.kill('SIGTERM');
      await trusted.exited;
    }
    expect(await sessionsOf(trusting!)).toBe(2);
    // Not trusted (the proxies are elsewhere): the header is ignored, every request comes from the one loopback peer.
    const untrusted = await spawnCollector({ DATABASE_URL: db.url, TRUST_PROXY: '10.0.0.0/8' });
    try {
      for (const ip of ['198.51.100.1', '198.51.100.2']) {
        expect((await post(`${untrusted.url}?from=test`, batch(untrusting!, [ev('view')]), { ip })).status).toBe(200);
      }
    } finally {
      untrusted.child.kill('SIGTERM');
      await untrusted.exited;
    }
    expect(await sessionsOf(untrusting!)).toBe(1);
  });

  it('serves /metrics and /healthz', async () => {
    const collector = await spawnCollector({ DATABASE_URL: db.url });
    try {
      let stop = false;
      const load = fireLoad({ url: () => collector.url, tours, concurrency: 4, perBatch: 5, stop: () => stop });
      await sleep(300);
      stop = true;
      const stats = await load;
      expect((await fetch(`${collector.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${collector.base}/readyz`)).status).toBe(200);
      const text = await scrape(collector.base);
      const accepted = Number(/^collector_events_accepted_total (\d+)$/m.exec(text)?.[1]);
      const duplicates = Number(/^collector_events_duplicate_total (\d+)$/m.exec(text)?.[1]);
      expect(accepted + duplicates).toBe(stats.acked.length);
      expect(text).toMatch(/^collector_queue_events 0$/m);
      expect(text).toMatch(/^collector_database_up 1$/m);
    } finally {
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
  });

  it('serves /metrics to its token or listed addresses only; to anyone else it is a 404', async () => {
    const byToken = await spawnCollector({ DATABASE_URL: db.url });
    const byAddress = await spawnCollector({ DATABASE_URL: db.url, METRICS_TOKEN: '', METRICS_ALLOW: '198.51.100.0/24' });
    try {
      const status = async (collector: ChildCollector, headers: Record<string, string> = {}) =>
        (await fetch(`${collector.base}/metrics`, { headers })).status;
      expect(await status(byToken, { authorization: `Bearer ${METRICS_TOKEN}` })).toBe(200);
      expect(await status(byToken, { authorization: 'Bearer not-the-collector-token' })).toBe(404);
      expect(await status(byToken)).toBe(404);
      const refused = await fetch(`${byToken.base}/metrics`);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      // Through a trusted proxy (loopback), the forwarded client address decides.
      expect(await status(byAddress, { 'x-forwarded-for': '198.51.100.9' })).toBe(200);
      expect(await status(byAddress, { 'x-forwarded-for': '203.0.113.9' })).toBe(404);
      expect(await status(byAddress, { authorization: `Bearer ${METRICS_TOKEN}` })).toBe(404);
    } finally {
      for (const collector of [byToken, byAddress]) {
        collector.child.kill('SIGTERM');
        await collector.exited;
      }
    }
  });

  it('closes a connection whose request stops halfway through its body', async () => {
    // Small timeouts for the test; the bound it waits for is generous, and below the default (10 s).
    const collector = await spawnCollector({ DATABASE_URL: db.url, HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000' });
    try {
      const { answer } = await sendHalfABody(collector.url, { declaredBytes: 1000, body: '{"v":1,"tourId":', giveUpMs: 8_000 });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      // Whole requests are still served.
      expect((await post(collector.url, batch(tours[0]!, [ev('view')]), { ip: '198.51.100.77' })).status).toBe(200);
    } finally {
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
  });
});
