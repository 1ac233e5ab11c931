import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@vr-tour/protocol';

// RFC 9457 problem+json for plain Node handlers and Express alike: every
// writer here takes a `ServerResponse` (an Express response is one) and
// writes its headers at once, as one flat list, so the collector's hot path
// pays for no per-header bookkeeping.

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** A problem of type `about:blank`, titled by its status. */
export function problemOf(status: number, detail: string, members: { instance?: string; [member: string]: unknown } = {}): Problem {
  return { type: 'about:blank', title: statusTitle(status), status, detail, ...members };
}

/** Answers `body`; `headers` is a flat list (`name, value, name, value…`), written with the body's type and length. */
export function sendBody(res: ServerResponse, status: number, contentType: string, body: string, headers: readonly string[] = []): void {
  res.writeHead(status, [...headers, 'Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(body))]);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: readonly string[] = []): void {
  sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

export function sendProblem(res: ServerResponse, problem: Problem, headers: readonly string[] = []): void {
  sendBody(res, problem.status, `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, JSON.stringify(problem), headers);
}

/** An error that becomes a problem+json answer (thrown by a route, answered by `problemHandler`). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);
export const badRequest = (detail: string, extras?: Record<string, unknown>) => new HttpProblem(400, 'Bad Request', detail, extras);

/** What Express adds to a request that these handlers read when it is there. */
interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
}

interface ErrorLog {
  error(obj: object, msg: string): void;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The last handler: whatever no route answered is a 404 problem naming method and path. */
export function notFoundHandler(req: RoutedRequest, res: ServerResponse): void {
  const url = req.url ?? '/';
  sendProblem(res, problemOf(404, `no route for ${req.method} ${pathOf(url)}`, { instance: req.originalUrl ?? url }));
}

/**
 * Express's last error handler: every error becomes problem+json.
 * Body-parser errors carry their own 4xx status; anything without one is a
 * bug, logged (on the request's logger when pino-http gave it one, else on
 * `logger`) and answered 500 without internals.
 */
export function problemHandler(logger?: ErrorLog) {
  return (error: any, req: RoutedRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (res.headersSent) return next(error);
    const instance = req.originalUrl ?? req.url ?? '/';
    if (error instanceof HttpProblem) {
      return sendProblem(res, {
        type: 'about:blank',
        title: error.title,
        status: error.status,
        ...(error.detail ? { detail: error.detail } : {}),
        instance,
        ...error.extras,
      });
    }
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) ((req as { log?: ErrorLog }).log ?? logger)?.error({ err: error }, 'unhandled error');
    const detail =
      status === 500
        ? 'the server failed to answer this request; it has been logged'
        : error.type === 'entity.parse.failed'
          ? 'the body is not valid JSON'
          : error.type === 'entity.too.large'
            ? `the body is larger than the limit of ${error.limit} bytes`
            : String(error.message ?? statusTitle(status));
    sendProblem(res, problemOf(status, detail, { instance }));
  };
}
