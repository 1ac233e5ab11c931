import type postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
import type { WriteOutcome, WriteRequest } from './queue.js';
import type { Rejection } from './validate.js';

/** A statement built but not sent yet (postgres.js sends on first await or execute()). */
export type PendingQuery = postgres.PendingQuery<postgres.Row[]>;

/** Statements to send ahead of COMMIT, in one write, and how to read their answers. */
export interface BatchTail<T> {
  statements: PendingQuery[];
  result(answers: postgres.Row[][]): T;
}

// Namespace of the two-key advisory locks taken per visitor (the one-key space is the migrations').
const VISITOR_LOCK_NAMESPACE = 0x76727476;

/** A batch's visitors (one per tour and today's hash), a column per field. */
interface VisitorColumns {
  tour: string[];
  /** Today's hash (hex), and yesterday's while its salt exists. */
  today: string[];
  yesterday: (string | null)[];
  lockKey: number[];
  browser: (string | null)[];
  os: (string | null)[];
  device: (string | null)[];
}

/** A batch's events, a column per field; `visitor` and `request` are 1-based indexes. */
interface EventColumns {
  id: string[];
  visitor: number[];
  request: number[];
  type: string[];
  scene: (string | null)[];
  hotspot: (string | null)[];
  occurred: number[];
  data: string[];
}

interface StoreAnswer {
  published: string[];
  /** Ids sent but not inserted: already stored, or of a tour not published. */
  not_inserted: string[];
  created: number;
}

/**
 * One batch as three statements, sent with BEGIN and COMMIT in one round trip:
 *
 * 1. the batch's tours FOR KEY SHARE, so none is deleted under us;
 * 2. the visitors' advisory locks, in sorted order, so two collector processes
 *    never split one visitor into two sessions, and never deadlock;
 * 3. everything else (`storeStatement`) — a statement of its own, so that its
 *    snapshot, taken once the locks are held, sees the sessions the previous
 *    holders committed.
 *
 * Small statements take the row locks that a concurrent commit can make
 * PostgreSQL recheck (READ COMMITTED's EvalPlanQual, which re-initialises the
 * statement's whole plan): the tours here, their counters in the rollups'
 * trigger (migration 0032).
 *
 * Per-event columns stay small: the tour is the visitor's, the receive time
 * the request's, so events carry indexes into those (1-based, as SQL arrays
 * are); times travel as epoch ms. An id seen twice in the batch is sent once.
 */
