import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { BeaconResult } from '@vr-tour/protocol';
import { isAutomated } from './bots.js';
import type { CollectorMetrics } from './metrics.js';
import { sendProblem } from './problem.js';
import { QueueFullError, type BoundedQueue, type WriteOutcome } from './queue.js';
import type { RateLimiter } from './rate-limit.js';
import { makeVisitor, type SaltStore } from './sessions.js';
import { parseEnvelope, validateEvents } from './validate.js';
import { DatabaseUnavailableError, isConnectionError, type Logger, type Writer } from './writer.js';

export interface RouterContext {
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

const ACCEPTED_TYPES = new Set(['text/plain', 'application/json']);

function setCors(res: Response): void {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Access-Control-Max-Age': '86400',
  });
}

function mediaType(req: Request): string | undefined {
  const header = req.headers['content-type'];
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function dropReason(reason: string): 'invalid' | 'unknown_tour' | 'bot' {
  return reason === 'unknown_tour' ? 'unknown_tour' : reason === 'bot' ? 'bot' : 'invalid';
}

/**
 * `POST /` (mounted at /collect): a beacon batch in, 200 with
 * `{accepted, duplicates, rejected}` once its events are committed.
 */
export function createRouter(ctx: RouterContext): Router {
  const router = Router();
  const { metrics } = ctx;

  router.use((req, res, next) => {
    setCors(res);
    res.set('Cache-Control', 'no-store');
    res.on('finish', () => metrics.requests.inc(1, { status: String(res.statusCode) }));
    next();
  });
  router.options('/', (_req, res) => {
    res.status(204).end();
  });
  router.post(
    '/',
    (req, res, next) => {
      const type = mediaType(req);
      // sendBeacon with a string sends text/plain; a missing type is read as JSON too.
      if (type !== undefined && !ACCEPTED_TYPES.has(type)) {
        sendProblem(res, 415, 'send the beacon batch as text/plain or application/json', { instance: req.originalUrl });
        return;
      }
      next();
    },
    express.raw({ type: () => true, limit: ctx.maxBodyBytes }),
    async (req, res) => {
      const instance = req.originalUrl;
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
      const parsed = parseEnvelope(body.toString('utf8'));
      if (!parsed.ok) {
        sendProblem(res, 400, parsed.detail, { instance });
        return;
      }
      const { envelope } = parsed;
      const count = envelope.events.length;
      metrics.received.inc(count);
      if (ctx.isClosing()) {
        metrics.deferred.inc(count, { reason: 'draining' });
        sendProblem(res, 503, 'the collector is shutting down; retry', { retryAfterSeconds: 2, instance });
        return;
      }
      const userAgent = req.get('user-agent');
      const ip = req.ip ?? req.socket.remoteAddress ?? '';

      if (isAutomated(userAgent, envelope.client)) {
        metrics.dropped.inc(count, { reason: 'bot' });
        // 200, so automation does not retry; nothing is stored or counted.
        const result: BeaconResult = {
          accepted: 0,
          duplicates: 0,
          rejected: envelope.events.map((_, index) => ({ index, reason: 'bot' })),
        };
        res.json(result);
        return;
      }

      const receivedAt = ctx.now();
      const wait = ctx.rateLimiter?.admit(ip, envelope.tourId, count, performance.now()) ?? 0;
      if (wait > 0) {
        metrics.deferred.inc(count, { reason: 'rate_limited' });
        sendProblem(res, 429, 'too many analytics events from this address or for this tour; retry later', {
          retryAfterSeconds: wait,
          instance,
        });
        return;
      }

      const checked = validateEvents(envelope.events, receivedAt);
      metrics.dropped.inc(checked.rejected.length, { reason: 'invalid' });
      const answer = (outcome: WriteOutcome) => {
        const rejected = [...checked.rejected, ...outcome.rejected].sort((a, b) => a.index - b.index);
        const duplicates = checked.duplicates + outcome.duplicates;
        metrics.accepted.inc(outcome.accepted);
        metrics.duplicates.inc(duplicates);
        for (const rejection of outcome.rejected) metrics.dropped.inc(1, { reason: dropReason(rejection.reason) });
        const result: BeaconResult = { accepted: outcome.accepted, duplicates, rejected };
        res.json(result);
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
        const visitor = makeVisitor(salts, envelope.tourId, ip, userAgent!);
        const events = checked.events.length;
        if (!ctx.queue.fits(events, body.length, ctx.writer.inFlight)) throw new QueueFullError();
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
          sendProblem(res, 503, 'the collector is busy; retry later', { retryAfterSeconds: 1, instance });
        } else if (error instanceof DatabaseUnavailableError) {
          metrics.deferred.inc(events, { reason: 'db_unavailable' });
          sendProblem(res, 503, 'analytics storage is unavailable; retry later', { retryAfterSeconds: 2, instance });
        } else {
          metrics.deferred.inc(events, { reason: 'db_unavailable' });
          ctx.logger.error({ err: error }, 'beacon request failed');
          sendProblem(res, 503, 'the events could not be stored; retry later', { retryAfterSeconds: 2, instance });
        }
      }
    },
  );

  const errors: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 413) {
      sendProblem(res, 413, `the body is larger than the limit of ${ctx.maxBodyBytes} bytes`, { instance: req.originalUrl });
    } else if (status === 500) {
      ctx.logger.error({ err: error }, 'collector error');
      sendProblem(res, 500, 'the collector failed to answer this request; it has been logged', { instance: req.originalUrl });
    } else {
      sendProblem(res, status, String(error?.message ?? 'bad request'), { instance: req.originalUrl });
    }
  };
  router.use(errors);
  return router;
}
