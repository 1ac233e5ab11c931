import { Router } from 'express';
import { z } from 'zod';
import type { Sql } from '@vr-tour/db';
import { brandingSchema as wireBrandingSchema } from '@vr-tour/protocol';
import { currentUser, requireUser } from '../auth/context.js';
import { idParamSchema } from '../auth/schemas.js';
import { notFound, parseOr400 } from '../http/problem.js';
import { requireTour } from '../tours/ownership.js';

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

interface BrandingRow {
  logo_url: string | null;
  primary_color: string | null;
  accent_color: string | null;
  link_url: string | null;
  show_powered_by: boolean;
}

const toBranding = (row: BrandingRow) => ({
  logoUrl: row.logo_url,
  primaryColor: row.primary_color,
  accentColor: row.accent_color,
  linkUrl: row.link_url,
  showPoweredBy: row.show_powered_by,
});

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
    const [row] = await sql<BrandingRow[]>`SELECT * FROM branding WHERE tour_id = ${id}`;
    res.json(row ? toBranding(row) : DEFAULTS);
  });

  router.patch('/tours/:id/branding', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const patch = parseOr400(brandingPatchSchema, req.body ?? {});
    await requireTour(sql, currentUser(req), id);
    const row = await sql.begin(async (tx) => {
      const [current] = await tx<BrandingRow[]>`SELECT * FROM branding WHERE tour_id = ${id} FOR UPDATE`;
      const next = { ...(current ? toBranding(current) : DEFAULTS), ...patch };
      const [saved] = await tx<BrandingRow[]>`
        INSERT INTO branding (tour_id, logo_url, primary_color, accent_color, link_url, show_powered_by)
        VALUES (${id}, ${next.logoUrl}, ${next.primaryColor?.toLowerCase() ?? null}, ${next.accentColor?.toLowerCase() ?? null},
                ${next.linkUrl}, ${next.showPoweredBy})
        ON CONFLICT (tour_id) DO UPDATE SET logo_url = EXCLUDED.logo_url, primary_color = EXCLUDED.primary_color,
          accent_color = EXCLUDED.accent_color, link_url = EXCLUDED.link_url, show_powered_by = EXCLUDED.show_powered_by
        RETURNING *`;
      return saved!;
    });
    res.json(toBranding(row));
  });

  router.delete('/tours/:id/branding', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    await requireTour(sql, currentUser(req), id);
    await sql`DELETE FROM branding WHERE tour_id = ${id}`;
    res.status(204).end();
  });

  return router;
}
