import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { uuidv7 } from '@vr-tour/protocol';
import { batch, CHROME_UA, ev, insertTours, IPHONE_UA, post, startInProcess, type InProcess } from './support.js';

const MIN = 60_000;
let db: TestDatabase;
let clock = Date.parse('2025-03-10T12:00:00Z');
let a: InProcess;
let b: InProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  // Two collectors on one database, as behind a load balancer: they share nothing but PostgreSQL.
  a = await startInProcess({ sql: db.sql, now: () => clock });
  b = await startInProcess({ sql: db.sql, now: () => clock });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

/** An event as a viewer living at the simulated time makes it: its id's time is the clock's, less the event's offset. */
function at(...[type, extra = {}]: Parameters<typeof ev>) {
  return ev(type, { id: uuidv7(clock - (extra.offsetMs ?? 0)), ...extra });
}

async function sessionsOf(tourId: string) {
  return db.sql<{ id: string; event_count: number; started_at: Date; last_seen_at: Date; viewed: boolean }[]>`
    SELECT id, event_count, started_at, last_seen_at, viewed FROM user_sessions WHERE tour_id = ${tourId} ORDER BY started_at`;
}

describe('anonymous sessions', () => {
  it('groups a visitor’s events, across collector processes, and splits after 30 idle minutes', async () => {
    const [tour, other] = await insertTours(db.sql, 2);
    clock = Date.parse('2025-03-10T12:00:00Z');
    const me = { ip: '203.0.113.7', ua: CHROME_UA };
    expect((await post(a.url, batch(tour!, [at('view'), at('scene_view')]), me)).body.accepted).toBe(2);
    clock += 10 * MIN;
    expect((await post(b.url, batch(tour!, [at('scene_view')]), me)).body.accepted).toBe(1);
    clock += 29 * MIN;
    expect((await post(a.url, batch(tour!, [at('view'), at('like')]), me)).body.accepted).toBe(2);
    let sessions = await sessionsOf(tour!);
    expect(sessions.map((s) => s.event_count)).toEqual([5]);
    expect(sessions[0]!.last_seen_at.getTime() - sessions[0]!.started_at.getTime()).toBe(39 * MIN);

    // 31 minutes of silence: a new session, and a new view.
    clock += 31 * MIN;
    await post(b.url, batch(tour!, [at('view')]), me);
    // Someone else (other IP, or other browser), and the same person on another tour: sessions of their own.
    await post(a.url, batch(tour!, [at('view')]), { ip: '203.0.113.8', ua: CHROME_UA });
    await post(a.url, batch(tour!, [at('view')]), { ip: '203.0.113.7', ua: IPHONE_UA });
    await post(a.url, batch(other!, [at('view')]), me);
    sessions = await sessionsOf(tour!);
    expect(sessions.map((s) => s.event_count)).toEqual([5, 1, 1, 1]);
    expect(await sessionsOf(other!)).toHaveLength(1);
    const [counts] = await db.sql`SELECT view_count, like_count FROM tours WHERE id = ${tour!}`;
    expect(counts).toEqual({ view_count: 4, like_count: 1 });
    const [daily] = await db.sql`SELECT views, sessions, likes, scene_views FROM tour_daily_stats WHERE tour_id = ${tour!} AND day = '2025-03-10'`;
    expect(daily).toEqual({ views: 4, sessions: 4, likes: 1, scene_views: 2 });
  });

  it('splits one batch whose events are more than 30 minutes apart (times from offsets)', async () => {
    const [tour] = await insertTours(db.sql, 1);
    clock = Date.parse('2025-03-10T15:00:00Z');
    const res = await post(a.url, batch(tour!, [at('view', { offsetMs: 45 * MIN }), at('scene_view', { offsetMs: 40 * MIN }), at('scene_view', { offsetMs: 0 })]), { ip: '203.0.113.20' });
    expect(res.body.accepted).toBe(3);
    expect((await sessionsOf(tour!)).map((s) => s.event_count)).toEqual([2, 1]);
  });

  it('puts a late event that falls between two stored sessions into the later one, which it extends backwards', async () => {
    const [tour] = await insertTours(db.sql, 1);
    const me = { ip: '203.0.113.21', ua: CHROME_UA };
    clock = Date.parse('2025-03-10T17:00:00Z');
    await post(a.url, batch(tour!, [at('view')]), me);
    clock = Date.parse('2025-03-10T17:45:00Z');
    await post(b.url, batch(tour!, [at('view')]), me);
    expect((await sessionsOf(tour!)).map((s) => s.event_count)).toEqual([1, 1]);

    // Sent at 17:50, it happened at 17:20: within 30 minutes of both sessions.
    clock = Date.parse('2025-03-10T17:50:00Z');
    const res = await post(a.url, batch(tour!, [at('scene_view', { offsetMs: 30 * MIN })]), me);
    expect(res.body.accepted).toBe(1);
    const sessions = await sessionsOf(tour!);
    expect(sessions.map((s) => [s.started_at.toISOString(), s.event_count])).toEqual([
      ['2025-03-10T17:00:00.000Z', 1],
      ['2025-03-10T17:20:00.000Z', 2],
    ]);
    const [daily] = await db.sql`SELECT sessions, views, scene_views FROM tour_daily_stats WHERE tour_id = ${tour!}`;
    expect(daily).toEqual({ sessions: 2, views: 2, scene_views: 1 });
  });

  it('keeps a session across midnight (yesterday’s salt), and keeps only two days of salts', async () => {
    const [tour] = await insertTours(db.sql, 1);
    const me = { ip: '203.0.113.9', ua: CHROME_UA };
    clock = Date.parse('2025-03-10T23:55:00Z');
    await post(a.url, batch(tour!, [at('view')]), me);
    clock = Date.parse('2025-03-11T00:05:00Z');
    await post(b.url, batch(tour!, [at('scene_view')]), me);
    clock = Date.parse('2025-03-11T00:20:00Z');
    await post(a.url, batch(tour!, [at('view'), at('scene_view')]), me);
    const sessions = await sessionsOf(tour!);
    expect(sessions.map((s) => s.event_count)).toEqual([4]);
    expect(sessions[0]!.started_at.toISOString()).toBe('2025-03-10T23:55:00.000Z');
    const [counts] = await db.sql`SELECT view_count FROM tours WHERE id = ${tour!}`;
    expect(counts!.view_count).toBe(1);
    let days = (await db.sql`SELECT day::text AS day FROM analytics_salts ORDER BY day`).map((row) => row.day);
    expect(days).toEqual(['2025-03-10', '2025-03-11']);

    // Two days on, the 10th's salt is gone: its hashes can never be recomputed.
    clock = Date.parse('2025-03-12T09:00:00Z');
    await post(b.url, batch(tour!, [at('scene_view')]), me);
    days = (await db.sql`SELECT day::text AS day FROM analytics_salts ORDER BY day`).map((row) => row.day);
    expect(days).toEqual(['2025-03-11', '2025-03-12']);
    expect((await sessionsOf(tour!)).map((s) => s.event_count)).toEqual([4, 1]);
  });

  it('counts exactly under concurrent, duplicate-laden traffic through two collectors', async () => {
    clock = Date.parse('2025-03-13T10:00:00Z');
    const tours = await insertTours(db.sql, 12);
    interface Sent { tour: string; ip: string; body: string; ids: string[]; types: string[] }
    const sent: Sent[] = [];
    for (let visitor = 0; visitor < 120; visitor += 1) {
      const tour = tours[visitor % tours.length]!;
      const ip = `198.18.${visitor >> 8}.${visitor & 255}`;
      for (let k = 0; k < 3; k += 1) {
        const events = [
          ...(k !== 1 ? [at('view')] : []),
          at('scene_view'),
          ...(visitor % 3 === 0 ? [at('share')] : []),
          ...(visitor % 4 === 0 ? [at('like')] : []),
          at('hotspot_click'),
        ];
        sent.push({ tour, ip, body: batch(tour, events), ids: events.map((e) => e.id), types: events.map((e) => e.type) });
      }
    }
    // Every batch once, a third of them again (retries), some at the same moment as the original.
    const plan = [...sent, ...sent.filter((_, i) => i % 3 === 0)].sort(() => Math.random() - 0.5);
    let accepted = 0;
    let duplicates = 0;
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 24 }, async (_, worker) => {
        while (cursor < plan.length) {
          const item = plan[cursor++]!;
          const res = await post(worker % 2 ? a.url : b.url, item.body, { ip: item.ip });
          expect(res.status).toBe(200);
          accepted += res.body.accepted;
          duplicates += res.body.duplicates;
        }
      }),
    );
    const distinct = sent.reduce((sum, s) => sum + s.ids.length, 0);
    expect(accepted).toBe(distinct);
    expect(duplicates).toBe(plan.reduce((sum, p) => sum + p.ids.length, 0) - distinct);

    const stored = await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events WHERE tour_id = ANY(${tours}::text[]::uuid[])`;
    expect(stored[0]!.n).toBe(distinct);
    for (const [i, tour] of tours.entries()) {
      const visitors = Array.from({ length: 120 }, (_, v) => v).filter((v) => v % tours.length === i);
      const mine = sent.filter((s) => s.tour === tour);
      const shares = mine.reduce((sum, s) => sum + s.types.filter((t) => t === 'share').length, 0);
      const expected = {
        view_count: visitors.length,
        like_count: visitors.filter((v) => v % 4 === 0).length,
        share_count: shares,
      };
      const [row] = await db.sql`SELECT view_count, like_count, share_count FROM tours WHERE id = ${tour}`;
      expect(row).toEqual(expected);
      const [daily] = await db.sql`SELECT views, sessions, likes, shares, scene_views, hotspot_clicks FROM tour_daily_stats WHERE tour_id = ${tour}`;
      expect(daily).toEqual({
        views: expected.view_count,
        sessions: visitors.length,
        likes: expected.like_count,
        shares,
        scene_views: mine.length,
        hotspot_clicks: mine.length,
      });
      const sessions = await db.sql`SELECT event_count FROM user_sessions WHERE tour_id = ${tour}`;
      expect(sessions).toHaveLength(visitors.length);
      expect(sessions.reduce((sum, s) => sum + s.event_count, 0)).toBe(mine.reduce((sum, s) => sum + s.ids.length, 0));
    }
  });
});
