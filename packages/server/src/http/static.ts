import express, { type RequestHandler } from 'express';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a folder whose file names carry their content hash: cached forever.
 * Missing files fall through to the 404 problem handler.
 */
export function serveImmutable(root: string): RequestHandler {
  return express.static(root, {
    index: false,
    fallthrough: true,
    etag: true,
    lastModified: false,
    setHeaders: (res) => {
      res.set('Cache-Control', IMMUTABLE);
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    },
  });
}
