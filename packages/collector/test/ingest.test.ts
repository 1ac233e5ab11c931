import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { uuidv7 } from '@vr-tour/protocol';
import { batch, CHROME_UA, count, ev, HOTSPOT, insertTours, IPHONE_UA, post, SCENE, startInProcess, storedIds, type InProcess } from './support.js';

let db: TestDatabase;
let app: InProcess;
let tour: string;
let draft: string;
let privateTour: string;

beforeAll(async () => {
  db = await createTestDatabase();
  tour = (await insertTours(db.sql, 1))[0]!;
  draft = (await insertTours(db.sql, 1, { status: 'draft' }))[0]!;
  privateTour = (await insertTours(db.sql, 1, { visibility: 'private' }))[0]!;
  app = await startInProcess({ sql: db.sql });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('POST /collect', () => {
  it('stores a batch, answers after commit, and fills sessions, counters and rollups', async () => {
    const events = [ev('view', { sceneId: SCENE, referrer: 'https://blog.example.com/post?id=1', embed: 'element' }), ev('scene_view'), ev('hotspot_click'), ev('share'), ev('like'), ev('performance')];
    const res = await post(app.url, batch(tour, events), { ip: '203.0.113.5', ua: IPHONE_UA });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 6, duplicates: 0, rejected: [] });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    const rows = await db.sql`SELECT type::text, scene_id, hotspot_id, data, session_id FROM tour_analytics_events WHERE tour_id = ${tour} ORDER BY type`;
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((row) => row.session_id)).size).toBe(1);
    const byType = Object.fromEntries(rows.map((row) => [row.type, row]));
    expect(byType.view!.data).toEqual({ embed: 'element', referrerHost: 'blog.example.com' });
    expect(byType.hotspot_click!.hotspot_id).toBe(HOTSPOT);
    expect(byType.share!.data).toEqual({ channel: 'copy' });
    expect(byType.performance!.data).toEqual({ metric: 'LCP', value: 1234 });

    const [session] = await db.sql`SELECT * FROM user_sessions WHERE tour_id = ${tour}`;
    expect(session).toMatchObject({ event_count: 6, viewed: true, liked: true, entry_scene_id: SCENE, referrer_host: 'blog.example.com', browser: 'Safari', os: 'iOS', device_type: 'mobile' });
    expect(session!.visitor_hash).toHaveLength(32);
    // No IP anywhere: not in the session row, not in any event.
    expect(JSON.stringify(session)).not.toContain('203.0.113.5');
    const [counters] = await db.sql`SELECT view_count, like_count, share_count FROM tours WHERE id = ${tour}`;
    expect(counters).toEqual({ view_count: 1, like_count: 1, share_count: 1 });
    const [daily] = await db.sql`SELECT views, sessions, scene_views, hotspot_clicks, shares, likes FROM tour_daily_stats WHERE tour_id = ${tour}`;
    expect(daily).toEqual({ views: 1, sessions: 1, scene_views: 1, hotspot_clicks: 1, shares: 1, likes: 1 });
  });

  it('is idempotent: a retried batch counts nothing twice', async () => {
    const [t] = await insertTours(db.sql, 1);
    const body = batch(t!, [ev('view'), ev('share'), ev('scene_view')]);
    const first = await post(app.url, body, { ip: '198.51.100.1' });
    const again = await post(app.url, body, { ip: '198.51.100.1' });
    const fromElsewhere = await post(app.url, body, { ip: '198.51.100.2' });
    expect(first.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(again.body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(fromElsewhere.body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    const [row] = await db.sql`SELECT view_count, share_count FROM tours WHERE id = ${t!}`;
    expect(row).toEqual({ view_count: 1, share_count: 1 });
    expect((await db.sql`SELECT event_count FROM user_sessions WHERE tour_id = ${t!}`).map((r) => r.event_count)).toEqual([3]);
    const [daily] = await db.sql`SELECT views, sessions, shares, scene_views FROM tour_daily_stats WHERE tour_id = ${t!}`;
    expect(daily).toEqual({ views: 1, sessions: 1, shares: 1, scene_views: 1 });
  });

  it('counts a view once per session and a like once per session; repeated ids in one batch are duplicates', async () => {
    const [t] = await insertTours(db.sql, 1);
    const repeated = ev('share');
    const res = await post(app.url, batch(t!, [ev('view'), ev('view'), ev('like'), ev('like'), repeated, repeated]), { ip: '198.51.100.9' });
    expect(res.body).toEqual({ accepted: 5, duplicates: 1, rejected: [] });
    await post(app.url, batch(t!, [ev('view'), ev('like')]), { ip: '198.51.100.9' });
    const [row] = await db.sql`SELECT view_count, like_count, share_count FROM tours WHERE id = ${t!}`;
    expect(row).toEqual({ view_count: 1, like_count: 1, share_count: 1 });
    expect(await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events WHERE tour_id = ${t!}`).toEqual([{ n: 7 }]);
  });

  it('keeps the good neighbours of a bad event and says why the bad one was dropped', async () => {
    const [t] = await insertTours(db.sql, 1);
    const good1 = ev('view');
    const good2 = ev('scene_view');
    const events = [
      good1,
      { ...ev('share'), channel: 'carrier-pigeon' },
      ev('scene_view', { sceneId: 'not-a-uuid' }),
      { ...ev('view'), sessionId: '33333333-3333-4333-8333-333333333333' },
      { ...ev('view'), ip: '1.2.3.4' },
      ev('view', { offsetMs: -60_000 }),
      { ...ev('view'), offsetMs: '5' },
      good2,
    ];
    const res = await post(app.url, batch(t!, events), { ip: '198.51.100.20' });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const rejection of res.body.rejected) expect(rejection.reason).toMatch(/^invalid: /);
    expect(res.body.rejected[2].reason).toContain('sessionId');
    const ids = (await db.sql`SELECT id::text FROM tour_analytics_events WHERE tour_id = ${t!} ORDER BY id`).map((r) => r.id);
    expect(ids.sort()).toEqual([good1.id, good2.id].sort());
  });

  it('clamps event times: never in the future, never older than a day', async () => {
    const [t] = await insertTours(db.sql, 1);
    const before = Date.now();
    const old = ev('scene_view', { offsetMs: 5 * 86_400_000 });
    const recent = ev('scene_view', { offsetMs: 60_000 });
    await post(app.url, batch(t!, [old, recent]), { ip: '198.51.100.30' });
    const after = Date.now();
    const rows = await db.sql<{ id: string; occurred_at: Date; received_at: Date }[]>`
      SELECT id::text, occurred_at, received_at FROM tour_analytics_events WHERE tour_id = ${t!}`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    const o = byId.get(old.id)!;
    expect(o.received_at.getTime() - o.occurred_at.getTime()).toBe(86_400_000);
    const r = byId.get(recent.id)!;
    expect(r.received_at.getTime() - r.occurred_at.getTime()).toBe(60_000);
    for (const row of rows) {
      expect(row.received_at.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(row.received_at.getTime()).toBeLessThanOrEqual(after + 5);
    }
  });

  it('refuses bad batches with 4xx and writes nothing', async () => {
    const [t] = await insertTours(db.sql, 1);
    const eventsBefore = await count(db.sql, 'tour_analytics_events');
    const sessionsBefore = await count(db.sql, 'user_sessions');
    const countersBefore = await db.sql`SELECT sum(view_count)::int AS v, sum(share_count)::int AS s FROM tours`;
    const cases: { body: string; status: number; contentType?: string }[] = [
      { body: 'not json', status: 400 },
      { body: '[]', status: 400 },
      { body: JSON.stringify({ v: 2, tourId: t, events: [ev('view')] }), status: 400 },
      { body: JSON.stringify({ v: 1, tourId: 'nope', events: [ev('view')] }), status: 400 },
      { body: JSON.stringify({ v: 1, tourId: t, events: [] }), status: 400 },
      { body: JSON.stringify({ v: 1, tourId: t, events: 'view' }), status: 400 },
      { body: JSON.stringify({ v: 1, tourId: t, events: Array.from({ length: 51 }, () => ev('scene_view')) }), status: 400 },
      // Forged envelope fields: the client never chooses IP, user agent or session.
      { body: batch(t!, [ev('view')], { ip: '1.2.3.4' }), status: 400 },
      { body: batch(t!, [ev('view')], { sessionId: '33333333-3333-4333-8333-333333333333' }), status: 400 },
      { body: batch(t!, [ev('view')], { userAgent: 'x' }), status: 400 },
      { body: batch(t!, [ev('view')], { client: { webdriver: 'no' } }), status: 400 },
      { body: batch(t!, [ev('view', { referrer: 'x'.repeat(40_000) })]), status: 413 },
      { body: batch(t!, [ev('view')]), status: 415, contentType: 'application/x-www-form-urlencoded' },
    ];
    for (const { body, status, contentType } of cases) {
      const res = await post(app.url, body, { ip: '198.51.100.40', ...(contentType ? { contentType } : {}) });
      expect({ status: res.status, body: body.slice(0, 60) }).toEqual({ status, body: body.slice(0, 60) });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    }
    // Unknown, draft and private tours: 200 (no retry), every event rejected, nothing stored.
    for (const tourId of ['44444444-4444-4444-8444-444444444444', draft, privateTour]) {
      const res = await post(app.url, batch(tourId, [ev('view'), ev('share')]), { ip: '198.51.100.41' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, reason: 'unknown_tour' }, { index: 1, reason: 'unknown_tour' }] });
    }
    // Every event invalid (wrong types): 200 with reasons, nothing stored.
    const wrong = await post(app.url, batch(t!, [{ id: 5, type: 'view', offsetMs: 0 }, { id: crypto.randomUUID(), type: 'teleport', offsetMs: 0 }]), { ip: '198.51.100.42' });
    expect(wrong.status).toBe(200);
    expect(wrong.body.accepted).toBe(0);
    expect(wrong.body.rejected).toHaveLength(2);
    // Future timestamps can only be asked for with a negative offset: rejected.
    const future = await post(app.url, batch(t!, [ev('view', { offsetMs: -3_600_000 })]), { ip: '198.51.100.43' });
    expect(future.body.accepted).toBe(0);

    expect(await count(db.sql, 'tour_analytics_events')).toBe(eventsBefore);
    expect(await count(db.sql, 'user_sessions')).toBe(sessionsBefore);
    expect(await db.sql`SELECT sum(view_count)::int AS v, sum(share_count)::int AS s FROM tours`).toEqual(countersBefore);
  });

  it('drops bots and automated browsers with 200 and accepted 0', async () => {
    const [t] = await insertTours(db.sql, 1);
    const cases = [
      { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', extra: {} },
      { ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36', extra: {} },
      { ua: CHROME_UA, extra: { client: { webdriver: true } } },
      { ua: CHROME_UA, extra: { client: { headless: true } } },
      { ua: null, extra: {} },
    ];
    for (const { ua, extra } of cases) {
      const res = await post(app.url, batch(t!, [ev('view')], extra), { ip: '198.51.100.50', ua });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, reason: 'bot' }] });
    }
    expect(await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events WHERE tour_id = ${t!}`).toEqual([{ n: 0 }]);
  });

  it('answers CORS preflights and accepts application/json too', async () => {
    const pre = await fetch(app.url, { method: 'OPTIONS', headers: { origin: 'https://blog.example.com', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const [t] = await insertTours(db.sql, 1);
    const res = await post(app.url, batch(t!, [ev('view')]), { contentType: 'application/json', ip: '198.51.100.60' });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('inflates a gzip-compressed batch under the same limit; an unknown encoding is a 415 problem', async () => {
    const [t] = await insertTours(db.sql, 1);
    const send = (body: Buffer, encoding: string) =>
      fetch(app.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain', 'content-encoding': encoding, 'user-agent': CHROME_UA, 'x-forwarded-for': '198.51.100.61' },
      });
    const stored = await send(gzipSync(batch(t!, [ev('view'), ev('share')])), 'gzip');
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    // 40 kB of one letter compresses to almost nothing: the limit is on the inflated body.
    const bomb = await send(gzipSync(batch(t!, [ev('view', { referrer: 'x'.repeat(40_000) })])), 'gzip');
    expect(bomb.status).toBe(413);
    expect(bomb.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await send(Buffer.from(batch(t!, [ev('view')])), 'zstd-ish');
    expect(unknown.status).toBe(415);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
    expect(await unknown.json()).toMatchObject({ status: 415, detail: expect.stringContaining('zstd-ish') });
    expect(await db.sql`SELECT count(*)::int AS n FROM tour_analytics_events WHERE tour_id = ${t!}`).toEqual([{ n: 2 }]);
  });

  it('leaves other methods and paths under /collect to the app, with its CORS headers', async () => {
    const res = await fetch(app.url, { method: 'GET' });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the monthly event partitions ahead, and a UUIDv7 event lands in its month', async () => {
    const month = (offset: number) => {
      const now = new Date();
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7).replace('-', '_');
    };
    const names = [-1, 0, 1, 2].map((offset) => `tour_analytics_events_${month(offset)}`);
    // The collector creates them at start, in the background.
    const existing = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY(${names})`)[0]!.n;
    while ((await existing()) < names.length) await new Promise((resolve) => setTimeout(resolve, 20));
    const [t] = await insertTours(db.sql, 1);
    const event = ev('view');
    expect((await post(app.url, batch(t!, [event]), { ip: '198.51.100.70' })).body.accepted).toBe(1);
    const [row] = await db.sql`SELECT tableoid::regclass::text AS part FROM tour_analytics_events WHERE id = ${event.id}`;
    expect(row!.part).toBe(names[1]);
  });

  it('refuses event ids that are not a recent UUIDv7, keeps their good neighbours, and leaves the default partition empty', async () => {
    const [t] = await insertTours(db.sql, 1);
    const now = Date.now();
    const good = ev('view');
    const viewerClockFast = ev('share', { id: uuidv7(now + 60_000) });
    const forged = [
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      crypto.randomUUID(),
      uuidv7(Date.UTC(2999, 0, 1)),
      uuidv7(now + 3_600_000),
      uuidv7(now - 2 * 86_400_000),
      uuidv7(now).replace(/^(.{19})./, '$1c'),
    ].map((id) => ev('scene_view', { id }));
    const res = await post(app.url, batch(t!, [good, ...forged, viewerClockFast]), { ip: '198.51.100.71' });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A foreign variant fails the schema already; nil, max, v4, far-future and stale ids fail the UUIDv7 window.
    for (const r of res.body.rejected) expect(r.reason).toMatch(/^invalid: id: /);
    expect(res.body.rejected.filter((r: { reason: string }) => r.reason.includes('must be a UUIDv7'))).toHaveLength(6);
    expect(await storedIds(db.sql, [good.id, viewerClockFast.id, ...forged.map((e) => e.id)])).toEqual(new Set([good.id, viewerClockFast.id]));
    expect(await count(db.sql, 'tour_analytics_events_default')).toBe(0);
    const [counters] = await db.sql`SELECT views, shares, scene_views FROM tour_daily_stats WHERE tour_id = ${t!}`;
    expect(counters).toEqual({ views: 1, shares: 1, scene_views: 0 });
  });

  it('counts one like per session, however many the session sends', async () => {
    const [t] = await insertTours(db.sql, 1);
    const first = await post(app.url, batch(t!, [ev('view'), ev('like'), ev('like')]), { ip: '198.51.100.72' });
    const again = await post(app.url, batch(t!, [ev('like')]), { ip: '198.51.100.72' });
    expect(first.body.accepted).toBe(3);
    expect(again.body.accepted).toBe(1);
    const [counters] = await db.sql`SELECT like_count FROM tours WHERE id = ${t!}`;
    expect(counters).toEqual({ like_count: 1 });
    const [daily] = await db.sql`SELECT likes FROM tour_daily_stats WHERE tour_id = ${t!}`;
    expect(daily).toEqual({ likes: 1 });
    expect(await db.sql`SELECT liked FROM user_sessions WHERE tour_id = ${t!}`).toEqual([{ liked: true }]);
  });

  it('exposes Prometheus counters', async () => {
    const text = await (await fetch(`${app.base}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(value('collector_events_accepted_total')).toBeGreaterThan(0);
    expect(value('collector_events_duplicate_total')).toBeGreaterThan(0);
    expect(value('collector_events_dropped_total{reason="bot"}')).toBe(5);
    expect(value('collector_events_dropped_total{reason="unknown_tour"}')).toBe(6);
    expect(value('collector_events_dropped_total{reason="invalid"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^collector_queue_events \d+$/m);
    expect(text).toMatch(/^collector_batch_events_count \d+$/m);
    expect(text).toMatch(/^collector_commit_seconds_bucket\{le="0.01"\} \d+$/m);
    expect(text).toMatch(/^collector_requests_total\{status="200"\} \d+$/m);
    const received = value('collector_events_received_total');
    expect(received).toBeGreaterThan(value('collector_events_accepted_total'));
  });
});
