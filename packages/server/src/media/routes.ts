import { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import type { Storage } from '../storage/storage.js';
import { decodeCursor, page } from '../tours/pagination.js';
import { removeFiles } from './files.js';
import { inspectUpload } from './inspect.js';
import { receiveUpload } from './upload.js';
import { mediaListQuerySchema, uploadFieldsSchema } from './schemas.js';
import * as db from './sql.js';

export interface MediaRouteOptions {
  sql: Sql;
  storage: Storage;
  maxBytes: number;
  maxPixels: number;
}

/**
 * Uploads are checked while the client waits (type, pixel count, shape:
 * cheap, header-only) so refusals are plain 4xx with nothing stored; the
 * costly resizing runs after the 202 answer, in whichever server process's
 * MediaWorker claims the row (worker.ts).
 */
export function mediaRoutes(options: MediaRouteOptions): Router {
  const { sql, storage } = options;
  const router = Router();
  router.use('/media', requireUser);

  router.post('/media', async (req, res) => {
    const caller = currentUser(req);
    const file = await receiveUpload(req, options.maxBytes);
    let staged: string | undefined;
    try {
      const { kind } = parseOr400(uploadFieldsSchema, file.fields);
      const image = await inspectUpload(file.path, kind, options.maxPixels);
      const media = { userId: caller.id, kind, originalName: file.originalName, byteSize: file.byteSize, sha256: file.sha256, image };
      const row = await db.insertPendingMedia(sql, media, async (id) => {
        staged = id;
        await storage.stage(id, file.path);
      });
      res.status(202).location(`/api/v1/media/${row.id}`).json(db.toMedia(row));
    } catch (error) {
      if (staged) await storage.unstage(staged).catch(() => undefined);
      throw error;
    } finally {
      await file.discard();
    }
  });

  router.get('/media', async (req, res) => {
    const query = parseOr400(mediaListQuerySchema, req.query, 'query');
    const rows = await db.listMedia(sql, currentUser(req).id, {
      limit: query.limit,
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.cursor ? { cursor: decodeCursor(query.cursor)! } : {}),
    });
    res.json(page(rows, query.limit, db.toMedia));
  });

  router.get('/media/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findMedia(sql, currentUser(req), id);
    if (!row) throw notFound('no such media');
    res.set('Cache-Control', 'no-store').json(db.toMedia(row));
  });

  /** Scenes and floor plans that used it keep existing without it (the foreign keys set null). */
  router.delete('/media/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.findMedia(sql, currentUser(req), id))) throw notFound('no such media');
    await removeFiles(sql, storage, [await db.deleteMedia(sql, id)]);
    res.status(204).end();
  });

  return router;
}
