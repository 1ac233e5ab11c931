import postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
import { addressMatcher, createLogger, type AddressMatcher, type Logger } from '@vr-tour/node-kit';
import { BEACON_LIMITS } from '@vr-tour/protocol';
import { Admission } from './admission.js';
import { createHandler, type CollectorHandler } from './handler.js';
import { createMetrics } from './metrics.js';
import { ensurePartitions } from './partitions.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { SESSION_IDLE_MS } from './sessions.js';
import { Writer } from './writer.js';

export type { RateLimitOptions, BucketConfig } from './rate-limit.js';
export type { CollectorHandler } from './handler.js';

export interface CollectorOptions {
  /** Where to write. The collector opens its own small pool with this pool's settings. */
  sql: Sql;
  /** Where it logs; without one, errors only, as JSON lines on stdout. */
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
  /**
   * The proxies whose X-Forwarded-For gives the client's address (default
   * loopback): for requests that Express did not give an `ip`. Mounted in an
   * Express app, the app's `trust proxy` decides.
   */
  trustProxy?: AddressMatcher;
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

const DAY_MS = 86_400_000;
const TRUST_LOOPBACK = addressMatcher(['loopback']);

export function createCollector(options: CollectorOptions): Collector {
  const logger = options.logger ?? createLogger('vr-tour-collector', 'error');
  const now = options.now ?? Date.now;
  let writer: Writer | undefined;
  const metrics = createMetrics({
    queueEvents: () => writer?.queuedEvents ?? 0,
    queueBytes: () => writer?.queuedBytes ?? 0,
    dbUp: () => (writer?.up ? 1 : 0),
  });
  const concurrency = options.batch?.concurrency ?? 2;
  writer = new Writer({
    // The collector's own small pool, with the caller's connection settings and types.
    connect: () => postgres({ ...(options.sql.options as object), max: concurrency + 2 } as postgres.Options<{}>) as unknown as Sql,
    queue: { maxEvents: options.queue?.maxEvents ?? 20_000, maxBytes: options.queue?.maxBytes ?? 16 * 1024 * 1024 },
    metrics,
    logger,
    maxBatchEvents: Math.min(1000, options.batch?.maxEvents ?? 1000),
    lingerMs: options.batch?.lingerMs ?? 2,
    concurrency,
    idleMs: options.sessionIdleMs ?? SESSION_IDLE_MS,
  });
  writer.start();
  const admission = new Admission(writer);

  // Partitions ahead of time: now, and daily; a failure (database down) is retried sooner.
  let partitionTimer: NodeJS.Timeout | undefined;
  const maintain = async () => {
    let next = DAY_MS;
    try {
      await ensurePartitions((fn) => writer.transaction(fn), now());
    } catch (error) {
      logger.warn({ err: error }, 'could not ensure event partitions; retrying in a minute');
      next = 60_000;
    }
    if (admission.open) {
      partitionTimer = setTimeout(() => void maintain(), next);
      partitionTimer.unref();
    }
  };
  if (options.maintainPartitions !== false) void maintain();

  const handler = createHandler({
    admission,
    metrics,
    rateLimiter: options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMITS),
    logger,
    now,
    maxBodyBytes: options.maxBodyBytes ?? BEACON_LIMITS.batchBytes,
    trustProxy: options.trustProxy ?? TRUST_LOOPBACK,
  });

  let closed: Promise<void> | undefined;
  return {
    handler,
    metrics: () => metrics.render(),
    healthy: () => writer.up,
    close() {
      if (partitionTimer) clearTimeout(partitionTimer);
      closed ??= admission.close();
      return closed;
    },
  };
}
