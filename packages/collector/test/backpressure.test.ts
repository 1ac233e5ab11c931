import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { batch, ev, insertTours, post, startInProcess, storedIds } from './support.js';

let db: TestDatabase;
let tour: string;

beforeAll(async () => {
  db = await createTestDatabase();
  tour = (await insertTours(db.sql, 1))[0]!;
});
afterAll(() => db?.drop());

describe('backpressure', () => {
  it('answers 429 with Retry-After past the per-IP and per-tour token buckets', async () => {
    const app = await startInProcess({
      sql: db.sql,
      rateLimit: { perIp: { ratePerSecond: 0.01, burst: 10 }, perTour: { ratePerSecond: 0.01, burst: 25 } },
    });
    try {
      const [other] = await insertTours(db.sql, 1);
      const ten = () => batch(tour, Array.from({ length: 10 }, () => ev('scene_view')));
      expect((await post(app.url, ten(), { ip: '192.0.2.1' })).status).toBe(200);
      const limited = await post(app.url, ten(), { ip: '192.0.2.1' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      // Another address is fine until the tour's own bucket runs dry.
      expect((await post(app.url, ten(), { ip: '192.0.2.2' })).status).toBe(200);
      expect((await post(app.url, ten(), { ip: '192.0.2.3' })).status).toBe(429);
      expect((await post(app.url, batch(other!, [ev('view')]), { ip: '192.0.2.3' })).status).toBe(200);
      expect(await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events WHERE tour_id = ${tour}`).toEqual([{ n: 20 }]);
      expect(app.collector.metrics()).toMatch(/^collector_events_deferred_total\{reason="rate_limited"\} 20$/m);
    } finally {
      await app.close();
    }
  });

  // Bounded in events, and in bytes (six 3-event bodies are ~2.3 KB).
  it.each([{ maxEvents: 6 }, { maxEvents: 1000, maxBytes: 1000 }])('answers 503 with Retry-After when the queue is full (%o), and stores what it accepted', async (bounds) => {
    // A tiny queue and a long linger keep the first requests waiting while the others arrive.
    const app = await startInProcess({ sql: db.sql, queue: bounds, batch: { lingerMs: 300, concurrency: 1 } });
    try {
      const bodies = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => ev('scene_view')));
      const results = await Promise.all(bodies.map((events, i) => post(app.url, batch(tour, events), { ip: `192.0.2.${10 + i}` })));
      const statuses = results.map((res) => res.status);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      for (const res of results.filter((r) => r.status === 503)) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const acked = bodies.filter((_, i) => results[i]!.status === 200).flat().map((e) => e.id);
      const refused = bodies.filter((_, i) => results[i]!.status === 503).flat().map((e) => e.id);
      expect((await storedIds(db.sql, acked)).size).toBe(acked.length);
      expect((await storedIds(db.sql, refused)).size).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('drains the queue on close: everything accepted before close is committed', async () => {
    const app = await startInProcess({ sql: db.sql, batch: { lingerMs: 200, concurrency: 1 } });
    const events = Array.from({ length: 5 }, () => ev('scene_view'));
    const pending = post(app.url, batch(tour, events), { ip: '192.0.2.50' });
    // Close once the request waits in the queue (the long linger holds it there), not after a guessed delay.
    while (!/^collector_queue_events 5$/m.test(app.collector.metrics())) await new Promise((resolve) => setTimeout(resolve, 5));
    // The collector closes; its HTTP server stays up, so a late batch still reaches it.
    const closing = app.collector.close();
    // A batch arriving while it drains is refused with 503 + Retry-After (the client retries elsewhere).
    const late = Array.from({ length: 3 }, () => ev('scene_view'));
    const refused = await post(app.url, batch(tour, late), { ip: '192.0.2.51' });
    const res = await pending;
    await closing;
    await app.close();
    expect(res.body).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    expect((await storedIds(db.sql, events.map((e) => e.id))).size).toBe(5);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await storedIds(db.sql, late.map((e) => e.id))).size).toBe(0);
    expect(app.collector.metrics()).toMatch(/^collector_events_deferred_total\{reason="draining"\} 3$/m);
  });
});
