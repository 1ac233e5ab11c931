import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './problem.js';

export interface HealthChecks {
  /** True once shutdown began: `/readyz` answers 503 so load balancers stop sending traffic. */
  draining(): boolean;
  /** Why the process cannot serve now (the `/readyz` status, answered 503), or undefined when it can. */
  unready(): Promise<string | undefined> | string | undefined;
}

/** A plain Node handler; Express mounts it as middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const NO_STORE = ['Cache-Control', 'no-store'];

/**
 * `GET /healthz`: the process answers. `GET /readyz`: it can serve (not
 * draining, and `unready()` names nothing). Anything else goes to `next`.
 */
export function healthEndpoints(checks: HealthChecks): NodeHandler {
  return (req, res, next) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0];
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && path === '/healthz') {
      sendJson(res, 200, { status: 'ok' }, NO_STORE);
    } else if (read && path === '/readyz') {
      if (checks.draining()) {
        sendJson(res, 503, { status: 'draining' }, NO_STORE);
        return;
      }
      Promise.resolve(checks.unready()).then(
        (reason) => sendJson(res, reason === undefined ? 200 : 503, { status: reason ?? 'ready' }, NO_STORE),
        (error: unknown) => next?.(error),
      );
    } else {
      next?.();
    }
  };
}
