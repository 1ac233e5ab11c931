import type { TourStatus, TourVisibility } from '@vr-tour/protocol';
import { tourSettingsSchema } from '@vr-tour/protocol';
import type { AuthUser } from '../auth/context.js';
import type { Db } from '@vr-tour/db';
import { ownsTour } from './ownership.js';
import { afterCursor, CURSOR_AT, type Cursor } from './pagination.js';

export interface TourRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  status: TourStatus;
  visibility: TourVisibility;
  is_public: boolean;
  is_featured: boolean;
  settings: unknown;
  thumbnail_url: string | null;
  initial_scene_id: string | null;
  view_count: number;
  like_count: number;
  share_count: number;
  published_at: Date | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

const COLUMNS = `id, user_id, title, description, status, visibility, is_public, is_featured, settings, thumbnail_url,
  initial_scene_id, view_count, like_count, share_count, published_at, archived_at, created_at, updated_at,
  ${CURSOR_AT} AS cursor_at`;

// Settings are validated on write; a row from an older schema still serves, with defaults.
export function readSettings(stored: unknown) {
  const parsed = tourSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : tourSettingsSchema.parse({});
}

export function toTour(row: TourRow) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    visibility: row.visibility,
    isPublic: row.is_public,
    isFeatured: row.is_featured,
    settings: readSettings(row.settings),
    thumbnailUrl: row.thumbnail_url,
    initialSceneId: row.initial_scene_id,
    viewCount: row.view_count,
    likeCount: row.like_count,
    shareCount: row.share_count,
    publishedAt: row.published_at?.toISOString() ?? null,
    archivedAt: row.archived_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertTour(
  sql: Db,
  userId: string,
  tour: { title: string; description: string | null; visibility: TourVisibility; settings: object },
): Promise<TourRow> {
  const [row] = await sql<TourRow[]>`
    INSERT INTO tours (user_id, title, description, visibility, settings)
    VALUES (${userId}, ${tour.title}, ${tour.description}, ${tour.visibility}, ${sql.json(tour.settings as never)})
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return row!;
}

export async function findTour(sql: Db, caller: AuthUser, id: string, lock = false): Promise<TourRow | undefined> {
  const [row] = await sql<TourRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM tours t WHERE t.id = ${id} AND ${ownsTour(sql, caller)}
    ${lock ? sql`FOR UPDATE` : sql``}`;
  return row;
}

/**
 * The caller's own tours, newest first. Each page is one ordered index range:
 * of idx_tours_user_status with a status, of idx_tours_user_created without
 * (test/tours/listing-plan.test.ts checks the plans).
 */
export async function listTours(
  sql: Db,
  userId: string,
  options: { status?: TourStatus; cursor?: Cursor; limit: number },
): Promise<TourRow[]> {
  return sql<TourRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM tours
    WHERE user_id = ${userId}
      ${options.status ? sql`AND status = ${options.status}` : sql``}
      ${afterCursor(sql, options.cursor, options.limit)}`;
}

export async function updateTour(sql: Db, id: string, changes: Record<string, unknown>): Promise<TourRow> {
  const [row] = await sql<TourRow[]>`
    UPDATE tours SET ${sql(changes as Record<string, never>)} WHERE id = ${id} RETURNING ${sql.unsafe(COLUMNS)}`;
  return row!;
}

export async function deleteTour(sql: Db, caller: AuthUser, id: string): Promise<boolean> {
  const rows = await sql`DELETE FROM tours t WHERE t.id = ${id} AND ${ownsTour(sql, caller)} RETURNING id`;
  return rows.length > 0;
}

/** Scenes whose panorama is processed: what a published tour would show. */
export async function countShowableScenes(sql: Db, tourId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM scenes s JOIN media m ON m.id = s.media_id AND m.status = 'ready'
    WHERE s.tour_id = ${tourId}`;
  return row!.count;
}
