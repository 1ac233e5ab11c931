import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
import type { CollectorMetrics } from './metrics.js';
import type { BoundedQueue, WriteOutcome, WriteRequest } from './queue.js';
import { assignSession, SESSION_IDLE_MS, utcDay, type SessionState } from './sessions.js';
import type { NormalizedEvent, Rejection } from './validate.js';

/** A statement built but not sent yet (postgres.js sends on first await or execute()). */
type PendingQuery = postgres.PendingQuery<postgres.Row[]>;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The database could not be reached: the request is answered 503 and retried by the client. */
export class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('the analytics database is unavailable', { cause });
  }
}

/** The write failed for another reason (logged); also answered 503. */
export class WriteFailedError extends Error {
  constructor(cause?: unknown) {
    super('the events could not be stored', { cause });
  }
}

export interface WriterOptions {
  /**
   * Opens the writer's own pool. After a connection failure the whole pool is
   * replaced: postgres.js 3.4.9 can leave a connection object unusable (or
   * crash on a write to it) once its socket died (porsager/postgres#1154, #1208).
   */
  connect: () => Sql;
  queue: BoundedQueue;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Events per transaction at most (whole requests; default 1000). */
  maxBatchEvents?: number;
  /** How long the first request of a batch may wait for company (default 2 ms). */
  lingerMs?: number;
  /** Concurrent write transactions (default 2: one commits while the next is built). */
  concurrency?: number;
  /** Delay between database probes while it is down (default 250 ms). */
  probeIntervalMs?: number;
  idleMs?: number;
}

// Namespace of the two-key advisory locks taken per visitor (the one-key space is the migrations').
const VISITOR_LOCK_NAMESPACE = 0x76727476;

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Connection-level failures: the database is (for now) unreachable. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

function isRetryable(error: unknown): boolean {
  const { code, routine } = (error as { code?: unknown; routine?: unknown } | null) ?? {};
  if (code === '40P01' || code === '40001') return true;
  // A row routed to the default partition while a new month's partition was
  // being attached (ensure_event_partitions) fails the default's new
  // constraint; tried again, it is routed to the new partition.
  return code === '23514' && routine === 'ExecPartitionCheckEmitError';
}

interface DayStats {
  tourId: string;
  day: string;
  views: number;
  sessions: number;
  sceneViews: number;
  hotspotClicks: number;
  shares: number;
  likes: number;
}

interface SessionWrite {
  state: SessionState;
  tourId: string;
  hash: string;
  request: WriteRequest;
  first: number;
  last: number;
  count: number;
  view: NormalizedEvent | undefined;
  like: NormalizedEvent | undefined;
  entrySceneId: string | null;
  referrerHost: string | null;
}

/**
 * Group commit. Writers take whole requests from the queue (≤ maxBatchEvents
 * events, or whatever arrived within lingerMs) and store them in one
 * transaction; each request's promise settles after COMMIT.
 */
export class Writer {
  readonly inFlight = { events: 0, bytes: 0 };
  dbUp = true;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private probing: Promise<void> | undefined;
  private readonly maxBatchEvents: number;
  private readonly lingerMs: number;
  private readonly concurrency: number;
  private readonly probeIntervalMs: number;
  private readonly idleMs: number;
  private pool: Sql;

