import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import getRawBody from 'raw-body';
import type { BeaconResult } from '@vr-tour/protocol';
import { isAutomated } from './bots.js';
import type { CollectorMetrics } from './metrics.js';
import { COMMON_HEADERS, sendJson, sendProblem } from './problem.js';
import { QueueFullError, type BoundedQueue, type WriteOutcome } from './queue.js';
import type { RateLimiter } from './rate-limit.js';
import { makeVisitor, type SaltStore } from './sessions.js';
import { parseEnvelope, validateEvents } from './validate.js';
import { DatabaseUnavailableError, isConnectionError, type Logger, type Writer } from './writer.js';

export interface HandlerContext {
  queue: BoundedQueue;
  writer: Writer;
  salts: SaltStore;
  metrics: CollectorMetrics;
  rateLimiter: RateLimiter | undefined;
  logger: Logger;
  now: () => number;
  maxBodyBytes: number;
  isClosing: () => boolean;
  /** Counts requests between admission and the queue, so close() waits for them too. */
  admissions: { count: number };
}

/**
 * The beacon endpoint as a plain Node handler (Express mounts it as
 * middleware; it needs nothing of Express). `next`, when given, receives
 * what is not `POST /` or `OPTIONS /` under the mount point.
 */
export type CollectorHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** What Express adds to a request that the handler reads when it is there. */
interface MountedRequest extends IncomingMessage {
  /** The client address under the app's `trust proxy` setting. */
  ip?: string;
  originalUrl?: string;
}

const ACCEPTED_TYPES = new Set(['text/plain', 'application/json']);

function mediaType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function dropReason(reason: string): 'invalid' | 'unknown_tour' | 'bot' {
  return reason === 'unknown_tour' ? 'unknown_tour' : reason === 'bot' ? 'bot' : 'invalid';
}

function isIdentity(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  return encoding === undefined || encoding.trim().toLowerCase() === 'identity';
}

/**
 * `POST /` (mounted at /collect): a beacon batch in, 200 with
 * `{accepted, duplicates, rejected}` once its events are committed.
 */
