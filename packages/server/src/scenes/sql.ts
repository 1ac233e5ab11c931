import type { AuthUser } from '../auth/context.js';
import type { Db } from '@vr-tour/db';
import { ownsTour } from '../tours/ownership.js';

export interface SceneRow {
  id: string;
  tour_id: string;
  title: string;
  description: string | null;
  media_id: string | null;
  media_status: 'pending' | 'processing' | 'ready' | 'failed' | null;
  thumbnail_url: string | null;
  initial_yaw: number;
  initial_pitch: number;
  initial_fov: number;
  north_offset: number;
  floor_plan_id: string | null;
  floor_plan_x: number | null;
  floor_plan_y: number | null;
  sort_order: number;
  created_at: Date;
  updated_at: Date;
}

export function toScene(row: SceneRow) {
  return {
    id: row.id,
    tourId: row.tour_id,
    title: row.title,
    description: row.description,
    mediaId: row.media_id,
    mediaStatus: row.media_status,
    thumbnailUrl: row.thumbnail_url,
    initialView: { yaw: row.initial_yaw, pitch: row.initial_pitch, fov: row.initial_fov },
    northOffset: row.north_offset,
    floorPlan:
      row.floor_plan_id === null ? null : { floorPlanId: row.floor_plan_id, x: row.floor_plan_x!, y: row.floor_plan_y! },
    sortOrder: row.sort_order,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Scenes with their media's status, filtered by the caller's ownership of the tour. */
function selectScenes(sql: Db, caller: AuthUser) {
  return sql`
    SELECT s.*, m.status AS media_status, m.variants ->> 'thumbnailUrl' AS thumbnail_url
    FROM scenes s JOIN tours t ON t.id = s.tour_id LEFT JOIN media m ON m.id = s.media_id
    WHERE ${ownsTour(sql, caller)}`;
}

export async function findScene(sql: Db, caller: AuthUser, id: string): Promise<SceneRow | undefined> {
  const [row] = await sql<SceneRow[]>`${selectScenes(sql, caller)} AND s.id = ${id}`;
  return row;
}

export async function listScenes(sql: Db, caller: AuthUser, tourId: string): Promise<SceneRow[]> {
  return sql<SceneRow[]>`${selectScenes(sql, caller)} AND s.tour_id = ${tourId} ORDER BY s.sort_order, s.created_at, s.id`;
}

/** Is `mediaId` a panorama of the tour's owner (not necessarily the caller: admins edit others' tours)? */
export async function isOwnersPanorama(sql: Db, tourId: string, mediaId: string): Promise<boolean> {
  const rows = await sql`
    SELECT 1 FROM media m JOIN tours t ON t.user_id = m.user_id
    WHERE m.id = ${mediaId} AND t.id = ${tourId} AND m.kind = 'panorama'`;
  return rows.length > 0;
}

export async function isSceneOfTour(sql: Db, sceneId: string, tourId: string): Promise<boolean> {
  return (await sql`SELECT 1 FROM scenes WHERE id = ${sceneId} AND tour_id = ${tourId}`).length > 0;
}

export interface SceneValues {
  title?: string;
  description?: string | null;
  media_id?: string | null;
  initial_yaw?: number;
  initial_pitch?: number;
  initial_fov?: number;
  north_offset?: number;
  floor_plan_id?: string | null;
  floor_plan_x?: number | null;
  floor_plan_y?: number | null;
}

/** Appends the scene after the tour's last one. */
export async function insertScene(sql: Db, tourId: string, values: SceneValues): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO scenes (tour_id, title, description, media_id, initial_yaw, initial_pitch, initial_fov, north_offset,
                        floor_plan_id, floor_plan_x, floor_plan_y, sort_order)
    VALUES (${tourId}, ${values.title!}, ${values.description ?? null}, ${values.media_id ?? null},
            ${values.initial_yaw ?? 0}, ${values.initial_pitch ?? 0}, ${values.initial_fov ?? 90}, ${values.north_offset ?? 0},
            ${values.floor_plan_id ?? null}, ${values.floor_plan_x ?? null}, ${values.floor_plan_y ?? null},
            (SELECT coalesce(max(sort_order) + 1, 0) FROM scenes WHERE tour_id = ${tourId}))
    RETURNING id`;
  return row!.id;
}

export async function updateScene(sql: Db, id: string, values: SceneValues): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await sql`UPDATE scenes SET ${sql(values as Record<string, never>)} WHERE id = ${id}`;
}

export async function deleteScene(sql: Db, id: string): Promise<void> {
  await sql`DELETE FROM scenes WHERE id = ${id}`;
}

/** The ids of the tour's scenes, locked so no scene comes or goes before the transaction ends. */
export async function lockSceneIds(sql: Db, tourId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`SELECT id FROM scenes WHERE tour_id = ${tourId} FOR UPDATE`;
  return rows.map((row) => row.id);
}

/** Sets sort_order to each scene's index in `sceneIds`, in one statement. */
export async function reorderScenes(sql: Db, tourId: string, sceneIds: string[]): Promise<void> {
  await sql`
    UPDATE scenes s SET sort_order = o.position - 1
    FROM unnest(${sql.array(sceneIds)}::uuid[]) WITH ORDINALITY AS o (id, position)
    WHERE s.id = o.id AND s.tour_id = ${tourId} AND s.sort_order <> o.position - 1`;
}
