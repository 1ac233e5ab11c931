import type { RequestHandler } from 'express';

/**
 * CORS for resources embedded on any origin. No credentials: public data only,
 * so `*` is safe and caches share one copy.
 */
export function allowAnyOrigin(methods = 'GET, HEAD, OPTIONS'): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag, Retry-After',
      'Timing-Allow-Origin': '*',
    });
    if (req.method === 'OPTIONS') {
      res.set({
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': 'Content-Type, If-None-Match',
        'Access-Control-Max-Age': '86400',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
