import { Router } from 'express';
import { z } from 'zod';
import type { Sql } from '@vr-tour/db';
import type { TourSummary } from '@vr-tour/protocol';
import { allowAnyOrigin } from '../http/cors.js';
import { sendJsonWithEtag } from '../http/etag.js';
import { inputGuard } from '../http/input-guard.js';
import { notFound, parseOr400 } from '../http/problem.js';
import { listPublicTours } from './sql.js';
import { loadPublicTourDocument } from './tour-document.js';

// Short freshness, then revalidation by ETag: an unpublished tour disappears within a minute.
export const PUBLIC_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=300';

const tourIdSchema = z.object({ id: z.uuid({ message: 'must be a tour id (a UUID)' }) });

/** Years 1..9999: what both Date and PostgreSQL's timestamptz read back as written. */
const FIRST_TIME = Date.parse('0001-01-01T00:00:00Z');
const LAST_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const isStorableTime = (text: string) => {
  const time = Date.parse(text);
  return time >= FIRST_TIME && time <= LAST_TIME;
};

export const gallerySchema = z.object({
  featured: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  /** Opaque: the last item's `publishedAt|id` from the previous page. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[^|]+\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'is not a cursor from a previous page')
    .refine((cursor) => isStorableTime(cursor.split('|')[0]!), 'is not a cursor from a previous page')
    .optional(),
});

export interface PublicRoutesOptions {
  sql: Sql;
  /** The collector endpoint written into tour documents (root-relative or absolute). */
  collectorUrl: string | null;
}

/** The unauthenticated API that `<vr-tour>` and embeds read, from any origin. */
export function publicRoutes({ sql, collectorUrl }: PublicRoutesOptions): Router {
  const router = Router();
  router.use(allowAnyOrigin(), inputGuard());

  router.get('/tours', async (req, res) => {
    const query = parseOr400(gallerySchema, req.query, 'query');
    const [cursorTime, cursorId] = query.cursor?.split('|') ?? [];
    const rows = await listPublicTours(sql, {
      limit: query.limit,
      ...(query.featured === undefined ? {} : { featured: query.featured === 'true' }),
      ...(cursorId ? { after: { publishedAt: new Date(cursorTime!), id: cursorId } } : {}),
    });
    const page = rows.slice(0, query.limit);
    const items: TourSummary[] = page.map((row) => ({
      id: row.id,
      title: row.title,
      description: row.description,
      thumbnailUrl: row.thumbnail_url,
      url: `/api/v1/public/tours/${row.id}`,
      publishedAt: row.published_at.toISOString(),
      viewCount: row.view_count,
      likeCount: row.like_count,
    }));
    const last = page.at(-1);
    const nextCursor = rows.length > query.limit && last ? `${last.published_at.toISOString()}|${last.id}` : null;
    sendJsonWithEtag(req, res, { items, nextCursor }, PUBLIC_CACHE_CONTROL);
  });

  router.get('/tours/:id', async (req, res) => {
    const { id } = parseOr400(tourIdSchema, req.params, 'path');
    const document = await loadPublicTourDocument(sql, id, collectorUrl);
    // Drafts, private, archived and unknown tours all look the same: not found.
    if (!document) throw notFound(`no published tour ${id}`);
    sendJsonWithEtag(req, res, document, PUBLIC_CACHE_CONTROL);
  });

  return router;
}
