import type { Db } from '@vr-tour/db';
import type { AuthUser } from '../auth/context.js';
import { ownsTour } from '../tours/ownership.js';

export interface FloorPlanRow {
  id: string;
  tour_id: string;
  title: string;
  media_id: string | null;
  image_url: string;
  width: number;
  height: number;
  sort_order: number;
  created_at: Date;
  updated_at: Date;
}

export const toFloorPlan = (row: FloorPlanRow) => ({
  id: row.id,
  tourId: row.tour_id,
  title: row.title,
  mediaId: row.media_id,
  imageUrl: row.image_url,
  width: row.width,
  height: row.height,
  sortOrder: row.sort_order,
});

/** Where a floor plan's picture comes from: an uploaded image (media_id) or an external URL (null). */
export interface FloorPlanImage {
  media_id: string | null;
  image_url: string;
  width: number;
  height: number;
}

export async function findFloorPlan(sql: Db, caller: AuthUser, id: string): Promise<FloorPlanRow | undefined> {
  const [row] = await sql<FloorPlanRow[]>`
    SELECT f.* FROM floor_plans f JOIN tours t ON t.id = f.tour_id WHERE f.id = ${id} AND ${ownsTour(sql, caller)}`;
  return row;
}

export async function listFloorPlans(sql: Db, tourId: string): Promise<FloorPlanRow[]> {
  return sql<FloorPlanRow[]>`SELECT * FROM floor_plans WHERE tour_id = ${tourId} ORDER BY sort_order, created_at, id`;
}

/** The image of a processed floor plan or image upload of the tour's owner, or undefined. */
export async function ownersProcessedImage(sql: Db, tourId: string, mediaId: string): Promise<FloorPlanImage | undefined> {
  const [media] = await sql<{ url: string | null; width: number; height: number }[]>`
    SELECT m.variants ->> 'url' AS url, (m.variants ->> 'width')::int AS width, (m.variants ->> 'height')::int AS height FROM media m JOIN tours t ON t.user_id = m.user_id
    WHERE m.id = ${mediaId} AND t.id = ${tourId} AND m.kind IN ('floor_plan', 'image') AND m.status = 'ready'`;
  return media?.url ? { media_id: mediaId, image_url: media.url, width: media.width, height: media.height } : undefined;
}

/** Appends the floor plan after the tour's last one unless `sortOrder` is given. */
export async function insertFloorPlan(
  sql: Db,
  tourId: string,
  values: FloorPlanImage & { title: string; sortOrder: number | undefined },
): Promise<FloorPlanRow> {
  const [row] = await sql<FloorPlanRow[]>`
    INSERT INTO floor_plans (tour_id, title, media_id, image_url, width, height, sort_order)
    VALUES (${tourId}, ${values.title}, ${values.media_id}, ${values.image_url}, ${values.width}, ${values.height},
            ${values.sortOrder ?? sql`(SELECT coalesce(max(sort_order) + 1, 0) FROM floor_plans WHERE tour_id = ${tourId})`})
    RETURNING *`;
  return row!;
}

export async function updateFloorPlan(sql: Db, id: string, changes: Record<string, unknown>): Promise<FloorPlanRow> {
  const [row] = await sql<FloorPlanRow[]>`UPDATE floor_plans SET ${sql(changes as Record<string, never>)} WHERE id = ${id} RETURNING *`;
  return row!;
}

export async function deleteFloorPlan(sql: Db, id: string): Promise<void> {
  await sql`DELETE FROM floor_plans WHERE id = ${id}`;
}