export function createHandler(ctx: HandlerContext): CollectorHandler {
  const { metrics } = ctx;
  // Compressed bodies (no browser sends them, a custom client may) go through
  // body-parser, which inflates gzip/deflate/br under the same limit and
  // answers 415 for other encodings; plain ones are read with raw-body, the
  // reader body-parser itself uses, without its per-request layers.
  const readEncoded = express.raw({ type: () => true, limit: ctx.maxBodyBytes });
  const readBody = (req: IncomingMessage, res: ServerResponse): Promise<Buffer> =>
    isIdentity(req)
      ? getRawBody(req, { limit: ctx.maxBodyBytes, length: req.headers['content-length'] })
      : new Promise((resolve, reject) => {
          readEncoded(req as express.Request, res as express.Response, (error?: unknown) => {
            const body = (req as { body?: unknown }).body;
            if (error) reject(error);
            else resolve(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
          });
        });

  async function collect(req: MountedRequest, res: ServerResponse, instance: string): Promise<void> {
    const problem = (status: number, detail: string, options: { retryAfterSeconds?: number } = {}) => {
      metrics.requests.inc(1, { status: String(status) });
      sendProblem(res, status, detail, { ...options, instance });
    };
    const ok = (result: BeaconResult) => {
      metrics.requests.inc(1, { status: '200' });
      sendJson(res, result);
    };

    const type = mediaType(req);
    // sendBeacon with a string sends text/plain; a missing type is read as JSON too.
    if (type !== undefined && !ACCEPTED_TYPES.has(type)) {
      problem(415, 'send the beacon batch as text/plain or application/json');
      req.resume();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, res);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 413) problem(413, `the body is larger than the limit of ${ctx.maxBodyBytes} bytes`);
      else if (typeof status === 'number' && status >= 400 && status < 500) problem(status, String((error as Error).message ?? 'bad request'));
      else throw error;
      return;
    }
    const parsed = parseEnvelope(body.toString('utf8'));
    if (!parsed.ok) {
      problem(400, parsed.detail);
      return;
    }
    const { envelope } = parsed;
    const count = envelope.events.length;
    metrics.received.inc(count);
    if (ctx.isClosing()) {
      metrics.deferred.inc(count, { reason: 'draining' });
      problem(503, 'the collector is shutting down; retry', { retryAfterSeconds: 2 });
      return;
    }
    const userAgent = req.headers['user-agent'];
    const ip = req.ip ?? req.socket.remoteAddress ?? '';

    if (isAutomated(userAgent, envelope.client)) {
      metrics.dropped.inc(count, { reason: 'bot' });
      // 200, so automation does not retry; nothing is stored or counted.
      ok({ accepted: 0, duplicates: 0, rejected: envelope.events.map((_, index) => ({ index, reason: 'bot' })) });
      return;
    }

    const receivedAt = ctx.now();
    const wait = ctx.rateLimiter?.admit(ip, envelope.tourId, count, performance.now()) ?? 0;
    if (wait > 0) {
      metrics.deferred.inc(count, { reason: 'rate_limited' });
      problem(429, 'too many analytics events from this address or for this tour; retry later', { retryAfterSeconds: wait });
      return;
    }

    const checked = validateEvents(envelope.events, receivedAt);
    metrics.dropped.inc(checked.rejected.length, { reason: 'invalid' });
    const answer = (outcome: WriteOutcome) => {
      const rejected = checked.rejected.length === 0 ? outcome.rejected : [...checked.rejected, ...outcome.rejected].sort((a, b) => a.index - b.index);
      const duplicates = checked.duplicates + outcome.duplicates;
      metrics.accepted.inc(outcome.accepted);
      metrics.duplicates.inc(duplicates);
      for (const rejection of outcome.rejected) metrics.dropped.inc(1, { reason: dropReason(rejection.reason) });
      ok({ accepted: outcome.accepted, duplicates, rejected });
    };
    if (checked.events.length === 0) {
      answer({ accepted: 0, duplicates: 0, rejected: [] });
      return;
    }

    ctx.admissions.count += 1;
    let admitted = true;
    try {
      if (!ctx.writer.dbUp) throw new DatabaseUnavailableError();
      let salts;
      try {
        salts = await ctx.salts.get(receivedAt);
      } catch (error) {
        if (isConnectionError(error)) {
          ctx.writer.probe().catch(() => {});
          throw new DatabaseUnavailableError(error);
        }
        throw error;
      }
      // A user agent is present: isAutomated() drops requests without one.
      const visitor = makeVisitor(salts, envelope.tourId, ip, userAgent!);
      if (!ctx.queue.fits(checked.events.length, body.length, ctx.writer.inFlight)) throw new QueueFullError();
      const outcome = new Promise<WriteOutcome>((resolve, reject) => {
        ctx.queue.push({ visitor, receivedAt, events: checked.events, bytes: body.length, enqueuedAt: performance.now(), resolve, reject });
      });
      ctx.admissions.count -= 1;
      admitted = false;
      answer(await outcome);
    } catch (error) {
      if (admitted) ctx.admissions.count -= 1;
      admitted = false;
      const events = checked.events.length;
      if (error instanceof QueueFullError) {
        metrics.deferred.inc(events, { reason: 'queue_full' });
        problem(503, 'the collector is busy; retry later', { retryAfterSeconds: 1 });
      } else if (error instanceof DatabaseUnavailableError) {
        metrics.deferred.inc(events, { reason: 'db_unavailable' });
        problem(503, 'analytics storage is unavailable; retry later', { retryAfterSeconds: 2 });
      } else {
        metrics.deferred.inc(events, { reason: 'db_unavailable' });
        ctx.logger.error({ err: error }, 'beacon request failed');
        problem(503, 'the events could not be stored; retry later', { retryAfterSeconds: 2 });
      }
    }
  }

  return (req: MountedRequest, res, next) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const instance = req.originalUrl ?? url;
    if (path === '/' && req.method === 'POST') {
      collect(req, res, instance).catch((error: unknown) => {
        ctx.logger.error({ err: error }, 'collector error');
        if (res.headersSent) {
          res.destroy();
          return;
        }
        metrics.requests.inc(1, { status: '500' });
        sendProblem(res, 500, 'the collector failed to answer this request; it has been logged', { instance });
      });
    } else if (path === '/' && req.method === 'OPTIONS') {
      metrics.requests.inc(1, { status: '204' });
      res.writeHead(204, [...COMMON_HEADERS]);
      res.end();
    } else if (next) {
      // Not ours: whatever answers it still carries the collector's CORS headers.
      for (let i = 0; i < COMMON_HEADERS.length; i += 2) res.setHeader(COMMON_HEADERS[i]!, COMMON_HEADERS[i + 1]!);
      res.once('finish', () => metrics.requests.inc(1, { status: String(res.statusCode) }));
      next();
    } else {
      metrics.requests.inc(1, { status: '404' });
      sendProblem(res, 404, `no route for ${req.method} ${path}`, { instance });
    }
  };
}
