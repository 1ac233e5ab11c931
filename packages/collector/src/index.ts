import postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
import { BEACON_LIMITS } from '@vr-tour/protocol';
import { createMetrics } from './metrics.js';
import { ensurePartitions } from './partitions.js';
import { BoundedQueue } from './queue.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { createHandler, type CollectorHandler } from './handler.js';
import { SaltStore, SESSION_IDLE_MS } from './sessions.js';
import { Writer, type Logger } from './writer.js';

export { DEFAULT_RATE_LIMITS, parseBucket, type RateLimitOptions, type BucketConfig } from './rate-limit.js';
export { SESSION_IDLE_MS, visitorHash } from './sessions.js';
export type { Logger } from './writer.js';
export type { CollectorHandler } from './handler.js';

export interface CollectorOptions {
  /** Where to write. The collector opens its own small pool with this pool's settings. */
  sql: Sql;
  /** pino-like; errors only go to the console without one. */
  logger?: Logger;
  /** The clock (ms since epoch): event times, salt days, session splits. Tests inject one. */
  now?: () => number;
  /** Raw body limit in bytes (default the protocol's BEACON_LIMITS.batchBytes); larger is 413. */
  maxBodyBytes?: number;
  /** The in-memory queue's bounds (defaults 20,000 events, 16 MiB); full is 503 + Retry-After. */
  queue?: { maxEvents?: number; maxBytes?: number };
  /** Group commit: events per transaction (≤ 1000), linger ms (2), concurrent transactions (2). */
  batch?: { maxEvents?: number; lingerMs?: number; concurrency?: number };
  /** Token buckets in events per IP and per tour, or false for none. */
  rateLimit?: RateLimitOptions | false;
  /** Create monthly event partitions at start and daily (default true). */
  maintainPartitions?: boolean;
  /** Idle gap that ends a session (default 30 minutes). */
  sessionIdleMs?: number;
}

export interface Collector {
  /**
   * `POST /` and `OPTIONS /` as a plain Node handler: mount it at /collect
   * (`app.use('/collect', collector.handler)`); other paths go to `next`.
   */
  handler: CollectorHandler;
  /** Prometheus text exposition of the collector's counters. */
  metrics(): string;
  /** True while the database was reachable at the last write or probe. */
  healthy(): boolean;
  /** Refuses new batches (503), commits everything queued, then stops. */
  close(): Promise<void>;
}

const quietLogger: Logger = {
  info() {},
  warn() {},
  error(obj, msg) {
    console.error(msg ?? 'collector error', obj);
  },
};

const DAY_MS = 86_400_000;

export function createCollector(options: CollectorOptions): Collector {
  const logger = options.logger ?? quietLogger;
  const now = options.now ?? Date.now;
  const queue = new BoundedQueue(options.queue?.maxEvents ?? 20_000, options.queue?.maxBytes ?? 16 * 1024 * 1024);
  let writer: Writer | undefined;
  const metrics = createMetrics({
    queueEvents: () => queue.events + (writer?.inFlight.events ?? 0),
    queueBytes: () => queue.bytes + (writer?.inFlight.bytes ?? 0),
    dbUp: () => (writer?.dbUp ? 1 : 0),
  });
  const concurrency = options.batch?.concurrency ?? 2;
  writer = new Writer({
    // The collector's own small pool, with the caller's connection settings and types.
    connect: () => postgres({ ...(options.sql.options as object), max: concurrency + 2 } as postgres.Options<{}>) as unknown as Sql,
    queue,
    metrics,
    logger,
    maxBatchEvents: Math.min(1000, options.batch?.maxEvents ?? 1000),
    lingerMs: options.batch?.lingerMs ?? 2,
    concurrency,
    idleMs: options.sessionIdleMs ?? SESSION_IDLE_MS,
  });
  writer.start();
  const transaction = writer.transaction.bind(writer);
  const salts = new SaltStore(transaction);
  let closing = false;
  const admissions = { count: 0 };

  // Partitions ahead of time: now, and daily; a failure (database down) is retried sooner.
  let partitionTimer: NodeJS.Timeout | undefined;
  const maintain = async () => {
    let next = DAY_MS;
    try {
      await ensurePartitions(transaction, now());
    } catch (error) {
      logger.warn({ err: error }, 'could not ensure event partitions; retrying in a minute');
      next = 60_000;
    }
    if (!closing) {
      partitionTimer = setTimeout(() => void maintain(), next);
      partitionTimer.unref();
    }
  };
  if (options.maintainPartitions !== false) void maintain();

  const handler = createHandler({
    queue,
    writer,
    salts,
    metrics,
    rateLimiter: options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMITS),
    logger,
    now,
    maxBodyBytes: options.maxBodyBytes ?? BEACON_LIMITS.batchBytes,
    isClosing: () => closing,
    admissions,
  });

  let closed: Promise<void> | undefined;
  return {
    handler,
    metrics: () => metrics.render(),
    healthy: () => writer.dbUp,
    close() {
      closing = true;
      if (partitionTimer) clearTimeout(partitionTimer);
      closed ??= (async () => {
        // Requests already admitted (fetching the day's salt) still join the queue.
        while (admissions.count > 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await writer.stop();
      })();
      return closed;
    },
  };
}
