import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

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

/**
 * Sends the built file `relative` (as in a URL path) under `root`, compressed
 * when the client takes it: its `.br` or `.gz` sibling, written at build time
 * (the viewer's build does), so no request pays for compression. Falls back to
 * the file itself, then to the next handler. `send` refuses paths leaving `root`.
 */
export function sendBuilt(req: Request, res: Response, next: NextFunction, root: string, relative: string, headers: Record<string, string>): void {
  const options = { root, headers, lastModified: false };
  const identity = () => {
    res.removeHeader('Content-Encoding');
    res.sendFile(relative, options, (error?: NodeJS.ErrnoException) => error && next(error.code === 'ENOENT' ? undefined : error));
  };
  res.vary('Accept-Encoding');
  // Brotli whenever it is accepted: browsers list gzip first with the same weight.
  const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : null;
  if (!encoding) return identity();
  res.set('Content-Encoding', encoding);
  res.type(path.extname(relative));
  res.sendFile(`${relative}${encoding === 'br' ? '.br' : '.gz'}`, options, (error?: NodeJS.ErrnoException) => {
    if (!error) return;
    if (error.code === 'ENOENT') identity();
    else next(error);
  });
}
