import path from 'node:path';
import express, { Router } from 'express';
import { IMMUTABLE, sendBuilt, serveImmutable } from '../http/static.js';

export interface SiteAssets {
  /** The viewer's CDN build: vr-tour.js and chunks/. */
  viewerDir: string;
  /** The built demo site (index.html and its assets). */
  demoDir: string;
}

/**
 * The embeddable script and the demo site. `/vr-tour.js` keeps a stable URL
 * for embedders, so it is cached briefly; its chunks are content-hashed and
 * cached forever.
 */
export function siteRoutes({ viewerDir, demoDir }: SiteAssets): Router {
  const router = Router();
  const crossOrigin = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  router.get('/vr-tour.js', (req, res, next) =>
    sendBuilt(req, res, next, viewerDir, 'vr-tour.js', { 'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400', ...crossOrigin }),
  );
  router.get('/chunks/:file', (req, res, next) => {
    if (!req.params.file.endsWith('.js')) return next();
    sendBuilt(req, res, next, path.join(viewerDir, 'chunks'), req.params.file, { 'Cache-Control': IMMUTABLE, ...crossOrigin });
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
