import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AI_JOB_STATUSES,
  AI_JOB_TYPES,
  ANALYTICS_EVENT_TYPES,
  CUSTOM_DOMAIN_SSL_STATUSES,
  CUSTOM_DOMAIN_VERIFICATION_STATUSES,
  HOTSPOT_TYPES,
  TOUR_STATUSES,
  TOUR_VISIBILITIES,
  USER_ROLES,
  uuidv7,
} from '@vr-tour/protocol';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let db: TestDatabase;
let userId: string;
let tourId: string;
let sceneId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  const one = async (rows: Promise<{ id: string }[]>) => (await rows)[0]!.id;
  userId = await one(db.sql`INSERT INTO users (email) VALUES ('owner@example.com') RETURNING id`);
  tourId = await one(db.sql`INSERT INTO tours (user_id, title) VALUES (${userId}, 'T') RETURNING id`);
  sceneId = await one(db.sql`INSERT INTO scenes (tour_id, title) VALUES (${tourId}, 'S') RETURNING id`);
});
afterAll(() => db.drop());

/** Runs `statement` in a transaction that is always rolled back, and returns the error's SQLSTATE. */
async function sqlState(statement: (sql: TestDatabase['sql']) => Promise<unknown>): Promise<string | undefined> {
  try {
    await db.sql.begin(async (tx) => {
      await statement(tx as unknown as TestDatabase['sql']);
      throw Object.assign(new Error('accepted'), { code: 'ACCEPTED' });
    });
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('enums', () => {
  it.each([
    ['user_role', USER_ROLES],
    ['tour_status', TOUR_STATUSES],
    ['tour_visibility', TOUR_VISIBILITIES],
    ['hotspot_type', HOTSPOT_TYPES],
    ['analytics_event_type', ANALYTICS_EVENT_TYPES],
    ['ai_job_type', AI_JOB_TYPES],
    ['ai_job_status', AI_JOB_STATUSES],
    ['custom_domain_verification_status', CUSTOM_DOMAIN_VERIFICATION_STATUSES],
    ['custom_domain_ssl_status', CUSTOM_DOMAIN_SSL_STATUSES],
  ])('%s has exactly the seed values and rejects others', async (typeName, values) => {
    const rows = await db.sql<{ value: string }[]>`
      SELECT e.enumlabel AS value FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      WHERE t.typname = ${typeName} ORDER BY e.enumsortorder`;
    expect(rows.map((row) => row.value)).toEqual([...values]);
    expect(await sqlState((sql) => sql.unsafe(`SELECT 'bogus'::${typeName}`))).toBe('22P02');
  });
});

describe('tours', () => {
  it('has the seed\'s named indexes', async () => {
    const rows = await db.sql<{ indexname: string; indexdef: string }[]>`
      SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tours'`;
    const byName = new Map(rows.map((row) => [row.indexname, row.indexdef]));
    expect(byName.get('idx_tours_user_id')).toMatch(/\(user_id\)$/);
    expect(byName.get('idx_tours_status')).toMatch(/\(status\)$/);
    // Composite on (user_id, status), then the dashboard's page order (migration 0022).
    expect(byName.get('idx_tours_user_status')).toMatch(/\(user_id, status, created_at DESC, id DESC\)$/);
  });

  it('keeps the legacy is_public equal to visibility = public, whichever is written', async () => {
    const [created] = await db.sql<{ id: string; is_public: boolean; visibility: string }[]>`
      INSERT INTO tours (user_id, title, visibility) VALUES (${userId}, 'V', 'public') RETURNING id, is_public, visibility`;
    expect(created).toMatchObject({ is_public: true, visibility: 'public' });
    const [unlisted] = await db.sql`UPDATE tours SET visibility = 'unlisted' WHERE id = ${created!.id} RETURNING is_public`;
    expect(unlisted?.is_public).toBe(false);
    const [legacy] = await db.sql`UPDATE tours SET is_public = true WHERE id = ${created!.id} RETURNING visibility`;
    expect(legacy?.visibility).toBe('public');
    const [legacyOff] = await db.sql`UPDATE tours SET is_public = false WHERE id = ${created!.id} RETURNING visibility`;
    expect(legacyOff?.visibility).toBe('private');
    const [insertedLegacy] = await db.sql`
      INSERT INTO tours (user_id, title, is_public) VALUES (${userId}, 'L', true) RETURNING visibility`;
    expect(insertedLegacy?.visibility).toBe('public');
  });

  it.each([
    ['an empty title', (sql: TestDatabase['sql']) => sql`INSERT INTO tours (user_id, title) VALUES (${userId}, '  ')`, '23514'],
    ['a negative counter', (sql: TestDatabase['sql']) => sql`UPDATE tours SET view_count = -1 WHERE id = ${tourId}`, '23514'],
    ['published without published_at', (sql: TestDatabase['sql']) => sql`UPDATE tours SET status = 'published' WHERE id = ${tourId}`, '23514'],
    ['archived without archived_at', (sql: TestDatabase['sql']) => sql`UPDATE tours SET status = 'archived' WHERE id = ${tourId}`, '23514'],
    ['settings that are not an object', (sql: TestDatabase['sql']) => sql`UPDATE tours SET settings = '[]' WHERE id = ${tourId}`, '23514'],
    ['an unknown owner', (sql: TestDatabase['sql']) => sql`INSERT INTO tours (user_id, title) VALUES (gen_random_uuid(), 'x')`, '23503'],
    ['a start scene of another tour', async (sql: TestDatabase['sql']) => {
      const [other] = await sql`INSERT INTO tours (user_id, title) VALUES (${userId}, 'other') RETURNING id`;
      await sql`UPDATE tours SET initial_scene_id = ${sceneId} WHERE id = ${other!.id}`;
      await sql`SET CONSTRAINTS ALL IMMEDIATE`;
    }, '23503'],
  ])('rejects %s', async (_name, statement, code) => {
    expect(await sqlState(statement)).toBe(code);
  });

  it('cascades a deleted user to their tours, scenes and hotspots', async () => {
    const [user] = await db.sql`INSERT INTO users (email) VALUES ('gone@example.com') RETURNING id`;
    const [tour] = await db.sql`INSERT INTO tours (user_id, title) VALUES (${user!.id}, 'T') RETURNING id`;
    const [a] = await db.sql`INSERT INTO scenes (tour_id, title) VALUES (${tour!.id}, 'A') RETURNING id`;
    const [b] = await db.sql`INSERT INTO scenes (tour_id, title) VALUES (${tour!.id}, 'B') RETURNING id`;
    await db.sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id)
      VALUES (${a!.id}, 'navigation', 0, 0, 'to B', ${b!.id})`;
    await db.sql`DELETE FROM users WHERE id = ${user!.id}`;
    const [left] = await db.sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM tours WHERE user_id = ${user!.id})
           + (SELECT count(*) FROM scenes WHERE tour_id = ${tour!.id})
           + (SELECT count(*) FROM hotspots WHERE scene_id = ${a!.id}) AS n`;
    expect(Number(left?.n)).toBe(0);
  });
});

describe('scenes and hotspots', () => {
  const bad: Array<[string, (sql: TestDatabase['sql']) => Promise<unknown>, string]> = [
    ['yaw beyond 180', (sql) => sql`INSERT INTO scenes (tour_id, title, initial_yaw) VALUES (${tourId}, 'x', 181)`, '23514'],
    ['pitch beyond 90', (sql) => sql`INSERT INTO scenes (tour_id, title, initial_pitch) VALUES (${tourId}, 'x', -91)`, '23514'],
    ['fov below 10', (sql) => sql`INSERT INTO scenes (tour_id, title, initial_fov) VALUES (${tourId}, 'x', 5)`, '23514'],
    ['half a floor plan position', async (sql) => {
      const [plan] = await sql`INSERT INTO floor_plans (tour_id, title, image_url, width, height)
        VALUES (${tourId}, 'Plan', '/p.png', 100, 50) RETURNING id`;
      await sql`UPDATE scenes SET floor_plan_id = ${plan!.id}, floor_plan_x = 0.5 WHERE id = ${sceneId}`;
    }, '23514'],
    ['a hotspot pitch beyond 90', (sql) => sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, content) VALUES (${sceneId}, 'info', 0, 95, 'i', '{}')`, '23514'],
    ['a navigation hotspot without target', (sql) => sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title) VALUES (${sceneId}, 'navigation', 0, 0, 'n')`, '23514'],
    ['an info hotspot with a target', async (sql) => {
      const [other] = await sql`INSERT INTO scenes (tour_id, title) VALUES (${tourId}, 'o') RETURNING id`;
      await sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id) VALUES (${sceneId}, 'info', 0, 0, 'i', ${other!.id})`;
    }, '23514'],
    ['a navigation target in another tour', async (sql) => {
      const [tour] = await sql`INSERT INTO tours (user_id, title) VALUES (${userId}, 'elsewhere') RETURNING id`;
      const [foreign] = await sql`INSERT INTO scenes (tour_id, title) VALUES (${tour!.id}, 'f') RETURNING id`;
      await sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id) VALUES (${sceneId}, 'navigation', 0, 0, 'n', ${foreign!.id})`;
    }, '23503'],
    ['a navigation hotspot to its own scene', (sql) => sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id) VALUES (${sceneId}, 'navigation', 0, 0, 'n', ${sceneId})`, '23514'],
    ['a hotspot content array', (sql) => sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, content) VALUES (${sceneId}, 'info', 0, 0, 'i', '[1]')`, '23514'],
    ['an uppercase branding colour', (sql) => sql`INSERT INTO branding (tour_id, primary_color) VALUES (${tourId}, '#FFFFFF')`, '23514'],
    ['a javascript: branding link', (sql) => sql`INSERT INTO branding (tour_id, link_url) VALUES (${tourId}, 'javascript:alert(1)')`, '23514'],
  ];
  it.each(bad)('rejects %s', async (_name, statement, code) => {
    expect(await sqlState(statement)).toBe(code);
  });

  it('clears a scene\'s floor plan position when its floor plan is deleted', async () => {
    const [plan] = await db.sql`INSERT INTO floor_plans (tour_id, title, image_url, width, height)
      VALUES (${tourId}, 'Ground', '/f.png', 100, 50) RETURNING id`;
    await db.sql`UPDATE scenes SET floor_plan_id = ${plan!.id}, floor_plan_x = 0.2, floor_plan_y = 0.3 WHERE id = ${sceneId}`;
    await db.sql`DELETE FROM floor_plans WHERE id = ${plan!.id}`;
    const [scene] = await db.sql`SELECT floor_plan_id, floor_plan_x, floor_plan_y FROM scenes WHERE id = ${sceneId}`;
    expect(scene).toEqual({ floor_plan_id: null, floor_plan_x: null, floor_plan_y: null });
  });
});

