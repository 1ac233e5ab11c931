import type { Db } from '@vr-tour/db';
import type { FloorPlan, Scene, TourDocument } from '@vr-tour/protocol';
import type { toColumns } from '../hotspots/sql.js';

/** What a media row records of an uploaded panorama's original file. */
export interface PanoramaOriginal {
  name: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
}

// The key of the advisory lock that imports take ("vrde", from when only the demo seed imported).
const IMPORT_LOCK = 0x7672_6465;

export async function tourExists(sql: Db, tourId: string): Promise<boolean> {
  return (await sql`SELECT 1 FROM tours WHERE id = ${tourId}`).length > 0;
}

/** Holds imports off each other until the transaction ends: two processes starting on one database must not both import. */
export async function lockImports(sql: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`;
}

/** The account with this email, created without a password (nobody logs in as it) when there is none. */
export async function ensureAccount(sql: Db, account: { email: string; displayName: string }): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO users (email, display_name) VALUES (${account.email}, ${account.displayName})
    ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`;
  return row!.id;
}

/** The tour under the document's id, published now; its initial scene is set once its scenes exist. */
export async function insertPublishedTour(
  sql: Db,
  ownerId: string,
  document: TourDocument,
  listing: { visibility: 'public' | 'unlisted'; featured: boolean },
): Promise<void> {
  await sql`
    INSERT INTO tours (id, user_id, title, description, status, visibility, is_featured, settings, thumbnail_url, published_at)
    VALUES (${document.id}, ${ownerId}, ${document.title}, ${document.description}, 'published', ${listing.visibility},
            ${listing.featured}, ${sql.json(document.settings as never)}, ${document.thumbnailUrl}, now())`;
}

export async function setInitialScene(sql: Db, tourId: string, sceneId: string): Promise<void> {
  await sql`UPDATE tours SET initial_scene_id = ${sceneId} WHERE id = ${tourId}`;
}

export async function insertFloorPlan(sql: Db, tourId: string, floorPlan: FloorPlan, order: number): Promise<void> {
  await sql`
    INSERT INTO floor_plans (id, tour_id, title, image_url, width, height, sort_order)
    VALUES (${floorPlan.id}, ${tourId}, ${floorPlan.title}, ${floorPlan.imageUrl}, ${floorPlan.width}, ${floorPlan.height}, ${order})`;
}

/** A processed panorama: its variants are what the media pipeline would have made. */
export async function insertReadyPanorama(
  sql: Db,
  ownerId: string,
  original: PanoramaOriginal,
  variants: Record<string, unknown>,
): Promise<string> {
  const [media] = await sql<{ id: string }[]>`
    INSERT INTO media (user_id, kind, status, progress, original_name, mime_type, byte_size, width, height, sha256, variants)
    VALUES (${ownerId}, 'panorama', 'ready', 100, ${original.name}, ${original.contentType}, ${original.bytes},
            ${original.width}, ${original.height}, ${original.sha256}, ${sql.json(variants as never)})
    RETURNING id`;
  return media!.id;
}

export async function insertScene(sql: Db, tourId: string, scene: Scene, mediaId: string, order: number): Promise<void> {
  const { yaw, pitch, fov } = scene.initialView;
  await sql`
    INSERT INTO scenes (id, tour_id, title, description, media_id, initial_yaw, initial_pitch, initial_fov, north_offset,
                        floor_plan_id, floor_plan_x, floor_plan_y, sort_order)
    VALUES (${scene.id}, ${tourId}, ${scene.title}, ${scene.description}, ${mediaId}, ${yaw}, ${pitch}, ${fov}, ${scene.northOffset},
            ${scene.floorPlan?.floorPlanId ?? null}, ${scene.floorPlan?.x ?? null}, ${scene.floorPlan?.y ?? null}, ${order})`;
}

export async function insertHotspot(
  sql: Db,
  sceneId: string,
  hotspot: { id: string; order: number; columns: ReturnType<typeof toColumns> },
): Promise<void> {
  const { content, ...columns } = hotspot.columns;
  await sql`
    INSERT INTO hotspots ${sql({ ...columns, id: hotspot.id, scene_id: sceneId, sort_order: hotspot.order, content: sql.json(content as never) } as never)}`;
}
