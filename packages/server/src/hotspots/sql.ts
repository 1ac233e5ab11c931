import type { AuthUser } from '../auth/context.js';
import type { Db } from '@vr-tour/db';
import { ownsTour } from '../tours/ownership.js';
import type { HotspotFields } from './schemas.js';

export interface HotspotRow {
  id: string;
  scene_id: string;
  tour_id: string;
  type: HotspotFields['type'];
  yaw: number;
  pitch: number;
  title: string;
  target_scene_id: string | null;
  target_yaw: number | null;
  target_pitch: number | null;
  target_fov: number | null;
  content: Record<string, unknown>;
  sort_order: number;
  created_at: Date;
  updated_at: Date;
}

/** The columns a hotspot's wire fields are made of. */
type FieldColumns = Pick<
  HotspotRow,
  'type' | 'yaw' | 'pitch' | 'title' | 'target_scene_id' | 'target_yaw' | 'target_pitch' | 'target_fov' | 'content'
>;

/**
 * Row to wire fields, for the editor and the public document alike:
 * navigation data has columns (for the foreign key); the rest lives in
 * `content`, read field by field so a row written by an older version still
 * makes a valid hotspot.
 */
export function toFields(row: FieldColumns): HotspotFields {
  const base = { yaw: row.yaw, pitch: row.pitch, title: row.title };
  const content = row.content;
  switch (row.type) {
    case 'navigation':
      return {
        ...base,
        type: 'navigation',
        targetSceneId: row.target_scene_id!,
        targetView: row.target_yaw === null ? null : { yaw: row.target_yaw, pitch: row.target_pitch!, fov: row.target_fov! },
      };
    case 'info':
      return { ...base, type: 'info', html: String(content.html ?? '') };
    case 'audio':
      return { ...base, type: 'audio', mediaUrl: String(content.mediaUrl), loop: content.loop === true };
    case 'video':
      return {
        ...base,
        type: 'video',
        mediaUrl: String(content.mediaUrl),
        posterUrl: typeof content.posterUrl === 'string' ? content.posterUrl : null,
      };
    case 'link':
      return { ...base, type: 'link', url: String(content.url) };
    case 'custom':
      return {
        ...base,
        type: 'custom',
        payload: (content.payload ?? {}) as Record<string, never>,
        template: typeof content.template === 'string' ? content.template : null,
      };
  }
}

export function toHotspot(row: HotspotRow) {
  return { id: row.id, sceneId: row.scene_id, sortOrder: row.sort_order, ...toFields(row) };
}

/** Wire fields to columns. */
export function toColumns(fields: HotspotFields) {
  const { type, yaw, pitch, title } = fields;
  if (fields.type === 'navigation') {
    return {
      type, yaw, pitch, title,
      target_scene_id: fields.targetSceneId,
      target_yaw: fields.targetView?.yaw ?? null,
      target_pitch: fields.targetView?.pitch ?? null,
      target_fov: fields.targetView?.fov ?? null,
      content: {},
    };
  }
  const { type: _type, yaw: _yaw, pitch: _pitch, title: _title, ...content } = fields;
  return { type, yaw, pitch, title, target_scene_id: null, target_yaw: null, target_pitch: null, target_fov: null, content };
}

function selectHotspots(sql: Db, caller: AuthUser) {
  return sql`
    SELECT h.*, s.tour_id FROM hotspots h JOIN scenes s ON s.id = h.scene_id JOIN tours t ON t.id = s.tour_id
    WHERE ${ownsTour(sql, caller)}`;
}

export async function findHotspot(sql: Db, caller: AuthUser, id: string): Promise<HotspotRow | undefined> {
  const [row] = await sql<HotspotRow[]>`${selectHotspots(sql, caller)} AND h.id = ${id}`;
  return row;
}

export async function listHotspots(sql: Db, caller: AuthUser, sceneId: string): Promise<HotspotRow[]> {
  return sql<HotspotRow[]>`${selectHotspots(sql, caller)} AND h.scene_id = ${sceneId} ORDER BY h.sort_order, h.created_at, h.id`;
}

/** The tour of a scene the caller may edit. */
export async function sceneTour(sql: Db, caller: AuthUser, sceneId: string): Promise<string | undefined> {
  const [row] = await sql<{ tour_id: string }[]>`
    SELECT s.tour_id FROM scenes s JOIN tours t ON t.id = s.tour_id WHERE s.id = ${sceneId} AND ${ownsTour(sql, caller)}`;
  return row?.tour_id;
}

type Columns = ReturnType<typeof toColumns>;

export async function insertHotspot(sql: Db, sceneId: string, columns: Columns): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id, target_yaw, target_pitch, target_fov, content, sort_order)
    VALUES (${sceneId}, ${columns.type}, ${columns.yaw}, ${columns.pitch}, ${columns.title}, ${columns.target_scene_id},
            ${columns.target_yaw}, ${columns.target_pitch}, ${columns.target_fov}, ${sql.json(columns.content as never)},
            (SELECT coalesce(max(sort_order) + 1, 0) FROM hotspots WHERE scene_id = ${sceneId}))
    RETURNING id`;
  return row!.id;
}

export async function updateHotspot(sql: Db, id: string, columns: Columns): Promise<void> {
  await sql`UPDATE hotspots SET ${sql({ ...columns, content: sql.json(columns.content as never) } as unknown as Record<string, never>)}
    WHERE id = ${id}`;
}

export async function deleteHotspot(sql: Db, id: string): Promise<void> {
  await sql`DELETE FROM hotspots WHERE id = ${id}`;
}
