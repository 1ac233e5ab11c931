import type { Sql } from '@vr-tour/db';
import type { HotspotRow as EditorHotspotRow } from '../hotspots/sql.js';
import type { SceneRow as EditorSceneRow } from '../scenes/sql.js';
import {
  tourSettingsSchema,
  type Branding,
  type FloorPlan,
  type Hotspot,
  type Panorama,
  type Scene,
  type TourDocument,
  TOUR_DOCUMENT_VERSION,
} from '@vr-tour/protocol';

/** The condition for a tour to be visible to the public API, in one place. */
export const PUBLICLY_VISIBLE = `t.status = 'published' AND t.visibility IN ('public', 'unlisted')`;

interface TourRow {
  id: string;
  title: string;
  description: string | null;
  settings: unknown;
  thumbnail_url: string | null;
  initial_scene_id: string | null;
  updated_at: Date;
  logo_url: string | null;
  primary_color: string | null;
  accent_color: string | null;
  link_url: string | null;
  show_powered_by: boolean | null;
}

// The columns are the editor's; the public document reads a subset of them.
type SceneRow = Pick<
  EditorSceneRow,
  'id' | 'title' | 'description' | 'initial_yaw' | 'initial_pitch' | 'initial_fov' | 'north_offset' | 'floor_plan_id' | 'floor_plan_x' | 'floor_plan_y' | 'updated_at'
> & { variants: Partial<Panorama> };

type HotspotRow = Omit<EditorHotspotRow, 'tour_id' | 'sort_order'> & { updated_at: Date };

interface FloorPlanRow {
  id: string;
  title: string;
  image_url: string;
  width: number;
  height: number;
  updated_at: Date;
}

function toHotspot(row: HotspotRow): Hotspot {
  const base = { id: row.id, yaw: row.yaw, pitch: row.pitch, title: row.title };
  const content = row.content;
  switch (row.type) {
    case 'navigation':
      return {
        ...base,
        type: 'navigation',
        targetSceneId: row.target_scene_id!,
        targetView:
          row.target_yaw === null ? null : { yaw: row.target_yaw, pitch: row.target_pitch!, fov: row.target_fov! },
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

// Settings are validated on write; a row from an older schema still serves, with defaults.
function readSettings(stored: unknown) {
  const parsed = tourSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : tourSettingsSchema.parse({});
}

function toBranding(row: TourRow): Branding | null {
  if (row.show_powered_by === null) return null;
  return {
    logoUrl: row.logo_url,
    primaryColor: row.primary_color,
    accentColor: row.accent_color,
    linkUrl: row.link_url,
    showPoweredBy: row.show_powered_by,
  };
}

/**
 * Builds the public tour document of a published public or unlisted tour, or
 * returns undefined. Scenes whose panorama is not processed yet are left out,
 * with the navigation hotspots that lead to them.
 */
export async function loadPublicTourDocument(
  sql: Sql,
  tourId: string,
  collectorUrl: string | null,
): Promise<TourDocument | undefined> {
  const [tour] = await sql<TourRow[]>`
    SELECT t.id, t.title, t.description, t.settings, t.thumbnail_url, t.initial_scene_id, t.updated_at,
           b.logo_url, b.primary_color, b.accent_color, b.link_url, b.show_powered_by
    FROM tours t LEFT JOIN branding b ON b.tour_id = t.id
    WHERE t.id = ${tourId} AND ${sql.unsafe(PUBLICLY_VISIBLE)}`;
  if (!tour) return undefined;
  const [scenes, hotspots, floorPlans] = await Promise.all([
    sql<SceneRow[]>`
      SELECT s.id, s.title, s.description, m.variants, s.initial_yaw, s.initial_pitch, s.initial_fov,
             s.north_offset, s.floor_plan_id, s.floor_plan_x, s.floor_plan_y, s.updated_at
      FROM scenes s JOIN media m ON m.id = s.media_id AND m.status = 'ready'
      WHERE s.tour_id = ${tourId}
      ORDER BY s.sort_order, s.created_at, s.id`,
    sql<HotspotRow[]>`
      SELECT h.id, h.scene_id, h.type, h.yaw, h.pitch, h.title, h.target_scene_id,
             h.target_yaw, h.target_pitch, h.target_fov, h.content, h.updated_at
      FROM hotspots h JOIN scenes s ON s.id = h.scene_id
      WHERE s.tour_id = ${tourId}
      ORDER BY h.sort_order, h.created_at, h.id`,
    sql<FloorPlanRow[]>`
      SELECT id, title, image_url, width, height, updated_at FROM floor_plans
      WHERE tour_id = ${tourId} ORDER BY sort_order, created_at, id`,
  ]);
  if (scenes.length === 0) return undefined;
  const shown = new Set(scenes.map((scene) => scene.id));
  const hotspotsByScene = new Map<string, Hotspot[]>();
  for (const row of hotspots) {
    if (row.target_scene_id !== null && !shown.has(row.target_scene_id)) continue;
    const list = hotspotsByScene.get(row.scene_id) ?? [];
    list.push(toHotspot(row));
    hotspotsByScene.set(row.scene_id, list);
  }
  const documentScenes: Scene[] = scenes.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    panorama: {
      inlinePreview: row.variants.inlinePreview ?? null,
      previewUrl: row.variants.previewUrl ?? null,
      levels: row.variants.levels ?? [],
    },
    initialView: { yaw: row.initial_yaw, pitch: row.initial_pitch, fov: row.initial_fov },
    northOffset: row.north_offset,
    floorPlan:
      row.floor_plan_id === null ? null : { floorPlanId: row.floor_plan_id, x: row.floor_plan_x!, y: row.floor_plan_y! },
    hotspots: hotspotsByScene.get(row.id) ?? [],
  }));
  const documentFloorPlans: FloorPlan[] = floorPlans.map((row) => ({
    id: row.id,
    title: row.title,
    imageUrl: row.image_url,
    width: row.width,
    height: row.height,
  }));
  // The newest change anywhere in the tour is the document's change time.
  const updatedAt = [tour, ...scenes, ...hotspots, ...floorPlans].reduce(
    (latest, row) => (row.updated_at > latest ? row.updated_at : latest),
    tour.updated_at,
  );
  return {
    version: TOUR_DOCUMENT_VERSION,
    id: tour.id,
    title: tour.title,
    description: tour.description,
    settings: readSettings(tour.settings),
    branding: toBranding(tour),
    thumbnailUrl: tour.thumbnail_url,
    initialSceneId:
      tour.initial_scene_id && shown.has(tour.initial_scene_id) ? tour.initial_scene_id : documentScenes[0]!.id,
    scenes: documentScenes,
    floorPlans: documentFloorPlans,
    collectorUrl,
    updatedAt: updatedAt.toISOString(),
  };
}
