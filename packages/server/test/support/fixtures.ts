import { randomUUID } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import type { TourStatus, TourVisibility } from '@vr-tour/protocol';

/** Rows for tests, inserted with SQL as the real code paths would leave them. */

export async function insertUser(sql: Sql, role: 'creator' | 'admin' = 'creator'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO users (email, role) VALUES (${`u-${randomUUID()}@example.com`}, ${role}) RETURNING id`;
  return row!.id;
}

export async function insertReadyPanorama(sql: Sql, userId: string): Promise<string> {
  const variants = {
    inlinePreview: 'data:image/jpeg;base64,AAAA',
    previewUrl: '/media/preview.jpg',
    levels: [
      { width: 2048, height: 1024, url: '/media/2048.jpg', format: 'jpeg' },
      { width: 4096, height: 2048, url: '/media/4096.jpg', format: 'jpeg' },
    ],
  };
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO media (user_id, kind, status, progress, width, height, variants)
    VALUES (${userId}, 'panorama', 'ready', 100, 4096, 2048, ${sql.json(variants)}) RETURNING id`;
  return row!.id;
}

export interface TourFixture {
  tourId: string;
  sceneIds: string[];
}

/** A tour with `scenes` ready scenes linked in a ring by navigation hotspots. */
export async function insertTour(
  sql: Sql,
  userId: string,
  options: { status?: TourStatus; visibility?: TourVisibility; featured?: boolean; scenes?: number; title?: string } = {},
): Promise<TourFixture> {
  const status = options.status ?? 'published';
  const [tour] = await sql<{ id: string }[]>`
    INSERT INTO tours (user_id, title, status, visibility, is_featured, published_at, archived_at)
    VALUES (${userId}, ${options.title ?? 'A tour'}, ${status}, ${options.visibility ?? 'public'}, ${options.featured ?? false},
            ${status === 'draft' ? null : new Date()}, ${status === 'archived' ? new Date() : null})
    RETURNING id`;
  const sceneIds: string[] = [];
  for (let index = 0; index < (options.scenes ?? 2); index += 1) {
    const mediaId = await insertReadyPanorama(sql, userId);
    const [scene] = await sql<{ id: string }[]>`
      INSERT INTO scenes (tour_id, title, media_id, sort_order) VALUES (${tour!.id}, ${`Scene ${index + 1}`}, ${mediaId}, ${index})
      RETURNING id`;
    sceneIds.push(scene!.id);
  }
  for (const [index, sceneId] of sceneIds.entries()) {
    const target = sceneIds[(index + 1) % sceneIds.length]!;
    if (target === sceneId) continue;
    await sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, target_scene_id)
      VALUES (${sceneId}, 'navigation', 90, -10, 'Next room', ${target})`;
  }
  return { tourId: tour!.id, sceneIds };
}