describe('custom domains', () => {
  const insert = (sql: TestDatabase['sql'], host: string, token = '0123456789abcdef0123456789abcdef') =>
    sql`INSERT INTO custom_domains (user_id, tour_id, host, verification_token) VALUES (${userId}, ${tourId}, ${host}, ${token})`;

  it.each([
    ['an uppercase host', 'Tours.Acme.com'],
    ['a trailing dot', 'tours.acme.com.'],
    ['an IP literal', '127.0.0.1'],
    ['a bare label', 'localhost'],
    ['an underscore', 'a_b.example.com'],
  ])('rejects %s', async (_name, host) => {
    expect(await sqlState((sql) => insert(sql, host))).toBe('23514');
  });

  it('allows one row per host', async () => {
    await insert(db.sql, 'tours.acme.com');
    expect(await sqlState((sql) => insert(sql, 'tours.acme.com'))).toBe('23505');
  });

  it('rejects a short verification token and an active certificate on an unverified host', async () => {
    expect(await sqlState((sql) => insert(sql, 'a.example.com', 'abc'))).toBe('23514');
    expect(
      await sqlState((sql) => sql`INSERT INTO custom_domains (user_id, tour_id, host, verification_token, ssl_status)
        VALUES (${userId}, ${tourId}, 'b.example.com', '0123456789abcdef0123456789abcdef', 'active')`),
    ).toBe('23514');
  });
});

