import type { Db } from '@vr-tour/db';
import type { Panorama } from '@vr-tour/protocol';
import type { BrandingRow } from '../branding/sql.js';
import type { FloorPlanRow } from '../floor-plans/sql.js';
import type { HotspotRow } from '../hotspots/sql.js';
import type { SceneRow } from '../scenes/sql.js';
import type { TourRow } from '../tours/sql.js';

/** The condition for a tour to be visible to the public API, in one place. */
export const PUBLICLY_VISIBLE = `t.status = 'published' AND t.visibility IN ('public', 'unlisted')`;

// The columns are the editor's; the public API reads a subset of them.

export type SummaryRow = Pick<TourRow, 'id' | 'title' | 'description' | 'thumbnail_url' | 'view_count' | 'like_count'> & {
  published_at: Date;
};

/** A tour with its branding's columns, null when it has none. */
export type PublicTourRow = Pick<
  TourRow,
  'id' | 'title' | 'description' | 'settings' | 'thumbnail_url' | 'initial_scene_id' | 'updated_at'
> & { [Column in keyof BrandingRow]: BrandingRow[Column] | null };

export type PublicSceneRow = Pick<
  SceneRow,
  'id' | 'title' | 'description' | 'initial_yaw' | 'initial_pitch' | 'initial_fov' | 'north_offset' | 'floor_plan_id' | 'floor_plan_x' | 'floor_plan_y' | 'updated_at'
> & { variants: Partial<Panorama> };

export type PublicHotspotRow = Omit<HotspotRow, 'tour_id' | 'sort_order' | 'created_at'>;

export type PublicFloorPlanRow = Pick<FloorPlanRow, 'id' | 'title' | 'image_url' | 'width' | 'height' | 'updated_at'>;

export interface PublicTourRows {
  tour: PublicTourRow;
  /** Only scenes whose panorama is processed, in order. */
  scenes: PublicSceneRow[];
  /** Every hotspot of the tour's scenes, in order. */
  hotspots: PublicHotspotRow[];
  floorPlans: PublicFloorPlanRow[];
}

/**
 * Listed tours (public, never unlisted: those are reachable by link only),
 * newest published first, one more than `limit` to tell whether a next page exists.
 */
export async function listPublicTours(
  sql: Db,
  options: { featured?: boolean; after?: { publishedAt: Date; id: string }; limit: number },
): Promise<SummaryRow[]> {
  return sql<SummaryRow[]>`
    SELECT t.id, t.title, t.description, t.thumbnail_url, t.published_at, t.view_count, t.like_count
    FROM tours t
    WHERE ${sql.unsafe(PUBLICLY_VISIBLE)} AND t.visibility = 'public'
      ${options.featured === undefined ? sql`` : sql`AND t.is_featured = ${options.featured}`}
      ${options.after ? sql`AND (t.published_at, t.id) < (${options.after.publishedAt}, ${options.after.id})` : sql``}
    ORDER BY t.published_at DESC, t.id DESC
    LIMIT ${options.limit + 1}`;
}

/** The rows of a publicly visible tour's document, or undefined when there is no such tour. */
export async function loadPublicTourRows(sql: Db, tourId: string): Promise<PublicTourRows | undefined> {
  const [tour] = await sql<PublicTourRow[]>`
    SELECT t.id, t.title, t.description, t.settings, t.thumbnail_url, t.initial_scene_id, t.updated_at,
           b.logo_url, b.primary_color, b.accent_color, b.link_url, b.show_powered_by
    FROM tours t LEFT JOIN branding b ON b.tour_id = t.id
    WHERE t.id = ${tourId} AND ${sql.unsafe(PUBLICLY_VISIBLE)}`;
  if (!tour) return undefined;
  const [scenes, hotspots, floorPlans] = await Promise.all([
    sql<PublicSceneRow[]>`
      SELECT s.id, s.title, s.description, m.variants, s.initial_yaw, s.initial_pitch, s.initial_fov,
             s.north_offset, s.floor_plan_id, s.floor_plan_x, s.floor_plan_y, s.updated_at
      FROM scenes s JOIN media m ON m.id = s.media_id AND m.status = 'ready'
      WHERE s.tour_id = ${tourId}
      ORDER BY s.sort_order, s.created_at, s.id`,
    sql<PublicHotspotRow[]>`
      SELECT h.id, h.scene_id, h.type, h.yaw, h.pitch, h.title, h.target_scene_id,
             h.target_yaw, h.target_pitch, h.target_fov, h.content, h.updated_at
      FROM hotspots h JOIN scenes s ON s.id = h.scene_id
      WHERE s.tour_id = ${tourId}
      ORDER BY h.sort_order, h.created_at, h.id`,
    sql<PublicFloorPlanRow[]>`
      SELECT id, title, image_url, width, height, updated_at FROM floor_plans
      WHERE tour_id = ${tourId} ORDER BY sort_order, created_at, id`,
  ]);
  return { tour, scenes, hotspots, floorPlans };
}
