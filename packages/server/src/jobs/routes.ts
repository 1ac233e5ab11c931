import { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import { createHotspot } from '../hotspots/create.js';
import { findHotspot, sceneTour, toHotspot } from '../hotspots/sql.js';
import type { HotspotFields } from '../hotspots/schemas.js';
import { requireTour } from '../tours/ownership.js';
import { aiJobCreateSchema, aiJobListQuerySchema } from './schemas.js';
import * as db from './sql.js';

/** Unfinished jobs one account may have at once: each holds a server's CPU for seconds. */
export const MAX_OPEN_JOBS_PER_ACCOUNT = 20;

const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

/** The hotspot a suggestion becomes once accepted. */
function hotspotOf(suggestion: db.SuggestionRow): HotspotFields {
  const base = { yaw: suggestion.yaw, pitch: suggestion.pitch, title: suggestion.title };
  // Facing on arrival the way the link went, when feature matches told how the two panoramas are turned.
  const arrival = typeof suggestion.evidence.arrivalYaw === 'number' ? suggestion.evidence.arrivalYaw : null;
  return suggestion.type === 'navigation'
    ? { ...base, type: 'navigation', targetSceneId: suggestion.target_scene_id!, targetView: arrival === null ? null : { yaw: arrival, pitch: 0, fov: 90 } }
    : { ...base, type: 'info', html: '' };
}

export function jobRoutes(sql: Sql): Router {
  const router = Router();
  router.use(['/ai-jobs', '/ai-suggestions'], requireUser);

  router.post('/ai-jobs', async (req, res) => {
    const input = parseOr400(aiJobCreateSchema, req.body ?? {});
    const caller = currentUser(req);
    let tourId: string;
    let sceneId: string | null = null;
    if (input.type === 'scene_analysis') {
      const found = await sceneTour(sql, caller, input.sceneId);
      if (!found) throw notFound('no such scene');
      const [ready] = await sql`
        SELECT 1 FROM scenes s JOIN media m ON m.id = s.media_id WHERE s.id = ${input.sceneId} AND m.status = 'ready'`;
      if (!ready) throw conflict('the scene has no processed panorama to analyse');
      [tourId, sceneId] = [found, input.sceneId];
    } else {
      tourId = (await requireTour(sql, caller, input.tourId)).id;
    }
    const [open] = await sql<{ count: number }[]>`
      SELECT count(*)::int AS count FROM ai_jobs WHERE user_id = ${caller.id} AND status IN ('pending', 'processing')`;
    if (open!.count >= MAX_OPEN_JOBS_PER_ACCOUNT) {
      throw new HttpProblem(429, 'Too Many Requests', `an account has at most ${MAX_OPEN_JOBS_PER_ACCOUNT} unfinished AI jobs; wait for one to end`);
    }
    const row = await db.insertJob(sql, { userId: caller.id, tourId, sceneId, type: input.type });
    res.status(202).location(`/api/v1/ai-jobs/${row.id}`).json(db.toJob(row));
  });

  router.get('/ai-jobs', async (req, res) => {
    const { tourId } = parseOr400(aiJobListQuerySchema, req.query, 'query');
    await requireTour(sql, currentUser(req), tourId);
    res.json({ items: (await db.listJobs(sql, tourId)).map(db.toJob) });
  });

  router.get('/ai-jobs/:id', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findJob(sql, currentUser(req), id);
    if (!row) throw notFound('no such AI job');
    res.json(db.toJob(row));
  });

  router.post('/ai-jobs/:id/cancel', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const row = await db.findJob(sql, currentUser(req), id);
    if (!row) throw notFound('no such AI job');
    const cancelled = await db.cancelJob(sql, id);
    if (!cancelled) throw conflict(`the job has already ended (${(await db.readJob(sql, id))?.status ?? row.status})`);
    res.json(db.toJob(cancelled));
  });

  router.get('/ai-jobs/:id/suggestions', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.findJob(sql, currentUser(req), id))) throw notFound('no such AI job');
    res.json({ items: (await db.listSuggestions(sql, id)).map(db.toSuggestion) });
  });

  router.post('/ai-suggestions/:id/accept', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const caller = currentUser(req);
    const hotspotId = await sql.begin(async (tx) => {
      const suggestion = await db.findSuggestion(tx, caller, id, true);
      if (!suggestion) throw notFound('no such suggestion');
      if (suggestion.status !== 'open') throw conflict(`the suggestion was already ${suggestion.status}`);
      const created = await createHotspot(tx, suggestion.scene_id, suggestion.tour_id, hotspotOf(suggestion));
      await db.decideSuggestion(tx, id, 'accepted', created);
      return created;
    });
    res.status(201).location(`/api/v1/hotspots/${hotspotId}`).json(toHotspot((await findHotspot(sql, caller, hotspotId))!));
  });

  router.post('/ai-suggestions/:id/reject', async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const caller = currentUser(req);
    const row = await sql.begin(async (tx) => {
      const suggestion = await db.findSuggestion(tx, caller, id, true);
      if (!suggestion) throw notFound('no such suggestion');
      if (suggestion.status === 'accepted') throw conflict('the suggestion was already accepted; delete its hotspot instead');
      if (suggestion.status === 'open') await db.decideSuggestion(tx, id, 'rejected', null);
      return (await db.findSuggestion(tx, caller, id))!;
    });
    res.json(db.toSuggestion(row));
  });

  return router;
}
