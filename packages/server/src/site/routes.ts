import path from 'node:path';
import express, { Router } from 'express';
import { IMMUTABLE, sendBuilt, serveImmutable } from '../http/static.js';

export interface SiteAssets {
  /** The viewer's CDN build: vr-tour.js and chunks/. */
  viewerDir: string;
  /** The built demo site (index.html and its assets). */
  demoDir: string;
  /** The built studio (index.html and assets/), served under /studio/. */
  studioDir: string;
}

/**
 * The studio's page: its own scripts, and the viewer's for the preview; the
 * preview's tour document is a blob: URL; no page may frame the studio.
 */
const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob:",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The embeddable script and the demo site. `/vr-tour.js` keeps a stable URL
 * for embedders, so it is cached briefly; its chunks are content-hashed and
 * cached forever.
 */
export function siteRoutes({ viewerDir, demoDir, studioDir }: SiteAssets): Router {
  const router = Router();
  const crossOrigin = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  router.get('/vr-tour.js', (req, res, next) =>
    sendBuilt(req, res, next, viewerDir, 'vr-tour.js', { 'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400', ...crossOrigin }),
  );
  router.get('/chunks/:file', (req, res, next) => {
    if (!req.params.file.endsWith('.js')) return next();
    sendBuilt(req, res, next, path.join(viewerDir, 'chunks'), req.params.file, { 'Cache-Control': IMMUTABLE, ...crossOrigin });
  });
  // The studio: content-hashed assets kept forever; every other path under /studio/ is its one page, whose router reads the URL.
  router.get('/studio/assets/:file', (req, res, next) =>
    sendBuilt(req, res, next, path.join(studioDir, 'assets'), req.params.file, { 'Cache-Control': IMMUTABLE }),
  );
  router.get(['/studio', '/studio/{*route}'], (req, res, next) => {
    if (req.path === '/studio') return res.redirect(301, '/studio/');
    if (req.path.startsWith('/studio/assets/')) return next();
    res.sendFile('index.html', { root: studioDir, lastModified: false, headers: { 'Cache-Control': 'no-cache', 'Content-Security-Policy': STUDIO_CSP } }, (error) =>
      next(error && (error as NodeJS.ErrnoException).code !== 'ENOENT' ? error : undefined),
    );
  });
  router.use('/assets', serveImmutable(path.join(demoDir, 'assets')));
  router.use(
    express.static(demoDir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.set('Cache-Control', file.endsWith('.html') ? 'no-cache' : IMMUTABLE);
      },
    }),
  );
  return router;
}
