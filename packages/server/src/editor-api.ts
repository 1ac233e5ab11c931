import express, { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import type { Config } from './config.js';
import { authRoutes } from './auth/routes.js';
import { brandingRoutes } from './branding/routes.js';
import { floorPlanRoutes } from './floor-plans/routes.js';
import { hotspotRoutes } from './hotspots/routes.js';
import { jobRoutes } from './jobs/routes.js';
import { sceneRoutes } from './scenes/routes.js';
import { tourRoutes } from './tours/routes.js';
import { mediaRoutes } from './media/routes.js';
import { inputGuard } from './http/input-guard.js';
import { LocalStorage } from './storage/local.js';
import type { Storage } from './storage/storage.js';

export interface EditorApiDependencies {
  sql: Sql;
  config: Config;
  /** Folder of content-addressed media files, served at /media. */
  mediaDir: string;
  /** Defaults to content-addressed files in mediaDir. */
  storage?: Storage;
}

/** Everything a creator calls, under /api/v1 (behind `authenticate`, mounted before it in app.ts). */
export function editorApi(deps: EditorApiDependencies): Router {
  const storage = deps.storage ?? new LocalStorage(deps.mediaDir);
  const media = mediaRoutes({
    sql: deps.sql,
    storage,
    maxBytes: deps.config.upload.maxBytes,
    maxPixels: deps.config.upload.maxPixels,
  });
  const router = Router();
  // The largest JSON body is a hotspot with 20 kB of info HTML; uploads are multipart and stream past this.
  router.use(express.json({ limit: '128kb' }));
  router.use(inputGuard());
  router.use(authRoutes({ sql: deps.sql, storage, loginMaxAttempts: deps.config.loginMaxAttempts, publicUrl: deps.config.publicUrl }));
  router.use(brandingRoutes(deps.sql), sceneRoutes(deps.sql), tourRoutes(deps.sql));
  router.use(hotspotRoutes(deps.sql), floorPlanRoutes(deps.sql), media);
  router.use(jobRoutes(deps.sql));
  return router;
}