  constructor(private readonly options: WriterOptions) {
    this.pool = options.connect();
    this.maxBatchEvents = options.maxBatchEvents ?? 1000;
    this.lingerMs = options.lingerMs ?? 2;
    this.concurrency = options.concurrency ?? 2;
    this.probeIntervalMs = options.probeIntervalMs ?? 250;
    this.idleMs = options.idleMs ?? SESSION_IDLE_MS;
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i += 1) this.loops.push(this.loop());
  }

  /** Finishes everything queued (or fails it, if the database is down), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.options.queue.wake();
    await Promise.all(this.loops);
    await this.probing;
    await this.pool.end({ timeout: 5 });
  }

  /**
   * One transaction on the writer's pool: BEGIN, `fn`, COMMIT. After a
   * connection failure the connection is never written to again (no
   * ROLLBACK: the server rolls back a transaction whose connection died) and
   * the pool is replaced.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.pipelinedTransaction(async (tx) => ({ value: await fn(tx), inFlight: [] }));
  }

  /**
   * A transaction in as few round trips as the statements allow: BEGIN goes
   * out with `fn`'s first statements, and COMMIT right behind the statements
   * `fn` returns unsent. If one of those fails, PostgreSQL turns the COMMIT
   * into a rollback, and the failure is what this rejects with.
   */
  private async pipelinedTransaction<T>(fn: (tx: Sql) => Promise<{ value: T; inFlight: PendingQuery[] }>): Promise<T> {
    const pool = this.pool;
    let conn: Awaited<ReturnType<Sql['reserve']>>;
    try {
      conn = await pool.reserve();
    } catch (error) {
      if (isConnectionError(error)) this.connectionLost(pool);
      throw error;
    }
    let lost = false;
    try {
      // postgres.js sends a query when it is first awaited or executed, in
      // that order: BEGIN is executed before `fn` can send anything, and the
      // statements `fn` leaves are executed, in order, before COMMIT.
      const begin = conn`BEGIN`.execute();
      const [, { value, inFlight }] = await Promise.all([begin, fn(conn as unknown as Sql)]);
      const tail = inFlight.map((statement) => statement.execute());
      const commit = conn`COMMIT`.execute();
      const [, done] = await Promise.all([Promise.all(tail), commit]);
      // A COMMIT of a failed transaction answers ROLLBACK: never a success.
      if (done.command !== 'COMMIT') throw new WriteFailedError(new Error(`COMMIT answered ${done.command}`));
      return value;
    } catch (error) {
      if (isConnectionError(error)) {
        lost = true;
        this.connectionLost(pool);
      } else {
        await conn`ROLLBACK`.catch(() => {});
      }
      throw error;
    } finally {
      if (!lost) conn.release();
    }
  }

  private connectionLost(pool: Sql): void {
    if (pool === this.pool) {
      this.pool = this.options.connect();
      pool.end({ timeout: 0 }).catch(() => {});
    }
    this.markDown();
  }

  private async loop(): Promise<void> {
    const { queue } = this.options;
    for (;;) {
      if (queue.length === 0) {
        if (this.stopping) return;
        await queue.waitForItems();
        continue;
      }
      if (!this.dbUp) {
        this.failAll(queue.drain(), new DatabaseUnavailableError());
        continue;
      }
      const oldest = queue.oldest();
      if (!this.stopping && queue.events < this.maxBatchEvents && oldest !== undefined) {
        const wait = oldest + this.lingerMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const batch = queue.take(this.maxBatchEvents);
      if (batch.length === 0) continue;
      let events = 0;
      let bytes = 0;
      for (const request of batch) {
        events += request.events.length;
        bytes += request.bytes;
      }
      this.inFlight.events += events;
      this.inFlight.bytes += bytes;
      try {
        await this.write(batch);
      } finally {
        this.inFlight.events -= events;
        this.inFlight.bytes -= bytes;
      }
    }
  }

  private failAll(requests: WriteRequest[], error: Error): void {
    for (const request of requests) request.reject(error);
  }

  private async write(batch: WriteRequest[]): Promise<void> {
    const { metrics, logger } = this.options;
    const started = performance.now();
    try {
      let outcomes: WriteOutcome[] | undefined;
      for (let attempt = 1; !outcomes; attempt += 1) {
        try {
          outcomes = await this.commitBatch(batch);
        } catch (error) {
          if (!isRetryable(error) || attempt >= 3) throw error;
        }
      }
      metrics.commitSeconds.observe((performance.now() - started) / 1000);
      metrics.batchEvents.observe(batch.reduce((sum, request) => sum + request.events.length, 0));
      batch.forEach((request, i) => request.resolve(outcomes![i]!));
    } catch (error) {
      metrics.batchFailures.inc();
      if (isConnectionError(error)) {
        if (this.dbUp) logger.warn({ err: error }, 'analytics database unreachable; answering 503 until it returns');
        this.markDown();
        this.failAll(batch, new DatabaseUnavailableError(error));
        this.failAll(this.options.queue.drain(), new DatabaseUnavailableError(error));
      } else if (batch.length > 1) {
        // Isolate whatever request made the batch fail; the others are stored.
        logger.warn({ err: error, requests: batch.length }, 'write batch failed; retrying its requests one by one');
        for (const request of batch) await this.write([request]);
      } else {
        logger.error({ err: error }, 'a beacon request could not be stored');
        this.failAll(batch, new WriteFailedError(error));
      }
    }
  }

  /** While the database is down, probe it; new requests are refused fast meanwhile. */
  private markDown(): void {
    this.dbUp = false;
    if (this.probing) return;
    this.probing = (async () => {
      let delay = this.probeIntervalMs;
      while (!this.dbUp) {
        await sleep(delay);
        try {
          await this.pool`SELECT 1`;
          this.dbUp = true;
          this.options.logger.info({}, 'analytics database reachable again');
        } catch {
          delay = Math.min(delay * 2, 2_000);
          if (this.stopping && this.options.queue.length === 0 && this.inFlight.events === 0) break;
        }
      }
      this.probing = undefined;
    })();
  }

  /** Probes the database once (used at start and by readiness checks). */
  async probe(): Promise<boolean> {
    try {
      await this.pool`SELECT 1`;
      this.dbUp = true;
      return true;
    } catch (error) {
      if (isConnectionError(error)) this.connectionLost(this.pool);
      return false;
    }
  }

  /** One batch, one transaction. Returns each request's outcome, in order. */
  private async commitBatch(batch: WriteRequest[]): Promise<WriteOutcome[]> {
    const idleMs = this.idleMs;
    const outcomes: WriteOutcome[] = batch.map(() => ({ accepted: 0, duplicates: 0, rejected: [] as Rejection[] }));
    const tourIds = [...new Set(batch.map((request) => request.visitor.tourId))].sort();

    // Visitors of this batch: one per (tour, today's hash).
    interface VisitorGroup {
      tourId: string;
      hashes: string[];
      lockKey: number;
      requests: number[];
      first: number;
      last: number;
      sessions: SessionState[];
    }
    const visitors = new Map<string, VisitorGroup>();
    batch.forEach((request, i) => {
      const { visitor } = request;
      const key = `${visitor.tourId}|${visitor.key}`;
      let group = visitors.get(key);
      if (!group) {
        group = {
          tourId: visitor.tourId,
          hashes: visitor.hashes.map((hash) => hash.toString('hex')),
          lockKey: visitor.lockKey,
          requests: [],
          first: Infinity,
          last: -Infinity,
          sessions: [],
        };
        visitors.set(key, group);
      }
      group.requests.push(i);
      for (const event of request.events) {
        if (event.occurredAt < group.first) group.first = event.occurredAt;
        if (event.occurredAt > group.last) group.last = event.occurredAt;
      }
    });
    const groups = [...visitors.values()];
    const lockKeys = [...new Set(groups.map((group) => group.lockKey))].sort((a, b) => a - b);
    const lookup = { index: [] as number[], tour: [] as string[], hash: [] as string[], since: [] as number[], until: [] as number[] };
    groups.forEach((group, index) => {
      for (const hash of group.hashes) {
        lookup.index.push(index);
        lookup.tour.push(group.tourId);
        lookup.hash.push(hash);
        lookup.since.push(group.first - idleMs);
        lookup.until.push(group.last + idleMs);
      }
    });

    let sessionsCreated = 0;
    const result = await this.pipelinedTransaction(async (tx) => {
      // Pipelined: the tour check (FOR KEY SHARE keeps them from being deleted
      // under us), the visitors' advisory locks in sorted order (so processes
      // never split one visitor's session, and never deadlock), then their
      // recent sessions.
      const [tours, , found] = await Promise.all([
        tx<{ id: string }[]>`
          SELECT id FROM tours
          WHERE id = ANY(${tourIds}::uuid[]) AND status = 'published' AND visibility IN ('public', 'unlisted')
          ORDER BY id FOR KEY SHARE`,
        tx`SELECT pg_advisory_xact_lock(${VISITOR_LOCK_NAMESPACE}::int4, k) FROM unnest(${lockKeys}::int4[]) WITH ORDINALITY AS l(k, n) ORDER BY n`,
        tx<{ i: number; id: string; started_at: Date; last_seen_at: Date; viewed: boolean; liked: boolean }[]>`
          SELECT v.i, s.id, s.started_at, s.last_seen_at, s.viewed, s.liked
          FROM unnest(${lookup.index}::int4[], ${lookup.tour}::uuid[], ${lookup.hash}::text[],
                      ${lookup.since}::float8[], ${lookup.until}::float8[]) AS v(i, tour_id, hash, since, until)
          JOIN user_sessions s ON s.tour_id = v.tour_id AND s.visitor_hash = decode(v.hash, 'hex')
            AND s.last_seen_at >= to_timestamp(v.since / 1000) AND s.started_at <= to_timestamp(v.until / 1000)`,
      ]);
      const published = new Set(tours.map((row) => row.id));
      const seenIds = new Set<string>();
      for (const row of found) {
        const group = groups[row.i]!;
        if (group.sessions.some((session) => session.id === row.id)) continue;
        group.sessions.push({
          id: row.id,
          startedAt: row.started_at.getTime(),
          lastSeenAt: row.last_seen_at.getTime(),
          viewed: row.viewed,
          liked: row.liked,
          existing: true,
        });
      }

      // Assign sessions (in time order per visitor) and line up the event rows.
      interface Pending {
        event: NormalizedEvent;
        request: number;
        session: SessionState;
      }
      const pending: Pending[] = [];
      for (const group of groups) {
        if (!published.has(group.tourId)) {
          for (const i of group.requests) {
            for (const event of batch[i]!.events) outcomes[i]!.rejected.push({ index: event.index, reason: 'unknown_tour' });
          }
          continue;
        }
        const mine: { event: NormalizedEvent; request: number }[] = [];
        for (const i of group.requests) {
          for (const event of batch[i]!.events) {
            if (seenIds.has(event.id)) continue;
            seenIds.add(event.id);
            mine.push({ event, request: i });
          }
        }
        mine.sort((a, b) => a.event.occurredAt - b.event.occurredAt);
        for (const item of mine) pending.push({ ...item, session: assignSession(group.sessions, item.event.occurredAt, idleMs) });
      }
      if (pending.length === 0) return { value: outcomes, inFlight: [] };
      // A fixed order (by id) so two transactions inserting the same retried ids never deadlock.
      pending.sort((a, b) => (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));

      // Per-event columns stay small: the tour and receive time are the
      // request's, and the session one of a few, so events carry indexes into
      // those (1-based, as SQL arrays are); times travel as epoch ms.
      const requestIndex = new Map<number, number>();
      const requests = { tour: [] as string[], received: [] as number[] };
      const sessionIndex = new Map<SessionState, number>();
      const sessionIds: string[] = [];
      const columns = {
        id: [] as string[],
        request: [] as number[],
        session: [] as number[],
        type: [] as string[],
        scene: [] as (string | null)[],
        hotspot: [] as (string | null)[],
        occurred: [] as number[],
        data: [] as string[],
      };
      for (const { event, request, session } of pending) {
        let r = requestIndex.get(request);
        if (r === undefined) {
          requests.tour.push(batch[request]!.visitor.tourId);
          requests.received.push(batch[request]!.receivedAt);
          r = requests.tour.length;
          requestIndex.set(request, r);
        }
        let si = sessionIndex.get(session);
        if (si === undefined) {
          sessionIds.push(session.id);
          si = sessionIds.length;
          sessionIndex.set(session, si);
        }
        columns.id.push(event.id);
        columns.request.push(r);
        columns.session.push(si);
        columns.type.push(event.type);
        columns.scene.push(event.sceneId);
        columns.hotspot.push(event.hotspotId);
        columns.occurred.push(event.occurredAt);
        columns.data.push(JSON.stringify(event.data));
      }
      const inserted = await tx<{ id: string }[]>`
        INSERT INTO tour_analytics_events (id, tour_id, session_id, type, scene_id, hotspot_id, occurred_at, received_at, data)
        SELECT e.id, (${requests.tour}::uuid[])[e.r], (${sessionIds}::uuid[])[e.s], e.type, e.scene, e.hotspot,
               to_timestamp(e.occurred / 1000), to_timestamp((${requests.received}::float8[])[e.r] / 1000), e.data::jsonb
        FROM unnest(${columns.id}::uuid[], ${columns.request}::int4[], ${columns.session}::int4[],
                    ${columns.type}::analytics_event_type[], ${columns.scene}::uuid[], ${columns.hotspot}::uuid[],
                    ${columns.occurred}::float8[], ${columns.data}::text[]) AS e(id, r, s, type, scene, hotspot, occurred, data)
        ON CONFLICT (id) DO NOTHING
        RETURNING id`;
      const insertedIds = new Set(inserted.map((row) => row.id));

      // Everything below counts only rows that were actually inserted.
      const writes = new Map<SessionState, SessionWrite>();
      const days = new Map<string, DayStats>();
      const dayStats = (tourId: string, at: number): DayStats => {
        const day = utcDay(at);
        const key = `${tourId}|${day}`;
        let stats = days.get(key);
        if (!stats) {
          stats = { tourId, day, views: 0, sessions: 0, sceneViews: 0, hotspotClicks: 0, shares: 0, likes: 0 };
          days.set(key, stats);
        }
        return stats;
      };
      const tourDeltas = new Map<string, { views: number; likes: number; shares: number }>();
      const tourDelta = (tourId: string) => {
        let delta = tourDeltas.get(tourId);
        if (!delta) {
          delta = { views: 0, likes: 0, shares: 0 };
          tourDeltas.set(tourId, delta);
        }
        return delta;
      };
      // Time order inside each session, so the entry scene and first view are the earliest.
      const byTime = pending.filter((item) => insertedIds.has(item.event.id)).sort((a, b) => a.event.occurredAt - b.event.occurredAt);
      for (const { event, request, session } of byTime) {
        outcomes[request]!.accepted += 1;
        const { visitor } = batch[request]!;
        let write = writes.get(session);
        if (!write) {
          write = {
            state: session,
            tourId: visitor.tourId,
            hash: visitor.key,
            request: batch[request]!,
            first: event.occurredAt,
            last: event.occurredAt,
            count: 0,
            view: undefined,
            like: undefined,
            entrySceneId: event.sceneId,
            referrerHost: null,
          };
          writes.set(session, write);
        }
        write.count += 1;
        write.first = Math.min(write.first, event.occurredAt);
        write.last = Math.max(write.last, event.occurredAt);
        if (!write.entrySceneId && event.sceneId) write.entrySceneId = event.sceneId;
        const stats = dayStats(visitor.tourId, event.occurredAt);
        switch (event.type) {
          case 'view':
            if (!write.referrerHost && event.referrerHost) write.referrerHost = event.referrerHost;
            if (!session.viewed && !write.view) {
              write.view = event;
              stats.views += 1;
              tourDelta(visitor.tourId).views += 1;
            }
            break;
          case 'like':
            if (!session.liked && !write.like) {
              write.like = event;
              stats.likes += 1;
              tourDelta(visitor.tourId).likes += 1;
            }
            break;
          case 'scene_view':
            stats.sceneViews += 1;
            break;
          case 'hotspot_click':
            stats.hotspotClicks += 1;
            break;
          case 'share':
            stats.shares += 1;
            tourDelta(visitor.tourId).shares += 1;
            break;
          default:
            break;
        }
      }
      for (const write of writes.values()) {
        if (!write.state.existing) dayStats(write.tourId, write.first).sessions += 1;
      }
      // Valid events of a known tour that were not inserted were already stored: retries.
      batch.forEach((request, i) => {
        const outcome = outcomes[i]!;
        if (outcome.rejected.length === 0) outcome.duplicates = request.events.length - outcome.accepted;
      });

      const created = [...writes.values()].filter((write) => !write.state.existing);
      const extended = [...writes.values()].filter((write) => write.state.existing);
      const statements: PendingQuery[] = [];
      if (created.length > 0) {
        statements.push(tx`
          INSERT INTO user_sessions (id, tour_id, visitor_hash, started_at, last_seen_at, event_count, viewed, liked,
                                     entry_scene_id, referrer_host, browser, os, device_type)
          SELECT id, tour_id, decode(hash, 'hex'), to_timestamp(started_at / 1000), to_timestamp(last_seen_at / 1000), event_count, viewed, liked,
                 entry_scene_id, referrer_host, browser, os, device_type
          FROM unnest(
            ${created.map((w) => w.state.id)}::uuid[], ${created.map((w) => w.tourId)}::uuid[],
            ${created.map((w) => w.hash)}::text[], ${created.map((w) => w.first)}::float8[],
            ${created.map((w) => w.last)}::float8[], ${created.map((w) => w.count)}::int4[],
            ${created.map((w) => String(w.view !== undefined))}::text[]::bool[], ${created.map((w) => String(w.like !== undefined))}::text[]::bool[],
            ${created.map((w) => w.entrySceneId)}::uuid[], ${created.map((w) => w.referrerHost)}::text[],
            ${created.map((w) => w.request.visitor.browser)}::text[], ${created.map((w) => w.request.visitor.os)}::text[],
            ${created.map((w) => w.request.visitor.deviceType)}::text[]
          ) AS v(id, tour_id, hash, started_at, last_seen_at, event_count, viewed, liked,
                 entry_scene_id, referrer_host, browser, os, device_type)`);
      }
      if (extended.length > 0) {
        extended.sort((a, b) => (a.state.id < b.state.id ? -1 : 1));
        statements.push(tx`
          UPDATE user_sessions s SET
            started_at = LEAST(s.started_at, to_timestamp(v.first / 1000)),
            last_seen_at = GREATEST(s.last_seen_at, to_timestamp(v.last / 1000)),
            event_count = s.event_count + v.n,
            viewed = s.viewed OR v.viewed,
            liked = s.liked OR v.liked,
            visitor_hash = decode(v.hash, 'hex')
          FROM unnest(
            ${extended.map((w) => w.state.id)}::uuid[], ${extended.map((w) => w.first)}::float8[],
            ${extended.map((w) => w.last)}::float8[], ${extended.map((w) => w.count)}::int4[],
            ${extended.map((w) => String(w.view !== undefined))}::text[]::bool[], ${extended.map((w) => String(w.like !== undefined))}::text[]::bool[],
            ${extended.map((w) => w.hash)}::text[]
          ) AS v(id, first, last, n, viewed, liked, hash)
          WHERE s.id = v.id`);
      }
      const stats = [...days.values()].sort((a, b) => (a.tourId === b.tourId ? (a.day < b.day ? -1 : 1) : a.tourId < b.tourId ? -1 : 1));
      if (stats.length > 0) {
        statements.push(tx`
          INSERT INTO tour_daily_stats AS d (tour_id, day, views, sessions, scene_views, hotspot_clicks, shares, likes)
          SELECT * FROM unnest(
            ${stats.map((s) => s.tourId)}::uuid[], ${stats.map((s) => s.day)}::date[],
            ${stats.map((s) => s.views)}::int8[], ${stats.map((s) => s.sessions)}::int8[], ${stats.map((s) => s.sceneViews)}::int8[],
            ${stats.map((s) => s.hotspotClicks)}::int8[], ${stats.map((s) => s.shares)}::int8[], ${stats.map((s) => s.likes)}::int8[])
          ON CONFLICT (tour_id, day) DO UPDATE SET
            views = d.views + excluded.views,
            sessions = d.sessions + excluded.sessions,
            scene_views = d.scene_views + excluded.scene_views,
            hotspot_clicks = d.hotspot_clicks + excluded.hotspot_clicks,
            shares = d.shares + excluded.shares,
            likes = d.likes + excluded.likes`);
      }
      const deltas = [...tourDeltas.entries()]
        .filter(([, delta]) => delta.views + delta.likes + delta.shares > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      if (deltas.length > 0) {
        const ids = deltas.map(([id]) => id);
        // Lock the counter rows in sorted order first, then bump them.
        statements.push(tx`SELECT 1 FROM tours WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR NO KEY UPDATE`);
        statements.push(tx`
          UPDATE tours t SET
            view_count = t.view_count + v.views,
            like_count = t.like_count + v.likes,
            share_count = t.share_count + v.shares
          FROM unnest(${ids}::uuid[], ${deltas.map(([, d]) => d.views)}::int8[],
                      ${deltas.map(([, d]) => d.likes)}::int8[], ${deltas.map(([, d]) => d.shares)}::int8[]) AS v(id, views, likes, shares)
          WHERE t.id = v.id`);
      }
      sessionsCreated = created.length;
      // Sent with COMMIT behind them, in one round trip: the row locks they take are held only that long.
      return { value: outcomes, inFlight: statements };
    });
    this.options.metrics.sessionsCreated.inc(sessionsCreated);
    return result;
  }
}
