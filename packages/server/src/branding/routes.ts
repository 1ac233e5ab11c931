import { Router } from 'express';
import { z } from 'zod';
import type { Sql } from '@vr-tour/db';
import { brandingSchema as wireBrandingSchema } from '@vr-tour/protocol';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { parseOr400 } from '../http/problem.js';
import { requireTour } from '../tours/ownership.js';
import * as db from './sql.js';

/** The tour document's branding; colours are stored lowercase (the column's check). */
export const brandingSchema = wireBrandingSchema;
export const brandingPatchSchema = z.strictObject(wireBrandingSchema.shape).partial();

const DEFAULTS: z.infer<typeof brandingSchema> = {
  logoUrl: null,
  primaryColor: null,
  accentColor: null,
  linkUrl: null,
  showPoweredBy: true,
};

/**
 * One branding per tour. GET answers the defaults when none is set (the
 * public document then has `branding: null`); PATCH creates or updates;
 * DELETE goes back to none.
 */
export function brandingRoutes(sql: Sql): Router {
  const router = Router();

  router.get('/tours/:id/branding', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    await requireTour(sql, currentUser(req), id);
    const row = await db.findBranding(sql, id);
    res.json(row ? db.toBranding(row) : DEFAULTS);
  });

  router.patch('/tours/:id/branding', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const patch = parseOr400(brandingPatchSchema, req.body ?? {});
    await requireTour(sql, currentUser(req), id);
    const row = await sql.begin(async (tx) => {
      const current = await db.findBranding(tx, id, true);
      return db.saveBranding(tx, id, { ...(current ? db.toBranding(current) : DEFAULTS), ...patch });
    });
    res.json(db.toBranding(row));
  });

  router.delete('/tours/:id/branding', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    await requireTour(sql, currentUser(req), id);
    await db.deleteBranding(sql, id);
    res.status(204).end();
  });

  return router;
}