describe('analytics', () => {
  it('rejects a second event with the same id, across partitions', async () => {
    await db.sql`SELECT ensure_event_partitions(now()::date, 1)`;
    const [session] = await db.sql`INSERT INTO user_sessions (tour_id, visitor_hash, started_at, last_seen_at)
      VALUES (${tourId}, decode(repeat('ab', 32), 'hex'), now(), now()) RETURNING id`;
    const insert = (sql: TestDatabase['sql'], id: string) => sql`
      INSERT INTO tour_analytics_events (id, tour_id, session_id, type, occurred_at)
      VALUES (${id}, ${tourId}, ${session!.id}, 'view', now())`;
    const uuid7Now = uuidv7();
    await insert(db.sql, uuid7Now);
    const [placed] = await db.sql`SELECT tableoid::regclass::text AS part FROM tour_analytics_events WHERE id = ${uuid7Now}`;
    expect(placed?.part).toMatch(/^tour_analytics_events_\d{4}_\d{2}$/);
    expect(await sqlState((sql) => insert(sql, uuid7Now))).toBe('23505');
    const v4 = crypto.randomUUID();
    await insert(db.sql, v4);
    const [fallback] = await db.sql`SELECT tableoid::regclass::text AS part FROM tour_analytics_events WHERE id = ${v4}`;
    expect(fallback?.part).toBe('tour_analytics_events_default');
  });

  it("makes a month's partition even when the default partition already holds events of that month", async () => {
    const [session] = await db.sql`INSERT INTO user_sessions (tour_id, visitor_hash, started_at, last_seen_at)
      VALUES (${tourId}, decode(repeat('cd', 32), 'hex'), now(), now()) RETURNING id`;
    // Five years ahead: no partition exists, so the event (a client with a far-off clock) goes to the default.
    const month = new Date(Date.UTC(new Date().getUTCFullYear() + 5, 2, 1));
    const id = uuidv7(month.getTime() + 86_400_000);
    await db.sql`INSERT INTO tour_analytics_events (id, tour_id, session_id, type, occurred_at)
      VALUES (${id}, ${tourId}, ${session!.id}, 'view', now())`;
    const where = async () =>
      (await db.sql`SELECT tableoid::regclass::text AS part FROM tour_analytics_events WHERE id = ${id}`)[0]?.part;
    expect(await where()).toBe('tour_analytics_events_default');
    await db.sql`SELECT ensure_event_partitions(${month.toISOString().slice(0, 10)}::date, 1)`;
    const name = `tour_analytics_events_${month.toISOString().slice(0, 7).replace('-', '_')}`;
    expect(await where()).toBe(name);
    const [{ count } = { count: -1 }] = await db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM tour_analytics_events WHERE id = ${id}`;
    expect(count).toBe(1);
    // The adopted table is a full partition: the primary key still refuses the id again.
    expect(await sqlState((sql) => sql`INSERT INTO tour_analytics_events (id, tour_id, session_id, type, occurred_at)
      VALUES (${id}, ${tourId}, ${session!.id}, 'view', now())`)).toBe('23505');
  });

  it('rejects an event type outside the seed', async () => {
    expect(await sqlState((sql) => sql`SELECT 'click'::analytics_event_type`)).toBe('22P02');
  });
});
