import { Router } from 'express';
import type { Db, Sql } from '@vr-tour/db';
import { currentUser, requireUser, type AuthUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import { ownsTour } from '../tours/ownership.js';
import { CURSOR_AT, decodeCursor, page } from '../tours/pagination.js';
import { removeFiles } from './files.js';
import { inspectUpload } from './inspect.js';
import { receiveUpload } from './upload.js';
import { MEDIA_JOBS_CHANNEL } from './worker.js';
import { mediaListQuerySchema, uploadFieldsSchema } from './schemas.js';

interface MediaRow {
  id: string;
  user_id: string;
  kind: 'panorama' | 'image' | 'floor_plan' | 'audio' | 'video';
  status: 'pending' | 'processing' | 'ready' | 'failed';
  progress: number;
  error: string | null;
  original_name: string | null;
  mime_type: string | null;
  byte_size: string | null;
  width: number | null;
  height: number | null;
  sha256: string | null;
  variants: Record<string, unknown>;
  written_keys: string[];
  created_at: Date;
  cursor_at: string;
}

const COLUMNS = `m.*, ${CURSOR_AT.replace('created_at', 'm.created_at')} AS cursor_at`;

const toMedia = (row: MediaRow) => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  progress: row.progress,
  error: row.error,
  originalName: row.original_name,
  mimeType: row.mime_type,
  byteSize: row.byte_size === null ? null : Number(row.byte_size),
  width: row.width,
  height: row.height,
  variants: row.variants,
  createdAt: row.created_at.toISOString(),
});

// Media belong to a user like tours do: the same owner-or-admin rule, on the media row.
async function findMedia(sql: Db, caller: AuthUser, id: string): Promise<MediaRow | undefined> {
  const [row] = await sql<MediaRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM media m WHERE m.id = ${id} AND ${ownsTour(sql, caller, 'm')}`;
  return row;
}

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
      // The row and its staged original are kept together before the 202: no worker sees a row without its file.
      const row = await sql.begin(async (tx) => {
        const [inserted] = await tx<MediaRow[]>`
          INSERT INTO media AS m (user_id, kind, status, original_name, mime_type, byte_size, width, height, sha256)
          VALUES (${caller.id}, ${kind}, 'pending', ${file.originalName}, ${image.mimeType}, ${file.byteSize},
                  ${image.width}, ${image.height}, ${file.sha256})
          RETURNING ${tx.unsafe(COLUMNS)}`;
        staged = inserted!.id;
        await storage.stage(inserted!.id, file.path);
        // Delivered at commit, to the workers of every server process.
        await tx`SELECT pg_notify(${MEDIA_JOBS_CHANNEL}, ${inserted!.id})`;
        return inserted!;
      });
      res.status(202).location(`/api/v1/media/${row.id}`).json(toMedia(row));
    } catch (error) {
      if (staged) await storage.unstage(staged).catch(() => undefined);
      throw error;
    } finally {
      await file.discard();
    }
  });

  router.get('/media', async (req, res) => {
    const query = parseOr400(mediaListQuerySchema, req.query, 'query');
    const cursor = decodeCursor(query.cursor);
    const rows = await sql<MediaRow[]>`
      SELECT ${sql.unsafe(COLUMNS)} FROM media m WHERE m.user_id = ${currentUser(req).id}
        ${query.kind ? sql`AND m.kind = ${query.kind}` : sql``}
        ${cursor ? sql`AND (m.created_at, m.id) < (${cursor.at}::timestamptz, ${cursor.id})` : sql``}
      ORDER BY m.created_at DESC, m.id DESC LIMIT ${query.limit + 1}`;
    res.json(page(rows, query.limit, toMedia));
  });

  router.get('/media/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await findMedia(sql, currentUser(req), id);
    if (!row) throw notFound('no such media');
    res.set('Cache-Control', 'no-store').json(toMedia(row));
  });

  /** Scenes and floor plans that used it keep existing without it (the foreign keys set null). */
  router.delete('/media/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await findMedia(sql, currentUser(req), id);
    if (!row) throw notFound('no such media');
    await sql`DELETE FROM media WHERE id = ${id}`;
    await removeFiles(sql, storage, [row]);
    res.status(204).end();
  });

  return router;
}