export function batchStatements(tx: Sql, batch: WriteRequest[], idleMs: number): BatchTail<{ outcomes: WriteOutcome[]; sessionsCreated: number }> {
  const visitorIndex = new Map<string, number>();
  const visitors: VisitorColumns = { tour: [], today: [], yesterday: [], lockKey: [], browser: [], os: [], device: [] };
  const received: number[] = [];
  const events: EventColumns = { id: [], visitor: [], request: [], type: [], scene: [], hotspot: [], occurred: [], data: [] };
  /** Per request, how many of its events were sent (the rest repeat an id of the batch). */
  const sent: number[] = [];
  const sentBy = new Map<string, number>();
  batch.forEach((request, i) => {
    const { visitor } = request;
    const key = `${visitor.tourId}|${visitor.key}`;
    let v = visitorIndex.get(key);
    if (v === undefined) {
      visitors.tour.push(visitor.tourId);
      visitors.today.push(visitor.key);
      visitors.yesterday.push(visitor.yesterdayKey);
      visitors.lockKey.push(visitor.lockKey);
      visitors.browser.push(visitor.browser);
      visitors.os.push(visitor.os);
      visitors.device.push(visitor.deviceType);
      v = visitors.tour.length;
      visitorIndex.set(key, v);
    }
    received.push(request.receivedAt);
    let count = 0;
    for (const event of request.events) {
      if (sentBy.has(event.id)) continue;
      sentBy.set(event.id, i);
      count += 1;
      events.id.push(event.id);
      events.visitor.push(v);
      events.request.push(i + 1);
      events.type.push(event.type);
      events.scene.push(event.sceneId);
      events.hotspot.push(event.hotspotId);
      events.occurred.push(event.occurredAt);
      events.data.push(JSON.stringify(event.data));
    }
    sent.push(count);
  });
  const tourIds = [...new Set(visitors.tour)].sort();
  const lockKeys = [...new Set(visitors.lockKey)].sort((a, b) => a - b);

  return {
    statements: [
      tx`SELECT 1 FROM tours WHERE id = ANY(${tourIds}::uuid[]) ORDER BY id FOR KEY SHARE`,
      tx`SELECT pg_advisory_xact_lock(${VISITOR_LOCK_NAMESPACE}::int4, k) FROM unnest(${lockKeys}::int4[]) WITH ORDINALITY AS l(k, n) ORDER BY n`,
      storeStatement(tx, { tourIds, visitors, received, events, idleMs }),
    ],
    result(answers) {
      const { published, not_inserted: notInserted, created } = answers[2]![0] as StoreAnswer;
      const known = new Set(published);
      const notStored = new Array<number>(batch.length).fill(0);
      for (const id of notInserted) notStored[sentBy.get(id)!]! += 1;
      const outcomes = batch.map((request, i): WriteOutcome => {
        if (!known.has(request.visitor.tourId)) {
          const rejected: Rejection[] = request.events.map((event) => ({ index: event.index, reason: 'unknown_tour' }));
          return { accepted: 0, duplicates: 0, rejected };
        }
        // Valid events of a known tour that were not inserted were already stored: retries.
        const accepted = sent[i]! - notStored[i]!;
        return { accepted, duplicates: request.events.length - accepted, rejected: [] };
      });
      return { outcomes, sessionsCreated: created };
    },
  };
}

interface StoreInput {
  tourIds: string[];
  visitors: VisitorColumns;
  /** Per request: when it was received (ms). */
  received: number[];
  events: EventColumns;
  idleMs: number;
}

/**
 * The batch in one statement, on a snapshot taken with the visitors locked.
 *
 * - Tours: only published, public or unlisted ones; the others' events are
 *   left out (and answered `unknown_tour`).
 * - Sessions: each visitor's recent sessions, by today's or yesterday's hash
 *   (the midnight overlap), and its events, laid out on one timeline; a gap of
 *   more than the idle time starts a new stretch. Each stretch is one session:
 *   the latest-ending stored session in it, or a new one.
 * - Events: `INSERT … ON CONFLICT (id) DO NOTHING RETURNING`, in id order (two
 *   transactions inserting the same retried ids take their locks in one order).
 *   What it returns is the only source of every count below: a retried event
 *   (already stored) is not returned, so it counts nowhere.
 * - From the rows returned: new sessions inserted, stored ones extended (the
 *   hash moved to today's); a view counts once per session (unless the session
 *   was viewed before), a like too, shares each time; daily rollups upserted in
 *   (tour, day) order, so concurrent batches queue on a hot tour's row instead
 *   of deadlocking — and their trigger moves the tours' counters with them.
 *
 * Answers the published tours, the ids that were already stored, and the
 * number of sessions created.
 *
 * Its plan is made once per connection (postgres.js prepares it; PostgreSQL
 * keeps a generic plan after five runs), often while the tables are still
 * small, and kept as they grow: so every scan of a table is keyed, and shaped
 * to have one sensible index — the tours by id, a visitor's sessions by
 * (tour, hash), sessions and events written through their primary keys.
 */
