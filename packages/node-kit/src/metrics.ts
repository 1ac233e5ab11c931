import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { variable } from './env.js';
import type { NodeHandler } from './health.js';
import { notFoundHandler, sendBody } from './problem.js';
import { addressListVariable, clientAddress, type AddressMatcher } from './proxies.js';

/** Who may read `/metrics`: a bearer token, or addresses (after trusted proxies), or either; neither configured is nobody. */
export interface MetricsAccess {
  token: string | undefined;
  addresses: AddressMatcher;
}

export const metricsEnvironment = {
  /** `Authorization: Bearer <token>` reads /metrics. */
  METRICS_TOKEN: variable(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Clients at these addresses read /metrics without a token. */
  METRICS_ALLOW: addressListVariable('none'),
};

type MetricsValues = z.output<z.ZodObject<typeof metricsEnvironment>>;

export function readMetricsAccess(values: MetricsValues): MetricsAccess {
  return { token: values.METRICS_TOKEN, addresses: values.METRICS_ALLOW };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function presentsToken(req: IncomingMessage, expected: Buffer): boolean {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return false;
  // Equal-length digests: the comparison takes the same time whatever was sent.
  return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), expected);
}

/**
 * `GET /metrics` (Prometheus text) for whoever `access` allows. Anyone else
 * gets the same 404 problem as an unknown path: the endpoint does not say it
 * exists to those who may not read it. Other requests go to `next`.
 */
export function metricsEndpoint(options: { render: () => string; access: MetricsAccess; trustProxy: AddressMatcher }): NodeHandler {
  const { access } = options;
  const token = access.token === undefined ? undefined : digest(access.token);
  const allowed = (req: IncomingMessage) =>
    (token !== undefined && presentsToken(req, token)) ||
    access.addresses(clientAddress(req, options.trustProxy), 0);
  return (req: IncomingMessage, res: ServerResponse, next) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next?.();
    } else if (allowed(req)) {
      sendBody(res, 200, 'text/plain; version=0.0.4; charset=utf-8', options.render(), ['Cache-Control', 'no-store']);
    } else {
      notFoundHandler(req, res);
    }
  };
}
