import { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser, type AuthUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import type { Db } from '@vr-tour/db';
import { fieldProblem } from '../http/field-problem.js';
import { requireRoom } from '../tours/limits.js';
import { ownsTour, requireTour } from '../tours/ownership.js';
import { floorPlanCreateSchema, floorPlanListQuerySchema, floorPlanPatchSchema } from './schemas.js';

interface FloorPlanRow {
  id: string;
  tour_id: string;
  title: string;
  media_id: string | null;
  image_url: string;
  width: number;
  height: number;
  sort_order: number;
}

const toFloorPlan = (row: FloorPlanRow) => ({
  id: row.id,
  tourId: row.tour_id,
  title: row.title,
  mediaId: row.media_id,
  imageUrl: row.image_url,
  width: row.width,
  height: row.height,
  sortOrder: row.sort_order,
});

async function findFloorPlan(sql: Db, caller: AuthUser, id: string) {
  const [row] = await sql<FloorPlanRow[]>`
    SELECT f.* FROM floor_plans f JOIN tours t ON t.id = f.tour_id WHERE f.id = ${id} AND ${ownsTour(sql, caller)}`;
  return row;
}

/** The URL and size of a processed image uploaded by the tour's owner. */
async function imageOfMedia(sql: Db, tourId: string, mediaId: string) {
  const [media] = await sql<{ url: string | null; width: number; height: number }[]>`
    SELECT m.variants ->> 'url' AS url, (m.variants ->> 'width')::int AS width, (m.variants ->> 'height')::int AS height FROM media m JOIN tours t ON t.user_id = m.user_id
    WHERE m.id = ${mediaId} AND t.id = ${tourId} AND m.kind IN ('floor_plan', 'image') AND m.status = 'ready'`;
  if (!media?.url) throw fieldProblem('mediaId', 'is not a processed floor plan image uploaded by the tour’s owner');
  return { media_id: mediaId, image_url: media.url, width: media.width, height: media.height };
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
    const [row] = await sql.begin(async (tx) => {
      await requireRoom(tx, 'floor_plans', input.tourId);
      return tx<FloorPlanRow[]>`
        INSERT INTO floor_plans (tour_id, title, media_id, image_url, width, height, sort_order)
        VALUES (${input.tourId}, ${input.title}, ${image.media_id}, ${image.image_url}, ${image.width}, ${image.height},
                ${input.sortOrder ?? tx`(SELECT coalesce(max(sort_order) + 1, 0) FROM floor_plans WHERE tour_id = ${input.tourId})`})
        RETURNING *`;
    });
    res.status(201).location(`/api/v1/floor-plans/${row!.id}`).json(toFloorPlan(row!));
  });

  router.get('/floor-plans', async (req, res) => {
    const { tourId } = parseOr400(floorPlanListQuerySchema, req.query, 'query');
    await requireTour(sql, currentUser(req), tourId);
    const rows = await sql<FloorPlanRow[]>`
      SELECT * FROM floor_plans WHERE tour_id = ${tourId} ORDER BY sort_order, created_at, id`;
    res.json({ items: rows.map(toFloorPlan) });
  });

  router.get('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await findFloorPlan(sql, currentUser(req), id);
    if (!row) throw notFound('no such floor plan');
    res.json(toFloorPlan(row));
  });

  router.patch('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const input = parseOr400(floorPlanPatchSchema, req.body ?? {});
    const current = await findFloorPlan(sql, currentUser(req), id);
    if (!current) throw notFound('no such floor plan');
    const changes: Record<string, unknown> = {
      ...(input.mediaId ? await imageOfMedia(sql, current.tour_id, input.mediaId) : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.imageUrl !== undefined ? { image_url: input.imageUrl, media_id: null } : {}),
      ...(input.width !== undefined ? { width: input.width } : {}),
      ...(input.height !== undefined ? { height: input.height } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
    };
    const [row] = Object.keys(changes).length
      ? await sql<FloorPlanRow[]>`UPDATE floor_plans SET ${sql(changes as Record<string, never>)} WHERE id = ${id} RETURNING *`
      : [current];
    res.json(toFloorPlan(row!));
  });

  router.delete('/floor-plans/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await findFloorPlan(sql, currentUser(req), id))) throw notFound('no such floor plan');
    await sql`DELETE FROM floor_plans WHERE id = ${id}`;
    res.status(204).end();
  });

  return router;
}