function storeStatement(tx: Sql, { tourIds, visitors, received, events, idleMs }: StoreInput): PendingQuery {
  return tx`
    WITH published AS (
      SELECT id FROM (SELECT id, status, visibility FROM tours WHERE id = ANY(${tourIds}::uuid[]) OFFSET 0) t
      WHERE status = 'published' AND visibility IN ('public', 'unlisted')
    ), v AS MATERIALIZED (
      SELECT * FROM unnest(${visitors.tour}::uuid[], ${visitors.today}::text[], ${visitors.yesterday}::text[],
                           ${visitors.browser}::text[], ${visitors.os}::text[], ${visitors.device}::text[])
        WITH ORDINALITY AS v(tour_id, hash, yesterday, browser, os, device_type, i)
    ), e AS MATERIALIZED (
      SELECT e.id, e.vi, e.r, e.type, e.scene, e.hotspot, to_timestamp(e.occurred / 1000) AS at, e.data
      FROM unnest(${events.id}::uuid[], ${events.visitor}::int4[], ${events.request}::int4[],
                  ${events.type}::analytics_event_type[], ${events.scene}::uuid[], ${events.hotspot}::uuid[],
                  ${events.occurred}::float8[], ${events.data}::text[]) AS e(id, vi, r, type, scene, hotspot, occurred, data)
    ), idle AS (
      SELECT ${idleMs}::float8 * interval '1 millisecond' AS gap
    ), found AS MATERIALIZED (
      SELECT h.i AS vi, s.*
      FROM (SELECT vi, min(at) - (SELECT gap FROM idle) AS since, max(at) + (SELECT gap FROM idle) AS until FROM e GROUP BY vi) span
      JOIN (SELECT i, tour_id, decode(hash, 'hex') AS hash FROM v
            UNION ALL SELECT i, tour_id, decode(yesterday, 'hex') FROM v WHERE yesterday IS NOT NULL) h ON h.i = span.vi
      -- One index lookup per hash, on (tour, hash, last seen): the OFFSET keeps
      -- the planner from making this a hash join over every session of the
      -- tour, and the range on started_at stays outside, so no other index
      -- looks as good — not even to a plan made while the table was empty.
      CROSS JOIN LATERAL (
        SELECT s.id, s.started_at, s.last_seen_at, s.viewed, s.liked FROM user_sessions s
        WHERE s.tour_id = h.tour_id AND s.visitor_hash = h.hash AND s.last_seen_at >= span.since
        OFFSET 0
      ) s
      WHERE s.started_at <= span.until
    ), timeline AS (
      SELECT vi, started_at AS a, last_seen_at AS b, id AS session_id,
             NULL::uuid AS id, NULL::int4 AS r, NULL::analytics_event_type AS type, NULL::uuid AS scene, NULL::uuid AS hotspot, NULL::text AS data
      FROM found
      UNION ALL SELECT vi, at, at, NULL, id, r, type, scene, hotspot, data FROM e
    ), stretches AS MATERIALIZED (
      SELECT *, count(*) FILTER (WHERE starts) OVER (PARTITION BY vi ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS stretch
      FROM (
        SELECT t.*, t.a > max(t.b) OVER (PARTITION BY t.vi ORDER BY t.a, t.b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + idle.gap AS starts
        FROM timeline t CROSS JOIN idle
      ) marked
    ), chosen AS MATERIALIZED (
      SELECT c.vi, c.stretch, coalesce(c.existing, gen_random_uuid()) AS session_id, c.existing IS NOT NULL AS existing,
             coalesce(f.viewed, false) AS viewed, coalesce(f.liked, false) AS liked,
             v.tour_id, v.hash, v.browser, v.os, v.device_type
      FROM (
        SELECT vi, stretch, (array_agg(session_id ORDER BY b DESC) FILTER (WHERE session_id IS NOT NULL))[1] AS existing
        FROM stretches GROUP BY vi, stretch HAVING count(id) > 0
      ) c
      JOIN v ON v.i = c.vi
      LEFT JOIN found f ON f.id = c.existing
    ), ins AS (
      INSERT INTO tour_analytics_events (id, tour_id, session_id, type, scene_id, hotspot_id, occurred_at, received_at, data)
      SELECT st.id, c.tour_id, c.session_id, st.type, st.scene, st.hotspot, st.a,
             to_timestamp((${received}::float8[])[st.r] / 1000), st.data::jsonb
      FROM stretches st
      JOIN chosen c ON c.vi = st.vi AND c.stretch = st.stretch
      WHERE st.id IS NOT NULL AND c.tour_id IN (SELECT id FROM published)
      ORDER BY st.id
      ON CONFLICT (id) DO NOTHING
      RETURNING id, tour_id, session_id, type, scene_id, occurred_at,
                CASE WHEN type = 'view' THEN data->>'referrerHost' END AS referrer_host
    ), stored AS (
      SELECT session_id AS id, count(*)::int AS n, min(occurred_at) AS first, max(occurred_at) AS last,
             min(occurred_at) FILTER (WHERE type = 'view') AS first_view,
             min(occurred_at) FILTER (WHERE type = 'like') AS first_like,
             (array_agg(scene_id ORDER BY occurred_at, id) FILTER (WHERE scene_id IS NOT NULL))[1] AS entry_scene_id,
             (array_agg(referrer_host ORDER BY occurred_at, id) FILTER (WHERE referrer_host IS NOT NULL))[1] AS referrer_host
      FROM ins GROUP BY session_id
    ), touched AS MATERIALIZED (
      SELECT c.session_id AS id, c.existing, c.tour_id, c.hash, c.browser, c.os, c.device_type, t.n, t.first, t.last,
             t.first_view, t.first_like, t.entry_scene_id, t.referrer_host,
             t.first_view IS NOT NULL AND NOT c.viewed AS counts_view,
             t.first_like IS NOT NULL AND NOT c.liked AS counts_like
      FROM stored t JOIN chosen c ON c.session_id = t.id
    ), sessions AS (
      INSERT INTO user_sessions AS u (id, tour_id, visitor_hash, started_at, last_seen_at, event_count, viewed, liked,
                                      entry_scene_id, referrer_host, browser, os, device_type)
      SELECT id, tour_id, decode(hash, 'hex'), first, last, n, first_view IS NOT NULL, first_like IS NOT NULL,
             entry_scene_id, referrer_host, browser, os, device_type
      FROM touched
      ON CONFLICT (id) DO UPDATE SET
        started_at = LEAST(u.started_at, excluded.started_at),
        last_seen_at = GREATEST(u.last_seen_at, excluded.last_seen_at),
        event_count = u.event_count + excluded.event_count,
        viewed = u.viewed OR excluded.viewed,
        liked = u.liked OR excluded.liked,
        visitor_hash = excluded.visitor_hash
    ), counted AS (
      SELECT tour_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, 0 AS views, 0 AS sessions,
             (type = 'scene_view')::int AS scene_views, (type = 'hotspot_click')::int AS hotspot_clicks,
             (type = 'share')::int AS shares, 0 AS likes
      FROM ins
      UNION ALL SELECT tour_id, (first_view AT TIME ZONE 'UTC')::date, 1, 0, 0, 0, 0, 0 FROM touched WHERE counts_view
      UNION ALL SELECT tour_id, (first_like AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, 1 FROM touched WHERE counts_like
      UNION ALL SELECT tour_id, (first AT TIME ZONE 'UTC')::date, 0, 1, 0, 0, 0, 0 FROM touched WHERE NOT existing
    ), days AS (
      SELECT tour_id, day, sum(views)::int8 AS views, sum(sessions)::int8 AS sessions, sum(scene_views)::int8 AS scene_views,
             sum(hotspot_clicks)::int8 AS hotspot_clicks, sum(shares)::int8 AS shares, sum(likes)::int8 AS likes
      FROM counted GROUP BY tour_id, day
    ), rollup AS (
      INSERT INTO tour_daily_stats AS d (tour_id, day, views, sessions, scene_views, hotspot_clicks, shares, likes)
      SELECT * FROM days ORDER BY tour_id, day
      ON CONFLICT (tour_id, day) DO UPDATE SET
        views = d.views + excluded.views,
        sessions = d.sessions + excluded.sessions,
        scene_views = d.scene_views + excluded.scene_views,
        hotspot_clicks = d.hotspot_clicks + excluded.hotspot_clicks,
        shares = d.shares + excluded.shares,
        likes = d.likes + excluded.likes
    )
    SELECT ARRAY(SELECT id FROM published)::text[] AS published,
           ARRAY(SELECT id FROM e EXCEPT ALL SELECT id FROM ins)::text[] AS not_inserted,
           (SELECT count(*) FROM touched WHERE NOT existing)::int AS created`;
}
