import { Router } from 'express';
import type { Db, Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import { fieldProblem } from '../http/field-problem.js';
import { pgError } from '../http/pg-error.js';
import { requireRoom } from '../tours/limits.js';
import { requireTour } from '../tours/ownership.js';
import { sceneCreateSchema, sceneListQuerySchema, sceneOrderSchema, scenePatchSchema } from './schemas.js';
import * as db from './sql.js';
import type { z } from 'zod';

type ScenePatch = z.infer<typeof scenePatchSchema>;

/** Wire fields to columns, for the fields present. */
function toValues(input: ScenePatch): db.SceneValues {
  const values: db.SceneValues = {};
  if (input.title !== undefined) values.title = input.title;
  if (input.description !== undefined) values.description = input.description;
  if (input.mediaId !== undefined) values.media_id = input.mediaId;
  if (input.initialView !== undefined) {
    values.initial_yaw = input.initialView.yaw;
    values.initial_pitch = input.initialView.pitch;
    values.initial_fov = input.initialView.fov;
  }
  if (input.northOffset !== undefined) values.north_offset = input.northOffset;
  if (input.floorPlan !== undefined) {
    values.floor_plan_id = input.floorPlan?.floorPlanId ?? null;
    values.floor_plan_x = input.floorPlan?.x ?? null;
    values.floor_plan_y = input.floorPlan?.y ?? null;
  }
  return values;
}

async function checkMedia(sql: Db, tourId: string, mediaId: string | null | undefined) {
  if (mediaId && !(await db.isOwnersPanorama(sql, tourId, mediaId))) {
    throw fieldProblem('mediaId', 'is not a panorama uploaded by the tour’s owner');
  }
}

/** The scene-to-floor-plan foreign key names a floor plan of another tour (or none). */
function mapForeignKey(error: unknown): never {
  if (pgError(error).code === '23503') throw fieldProblem('floorPlan.floorPlanId', 'is not a floor plan of this tour');
  throw error;
}

export function sceneRoutes(sql: Sql): Router {
  const router = Router();
  router.use(['/scenes', '/tours/:id/scene-order'], requireUser);

  router.post('/scenes', async (req, res) => {
    const input = parseOr400(sceneCreateSchema, req.body ?? {});
    const caller = currentUser(req);
    await requireTour(sql, caller, input.tourId);
    await checkMedia(sql, input.tourId, input.mediaId);
    const id = await sql
      .begin(async (tx) => {
        await requireRoom(tx, 'scenes', input.tourId);
        return db.insertScene(tx, input.tourId, toValues(input));
      })
      .catch(mapForeignKey);
    res.status(201).location(`/api/v1/scenes/${id}`).json(db.toScene((await db.findScene(sql, caller, id))!));
  });

  router.get('/scenes', async (req, res) => {
    const { tourId } = parseOr400(sceneListQuerySchema, req.query, 'query');
    const caller = currentUser(req);
    await requireTour(sql, caller, tourId);
    res.json({ items: (await db.listScenes(sql, caller, tourId)).map(db.toScene) });
  });

  router.get('/scenes/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findScene(sql, currentUser(req), id);
    if (!row) throw notFound('no such scene');
    res.json(db.toScene(row));
  });

  router.patch('/scenes/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const input = parseOr400(scenePatchSchema, req.body ?? {});
    const caller = currentUser(req);
    const scene = await db.findScene(sql, caller, id);
    if (!scene) throw notFound('no such scene');
    await checkMedia(sql, scene.tour_id, input.mediaId);
    await db.updateScene(sql, id, toValues(input)).catch(mapForeignKey);
    res.json(db.toScene((await db.findScene(sql, caller, id))!));
  });

  router.delete('/scenes/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.findScene(sql, currentUser(req), id))) throw notFound('no such scene');
    await db.deleteScene(sql, id);
    res.status(204).end();
  });

  /** Scene ordering: the body lists every scene of the tour, once, in the new order. */
  router.put('/tours/:id/scene-order', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const { sceneIds } = parseOr400(sceneOrderSchema, req.body ?? {});
    const caller = currentUser(req);
    await requireTour(sql, caller, id);
    const items = await sql.begin(async (tx) => {
      // Locks the tour's scenes so a concurrent insert cannot slip between the check and the update.
      const known = new Set(await db.lockSceneIds(tx, id));
      if (sceneIds.length !== known.size || new Set(sceneIds).size !== sceneIds.length || !sceneIds.every((s) => known.has(s))) {
        throw fieldProblem('sceneIds', `must list each of the tour's ${known.size} scenes exactly once`);
      }
      await db.reorderScenes(tx, id, sceneIds);
      return db.listScenes(tx, caller, id);
    });
    res.json({ items: items.map(db.toScene) });
  });

  return router;
}
