import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import getRawBody from 'raw-body';
import type { BeaconEnvelope, BeaconResult } from '@vr-tour/protocol';
import { clientAddress, problemOf, sendJson, sendProblem, type AddressMatcher, type Logger } from '@vr-tour/node-kit';
import type { Admission, Submission } from './admission.js';
import { isAutomated } from './bots.js';
import type { CollectorMetrics } from './metrics.js';
import type { WriteOutcome } from './queue.js';
import type { RateLimiter } from './rate-limit.js';
import { DatabaseUnavailableError, QueueFullError } from './refusals.js';
import { parseEnvelope, validateEvents, type Rejection } from './validate.js';

export interface HandlerContext {
  admission: Admission;
  metrics: CollectorMetrics;
  rateLimiter: RateLimiter | undefined;
  logger: Logger;
  now: () => number;
  maxBodyBytes: number;
  /** Whose X-Forwarded-For is believed when Express gave the request no `ip`. */
  trustProxy: AddressMatcher;
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

/** Every answer of the collector carries these (CORS for any page embedding a tour; never cached). */
const COMMON_HEADERS: readonly string[] = [
  'Access-Control-Allow-Origin', '*',
  'Access-Control-Allow-Methods', 'POST, OPTIONS',
  'Access-Control-Allow-Headers', 'Content-Type',
  'Access-Control-Expose-Headers', 'Retry-After',
  'Access-Control-Max-Age', '86400',
  'Cache-Control', 'no-store',
];

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

/** A well-formed beacon batch, as read. */
interface ReadBatch {
  envelope: BeaconEnvelope;
  bytes: number;
}

/** What admission lets through to storage, and what it already decided about the other events. */
interface Admitted {
  submission: Submission;
  rejected: Rejection[];
  duplicates: number;
}

/**
 * `POST /` (mounted at /collect): a beacon batch in, 200 with
 * `{accepted, duplicates, rejected}` once its events are committed. Three
 * steps: read (the body, within limits, as a beacon envelope), admit (not
 * draining, not a bot, within the rate limits, the valid events) and
 * enqueue (stored through the admission API, answered after COMMIT); each
 * answers the request itself when it goes no further.
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

  function refuse(res: ServerResponse, instance: string, status: number, detail: string, retryAfterSeconds?: number): void {
    metrics.requests.inc(1, { status: String(status) });
    const headers =
      retryAfterSeconds === undefined ? COMMON_HEADERS : [...COMMON_HEADERS, 'Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds)))];
    sendProblem(res, problemOf(status, detail, { instance }), headers);
  }

  function reply(res: ServerResponse, result: BeaconResult): void {
    metrics.requests.inc(1, { status: '200' });
    sendJson(res, 200, result, COMMON_HEADERS);
  }

  async function read(req: MountedRequest, res: ServerResponse, instance: string): Promise<ReadBatch | undefined> {
    const type = mediaType(req);
    // sendBeacon with a string sends text/plain; a missing type is read as JSON too.
    if (type !== undefined && !ACCEPTED_TYPES.has(type)) {
      refuse(res, instance, 415, 'send the beacon batch as text/plain or application/json');
      req.resume();
      return undefined;
    }
    let body: Buffer;
    try {
      body = await readBody(req, res);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 413) refuse(res, instance, 413, `the body is larger than the limit of ${ctx.maxBodyBytes} bytes`);
      else if (typeof status === 'number' && status >= 400 && status < 500) refuse(res, instance, status, String((error as Error).message ?? 'bad request'));
      else throw error;
      return undefined;
    }
    const parsed = parseEnvelope(body.toString('utf8'));
    if (!parsed.ok) {
      refuse(res, instance, 400, parsed.detail);
      return undefined;
    }
    return { envelope: parsed.envelope, bytes: body.length };
  }

  function admit(req: MountedRequest, res: ServerResponse, instance: string, { envelope, bytes }: ReadBatch): Admitted | undefined {
    const count = envelope.events.length;
    metrics.received.inc(count);
    if (!ctx.admission.open) {
      metrics.deferred.inc(count, { reason: 'draining' });
      refuse(res, instance, 503, 'the collector is shutting down; retry', 2);
      return undefined;
    }
    const userAgent = req.headers['user-agent'];
    if (isAutomated(userAgent, envelope.client)) {
      metrics.dropped.inc(count, { reason: 'bot' });
      // 200, so automation does not retry; nothing is stored or counted.
      reply(res, { accepted: 0, duplicates: 0, rejected: envelope.events.map((_, index) => ({ index, reason: 'bot' })) });
      return undefined;
    }
    const ip = req.ip ?? clientAddress(req, ctx.trustProxy);
    const receivedAt = ctx.now();
    const wait = ctx.rateLimiter?.admit(ip, envelope.tourId, count, performance.now()) ?? 0;
    if (wait > 0) {
      metrics.deferred.inc(count, { reason: 'rate_limited' });
      refuse(res, instance, 429, 'too many analytics events from this address or for this tour; retry later', wait);
      return undefined;
    }
    const checked = validateEvents(envelope.events, receivedAt);
    metrics.dropped.inc(checked.rejected.length, { reason: 'invalid' });
    if (checked.events.length === 0) {
      reply(res, { accepted: 0, duplicates: checked.duplicates, rejected: checked.rejected });
      return undefined;
    }
    return {
      // A user agent is present: isAutomated() drops requests without one.
      submission: { tourId: envelope.tourId, ip, userAgent: userAgent!, receivedAt, events: checked.events, bytes },
      rejected: checked.rejected,
      duplicates: checked.duplicates,
    };
  }

  async function enqueue(res: ServerResponse, instance: string, { submission, rejected, duplicates }: Admitted): Promise<void> {
    let outcome: WriteOutcome;
    try {
      outcome = await ctx.admission.submit(submission);
    } catch (error) {
      const events = submission.events.length;
      if (error instanceof QueueFullError) {
        metrics.deferred.inc(events, { reason: 'queue_full' });
        refuse(res, instance, 503, 'the collector is busy; retry later', 1);
      } else if (error instanceof DatabaseUnavailableError) {
        metrics.deferred.inc(events, { reason: 'db_unavailable' });
        refuse(res, instance, 503, 'analytics storage is unavailable; retry later', 2);
      } else {
        metrics.deferred.inc(events, { reason: 'db_unavailable' });
        ctx.logger.error({ err: error }, 'beacon request failed');
        refuse(res, instance, 503, 'the events could not be stored; retry later', 2);
      }
      return;
    }
    metrics.accepted.inc(outcome.accepted);
    metrics.duplicates.inc(duplicates + outcome.duplicates);
    for (const rejection of outcome.rejected) metrics.dropped.inc(1, { reason: dropReason(rejection.reason) });
    reply(res, {
      accepted: outcome.accepted,
      duplicates: duplicates + outcome.duplicates,
      rejected: rejected.length === 0 ? outcome.rejected : [...rejected, ...outcome.rejected].sort((a, b) => a.index - b.index),
    });
  }

  async function collect(req: MountedRequest, res: ServerResponse, instance: string): Promise<void> {
    const batch = await read(req, res, instance);
    if (!batch) return;
    const admitted = admit(req, res, instance, batch);
    if (admitted) await enqueue(res, instance, admitted);
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
        refuse(res, instance, 500, 'the collector failed to answer this request; it has been logged');
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
      refuse(res, instance, 404, `no route for ${req.method} ${path}`);
    }
  };
}
