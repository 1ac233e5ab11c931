import { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser, type AuthUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import { fieldProblem } from '../http/field-problem.js';
import { isSceneOfTour } from '../scenes/sql.js';
import { decodeCursor, page } from './pagination.js';
import { tourCreateSchema, tourListQuerySchema, tourPatchSchema } from './schemas.js';
import * as db from './sql.js';

const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

type Transition = 'publish' | 'unpublish' | 'archive' | 'restore';

/**
 * The lifecycle, as the one place that moves `status`:
 * draft -> published (needs a scene with a processed panorama) -> draft;
 * any -> archived -> draft. Each check and its update happen under a row lock.
 */
async function transition(sql: Sql, caller: AuthUser, id: string, action: Transition) {
  return sql.begin(async (tx) => {
    const tour = await db.findTour(tx, caller, id, true);
    if (!tour) throw notFound('no such tour');
    switch (action) {
      case 'publish':
        if (tour.status === 'archived') throw conflict('an archived tour cannot be published; restore it first');
        if ((await db.countShowableScenes(tx, id)) === 0) {
          throw conflict('a tour needs at least one scene with a processed panorama before it can be published');
        }
        if (tour.status === 'published') return tour;
        return db.updateTour(tx, id, { status: 'published', published_at: new Date() });
      case 'unpublish':
        if (tour.status !== 'published') throw conflict(`only a published tour can be unpublished; this one is ${tour.status}`);
        return db.updateTour(tx, id, { status: 'draft', published_at: null });
      case 'archive':
        if (tour.status === 'archived') return tour;
        return db.updateTour(tx, id, { status: 'archived', archived_at: new Date(), published_at: null });
      case 'restore':
        if (tour.status !== 'archived') throw conflict(`only an archived tour can be restored; this one is ${tour.status}`);
        return db.updateTour(tx, id, { status: 'draft', archived_at: null });
    }
  });
}

export function tourRoutes(sql: Sql): Router {
  const router = Router();
  router.use('/tours', requireUser);

  router.post('/tours', async (req, res) => {
    const input = parseOr400(tourCreateSchema, req.body ?? {});
    const row = await db.insertTour(sql, currentUser(req).id, input);
    res.status(201).location(`/api/v1/tours/${row.id}`).json(db.toTour(row));
  });

  router.get('/tours', async (req, res) => {
    const query = parseOr400(tourListQuerySchema, req.query, 'query');
    const rows = await db.listTours(sql, currentUser(req).id, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: decodeCursor(query.cursor)! } : {}),
    });
    res.json(page(rows, query.limit, db.toTour));
  });

  router.get('/tours/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findTour(sql, currentUser(req), id);
    if (!row) throw notFound('no such tour');
    res.json(db.toTour(row));
  });

  router.patch('/tours/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const input = parseOr400(tourPatchSchema, req.body ?? {});
    const caller = currentUser(req);
    const row = await sql.begin(async (tx) => {
      const tour = await db.findTour(tx, caller, id, true);
      if (!tour) throw notFound('no such tour');
      if (input.isFeatured !== undefined && caller.role !== 'admin') {
        throw new HttpProblem(403, 'Forbidden', 'isFeatured: only an admin can feature a tour', {
          errors: [{ path: 'isFeatured', message: 'only an admin can feature a tour' }],
        });
      }
      if (input.initialSceneId && !(await isSceneOfTour(tx, input.initialSceneId, id))) {
        throw fieldProblem('initialSceneId', 'is not a scene of this tour');
      }
      const changes: Record<string, unknown> = {};
      if (input.title !== undefined) changes.title = input.title;
      if (input.description !== undefined) changes.description = input.description;
      // The sync trigger derives is_public from visibility; sent alone, the legacy flag sets visibility.
      if (input.visibility !== undefined) changes.visibility = input.visibility;
      else if (input.isPublic !== undefined) changes.visibility = input.isPublic ? 'public' : 'private';
      if (input.settings !== undefined) changes.settings = tx.json(input.settings as never);
      if (input.initialSceneId !== undefined) changes.initial_scene_id = input.initialSceneId;
      if (input.isFeatured !== undefined) changes.is_featured = input.isFeatured;
      return Object.keys(changes).length ? db.updateTour(tx, id, changes) : tour;
    });
    res.json(db.toTour(row));
  });

  router.delete('/tours/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.deleteTour(sql, currentUser(req), id))) throw notFound('no such tour');
    res.status(204).end();
  });

  for (const action of ['publish', 'unpublish', 'archive', 'restore'] as const) {
    router.post(`/tours/:id/${action}`, async (req, res) => {
      const { id } = parseOr400(idParamSchema, req.params, 'path');
      res.json(db.toTour(await transition(sql, currentUser(req), id, action)));
    });
  }

  return router;
}
