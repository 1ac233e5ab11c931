import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@vr-tour/protocol';

/** An error that becomes an RFC 9457 problem+json answer. */
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
export const badRequest = (detail: string, extras?: Record<string, unknown>) =>
  new HttpProblem(400, 'Bad Request', detail, extras);

/** Names each invalid field, so a client can show the message beside it. */
export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path' = 'body'): HttpProblem {
  const errors = error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : where,
    message: issue.message,
  }));
  const detail = errors.map((entry) => `${entry.path}: ${entry.message}`).join('; ');
  return new HttpProblem(400, 'Validation Failed', detail, { errors });
}

/** Parses `value` with `schema`, or throws a 400 naming the bad fields. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    500: 'Internal Server Error',
  };
  return titles[status] ?? 'Error';
}

/** The last handler: any unmatched route is a 404 problem. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: `no route for ${req.method} ${req.path}`,
    instance: req.originalUrl,
  });
};

/**
 * Turns every error into problem+json. Body-parser errors carry their own
 * 4xx status; anything without one is a bug, logged and answered 500
 * without internals.
 */
export const problemHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof HttpProblem) {
    return sendProblem(res, {
      type: 'about:blank',
      title: error.title,
      status: error.status,
      ...(error.detail ? { detail: error.detail } : {}),
      instance: req.originalUrl,
      ...error.extras,
    });
  }
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) req.log?.error({ err: error }, 'unhandled error');
  const detail =
    status === 500
      ? 'the server failed to answer this request; it has been logged'
      : error.type === 'entity.parse.failed'
        ? 'the body is not valid JSON'
        : error.type === 'entity.too.large'
          ? `the body is larger than the limit of ${error.limit} bytes`
          : String(error.message ?? statusTitle(status));
  sendProblem(res, { type: 'about:blank', title: statusTitle(status), status, detail, instance: req.originalUrl });
};
