import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '@vr-tour/db';
import type { Logger } from '@vr-tour/node-kit';
import type { CollectorMetrics } from './metrics.js';
import { BoundedQueue, type QueuedWrite, type WriteOutcome } from './queue.js';
import { DatabaseUnavailableError, QueueFullError, WriteFailedError } from './refusals.js';
import type { Visitor } from './sessions.js';
import { batchStatements, type BatchTail } from './store-statement.js';
import type { NormalizedEvent } from './validate.js';

export interface WriterOptions {
  /**
   * Opens the writer's own pool. After a connection failure the whole pool is
   * replaced: postgres.js 3.4.9 can leave a connection object unusable (or
   * crash on a write to it) once its socket died (porsager/postgres#1154, #1208).
   */
  connect: () => Sql;
  /** Bounds of the queue, counting what writers hold too; beyond them enqueue() refuses. */
  queue: { maxEvents: number; maxBytes: number };
  metrics: CollectorMetrics;
  logger: Logger;
  /** Events per transaction at most (whole requests; default 1000). */
  maxBatchEvents?: number;
  /** How long the first request of a batch may wait for company (default 2 ms). */
  lingerMs?: number;
  /** Concurrent write transactions (default 2: one commits while the next is built). */
  concurrency?: number;
  /** Idle gap that ends a session. */
  idleMs: number;
}

/** First delay between database probes while it is down; it doubles up to 2 s. */
const PROBE_INTERVAL_MS = 250;

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
function isConnectionError(error: unknown): boolean {
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

/**
 * Group commit. Writers take whole requests from the queue (≤ maxBatchEvents
 * events, or whatever arrived within lingerMs) and store them in one
 * transaction; each request's promise settles after COMMIT.
 */
export class Writer {
  /** Events and bytes taken from the queue by writers, not yet committed. */
  private readonly inFlight = { events: 0, bytes: 0 };
  private readonly queue: BoundedQueue;
  private dbUp = true;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private probing: Promise<void> | undefined;
  private readonly maxBatchEvents: number;
  private readonly lingerMs: number;
  private readonly concurrency: number;
  private pool: Sql;

  constructor(private readonly options: WriterOptions) {
    this.pool = options.connect();
    this.queue = new BoundedQueue(options.queue.maxEvents, options.queue.maxBytes);
    this.maxBatchEvents = options.maxBatchEvents ?? 1000;
    this.lingerMs = options.lingerMs ?? 2;
    this.concurrency = options.concurrency ?? 2;
  }

  /** True while the database was reachable at the last write or probe; while false, enqueue() is not worth trying. */
  get up(): boolean {
    return this.dbUp;
  }

  /** Events waiting for or in a write transaction. */
  get queuedEvents(): number {
    return this.queue.events + this.inFlight.events;
  }

  /** Bytes of the requests waiting for or in a write transaction. */
  get queuedBytes(): number {
    return this.queue.bytes + this.inFlight.bytes;
  }

  /**
   * Queues one request's events (`bytes`: its body's size); the promise
   * settles after their COMMIT. Throws QueueFullError when they do not fit.
   */
  enqueue(visitor: Visitor, receivedAt: number, events: NormalizedEvent[], bytes: number): Promise<WriteOutcome> {
    if (!this.queue.fits(events.length, bytes, this.inFlight)) throw new QueueFullError();
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ visitor, receivedAt, events, bytes, enqueuedAt: performance.now(), resolve, reject });
    });
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i += 1) this.loops.push(this.loop());
  }

  /** Finishes everything queued (or fails it, if the database is down), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.wake();
    await Promise.all(this.loops);
    await this.probing;
    await this.pool.end({ timeout: 5 });
  }

  /**
   * One transaction on the writer's pool: BEGIN, `fn`, COMMIT. After a
   * connection failure the connection is never written to again (no
   * ROLLBACK: the server rolls back a transaction whose connection died),
   * the pool is replaced, and this rejects with DatabaseUnavailableError.
   */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.pipelinedTransaction(async (tx) => {
        const value = await fn(tx);
        return { statements: [], result: () => value };
      });
    } catch (error) {
      throw isConnectionError(error) ? new DatabaseUnavailableError(error) : error;
    }
  }

  /**
   * A transaction in as few round trips as the statements allow: BEGIN goes
   * out ahead of `fn`'s own statements, and COMMIT right behind the
   * statements `fn` returns unsent, in the same write — a batch that awaits
   * nothing is one round trip, and the row locks its statements take are held
   * only until that COMMIT. If one of them fails, PostgreSQL turns the COMMIT
   * into a rollback, and the failure is what this rejects with.
   */
  private async pipelinedTransaction<T>(fn: (tx: Sql) => Promise<BatchTail<T>>): Promise<T> {
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
      // postgres.js sends a query when it is first awaited or executed, in that order.
      const begin = conn`BEGIN`.execute();
      // A failed BEGIN fails everything behind it; it is reported once, below.
      begin.catch(() => {});
      const tail = await fn(conn as unknown as Sql);
      const sent = tail.statements.map((statement) => statement.execute());
      const commit = conn`COMMIT`.execute();
      const [, answers, done] = await Promise.all([begin, Promise.all(sent), commit]);
      // A COMMIT of a failed transaction answers ROLLBACK: never a success.
      if (done.command !== 'COMMIT') throw new WriteFailedError(new Error(`COMMIT answered ${done.command}`));
      return tail.result(answers);
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
    const { queue } = this;
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

  private failAll(requests: QueuedWrite[], error: Error): void {
    for (const request of requests) request.reject(error);
  }

  private async write(batch: QueuedWrite[]): Promise<void> {
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
        this.failAll(this.queue.drain(), new DatabaseUnavailableError(error));
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
      let delay = PROBE_INTERVAL_MS;
      while (!this.dbUp) {
        await sleep(delay);
        try {
          await this.pool`SELECT 1`;
          this.dbUp = true;
          this.options.logger.info({}, 'analytics database reachable again');
        } catch {
          delay = Math.min(delay * 2, 2_000);
          if (this.stopping && this.queue.length === 0 && this.inFlight.events === 0) break;
        }
      }
      this.probing = undefined;
    })();
  }

  /** One batch, one transaction, one round trip. Returns each request's outcome, in order. */
  private async commitBatch(batch: QueuedWrite[]): Promise<WriteOutcome[]> {
    const { outcomes, sessionsCreated } = await this.pipelinedTransaction(async (tx) => batchStatements(tx, batch, this.options.idleMs));
    this.options.metrics.sessionsCreated.inc(sessionsCreated);
    return outcomes;
  }
}
