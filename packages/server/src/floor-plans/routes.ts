import { Router } from 'express';
import type { Db, Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import { fieldProblem } from '../http/field-problem.js';
import { requireRoom } from '../tours/limits.js';
import { requireTour } from '../tours/ownership.js';
import { floorPlanCreateSchema, floorPlanListQuerySchema, floorPlanPatchSchema } from './schemas.js';
import * as db from './sql.js';

/** The URL and size of a processed image uploaded by the tour's owner. */
async function imageOfMedia(sql: Db, tourId: string, mediaId: string): Promise<db.FloorPlanImage> {
  const image = await db.ownersProcessedImage(sql, tourId, mediaId);
  if (!image) throw fieldProblem('mediaId', 'is not a processed floor plan image uploaded by the tour’s owner');
  return image;
}

export function floorPlanRoutes(sql: Sql): Router {
  const router = Router();
  router.use('/floor-plans', requireUser);

  router.post('/floor-plans', async (req, res) => {
    const input = parseOr400(floorPlanCreateSchema, req.body ?? {});
    await requireTour(sql, currentUser(req), input.tourId);
    const image = 'mediaId' in input
      ? await imageOfMedia(sql, input.tourId, input.mediaId)
      : { media_id: null, image_url: input.imageUrl, width: input.width, height: input.height };
    const row = await sql.begin(async (tx) => {
      await requireRoom(tx, 'floor_plans', input.tourId);
      return db.insertFloorPlan(tx, input.tourId, { ...image, title: input.title, sortOrder: input.sortOrder });
    });
    res.status(201).location(`/api/v1/floor-plans/${row.id}`).json(db.toFloorPlan(row));
  });

  router.get('/floor-plans', async (req, res) => {
    const { tourId } = parseOr400(floorPlanListQuerySchema, req.query, 'query');
    await requireTour(sql, currentUser(req), tourId);
    res.json({ items: (await db.listFloorPlans(sql, tourId)).map(db.toFloorPlan) });
  });

  router.get('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findFloorPlan(sql, currentUser(req), id);
    if (!row) throw notFound('no such floor plan');
    res.json(db.toFloorPlan(row));
  });

  router.patch('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const input = parseOr400(floorPlanPatchSchema, req.body ?? {});
    const current = await db.findFloorPlan(sql, currentUser(req), id);
    if (!current) throw notFound('no such floor plan');
    const changes: Record<string, unknown> = {
      ...(input.mediaId ? await imageOfMedia(sql, current.tour_id, input.mediaId) : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.imageUrl !== undefined ? { image_url: input.imageUrl, media_id: null } : {}),
      ...(input.width !== undefined ? { width: input.width } : {}),
      ...(input.height !== undefined ? { height: input.height } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
    };
    const row = Object.keys(changes).length ? await db.updateFloorPlan(sql, id, changes) : current;
    res.json(db.toFloorPlan(row));
  });

  router.delete('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.findFloorPlan(sql, currentUser(req), id))) throw notFound('no such floor plan');
    await db.deleteFloorPlan(sql, id);
    res.status(204).end();
  });

  return router;
}
