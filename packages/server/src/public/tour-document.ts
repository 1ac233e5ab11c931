import type { Db } from '@vr-tour/db';
import { type FloorPlan, type Hotspot, type Scene, type TourDocument, TOUR_DOCUMENT_VERSION } from '@vr-tour/protocol';
import { toBranding } from '../branding/sql.js';
import { toFields } from '../hotspots/sql.js';
import { readSettings } from '../tours/sql.js';
import { loadPublicTourRows } from './sql.js';

/**
 * Builds the public tour document of a published public or unlisted tour, or
 * returns undefined. Scenes whose panorama is not processed yet are left out,
 * with the navigation hotspots that lead to them.
 */
export async function loadPublicTourDocument(
  sql: Db,
  tourId: string,
  collectorUrl: string | null,
): Promise<TourDocument | undefined> {
  const rows = await loadPublicTourRows(sql, tourId);
  if (!rows || rows.scenes.length === 0) return undefined;
  const { tour, scenes, hotspots, floorPlans } = rows;
  const shown = new Set(scenes.map((scene) => scene.id));
  const hotspotsByScene = new Map<string, Hotspot[]>();
  for (const row of hotspots) {
    if (row.target_scene_id !== null && !shown.has(row.target_scene_id)) continue;
    const list = hotspotsByScene.get(row.scene_id) ?? [];
    list.push({ id: row.id, ...toFields(row) });
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
    // Without a branding row, every branding column is null.
    branding: tour.show_powered_by === null ? null : toBranding({ ...tour, show_powered_by: tour.show_powered_by }),
    thumbnailUrl: tour.thumbnail_url,
    initialSceneId:
      tour.initial_scene_id && shown.has(tour.initial_scene_id) ? tour.initial_scene_id : documentScenes[0]!.id,
    scenes: documentScenes,
    floorPlans: documentFloorPlans,
    collectorUrl,
    updatedAt: updatedAt.toISOString(),
  };
}
