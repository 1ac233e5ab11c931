import type { Response } from 'express';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@vr-tour/protocol';

// A local twin of the server's problem helpers (packages/server/src/http/problem.ts):
// the collector may not import the server. The shape is the protocol's `Problem`.

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  res: Response,
  status: number,
  detail: string,
  options: { retryAfterSeconds?: number; instance?: string; extras?: Record<string, unknown> } = {},
): void {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(options.instance ? { instance: options.instance } : {}),
    ...options.extras,
  };
  if (options.retryAfterSeconds !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(options.retryAfterSeconds))));
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
