import { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import { checkTarget, createHotspot } from './create.js';
import { hotspotCreateSchema, hotspotFieldsSchema, hotspotListQuerySchema, hotspotPatchSchema, type HotspotFields } from './schemas.js';
import * as db from './sql.js';

export function hotspotRoutes(sql: Sql): Router {
  const router = Router();
  router.use('/hotspots', requireUser);

  router.post('/hotspots', async (req, res) => {
    const { sceneId, ...fields } = parseOr400(hotspotCreateSchema, req.body ?? {});
    const caller = currentUser(req);
    const tourId = await db.sceneTour(sql, caller, sceneId);
    if (!tourId) throw notFound('no such scene');
    const id = await sql.begin((tx) => createHotspot(tx, sceneId, tourId, fields as HotspotFields));
    res.status(201).location(`/api/v1/hotspots/${id}`).json(db.toHotspot((await db.findHotspot(sql, caller, id))!));
  });

  router.get('/hotspots', async (req, res) => {
    const { sceneId } = parseOr400(hotspotListQuerySchema, req.query, 'query');
    const caller = currentUser(req);
    if (!(await db.sceneTour(sql, caller, sceneId))) throw notFound('no such scene');
    res.json({ items: (await db.listHotspots(sql, caller, sceneId)).map(db.toHotspot) });
  });

  router.get('/hotspots/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findHotspot(sql, currentUser(req), id);
    if (!row) throw notFound('no such hotspot');
    res.json(db.toHotspot(row));
  });

  router.patch('/hotspots/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const patch = parseOr400(hotspotPatchSchema, req.body ?? {});
    const caller = currentUser(req);
    const row = await db.findHotspot(sql, caller, id);
    if (!row) throw notFound('no such hotspot');
    // A type change starts from the common fields only, so stale fields of the old type do not linger.
    const current = db.toFields(row);
    const base = patch.type !== undefined && patch.type !== current.type
      ? { yaw: current.yaw, pitch: current.pitch, title: current.title }
      : current;
    const fields = parseOr400(hotspotFieldsSchema, { ...base, ...patch });
    await checkTarget(sql, fields, row.scene_id, row.tour_id);
    await db.updateHotspot(sql, id, db.toColumns(fields));
    res.json(db.toHotspot((await db.findHotspot(sql, caller, id))!));
  });

  router.delete('/hotspots/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.findHotspot(sql, currentUser(req), id))) throw notFound('no such hotspot');
    await db.deleteHotspot(sql, id);
    res.status(204).end();
  });

  return router;
}
