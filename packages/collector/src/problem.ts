import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@vr-tour/protocol';

// A local twin of the server's problem helpers (packages/server/src/http/problem.ts):
// the collector may not import the server. The shape is the protocol's `Problem`.

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every answer of the collector carries these (CORS for any page embedding a tour; never cached). */
export const COMMON_HEADERS: readonly string[] = [
  'Access-Control-Allow-Origin', '*',
  'Access-Control-Allow-Methods', 'POST, OPTIONS',
  'Access-Control-Allow-Headers', 'Content-Type',
  'Access-Control-Expose-Headers', 'Retry-After',
  'Access-Control-Max-Age', '86400',
  'Cache-Control', 'no-store',
];

/** Answers with a body; headers as one flat list, written at once (no per-header bookkeeping). */
export function sendBody(res: ServerResponse, status: number, contentType: string, body: string, extraHeaders: string[] = []): void {
  res.writeHead(status, [...COMMON_HEADERS, ...extraHeaders, 'Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(body))]);
  res.end(body);
}

export function sendJson(res: ServerResponse, value: unknown): void {
  sendBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function sendProblem(
  res: ServerResponse,
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
  const retry = options.retryAfterSeconds === undefined ? [] : ['Retry-After', String(Math.max(1, Math.ceil(options.retryAfterSeconds)))];
  sendBody(res, status, `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, JSON.stringify(problem), retry);
}
