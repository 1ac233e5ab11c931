import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from '@vr-tour/db';
import type { Db } from '@vr-tour/db';
import { DEMO_TOUR_ID, demoTourDocument, generateDemoAssets, type AssetFile, type DemoAssets } from '@vr-tour/demo';
import type { Scene, TourDocument } from '@vr-tour/protocol';
import { toColumns } from '../hotspots/sql.js';
import type { HotspotFields } from '../hotspots/schemas.js';
import type { Logger } from '../logger.js';
import { LocalStorage } from '../storage/local.js';
import { contentKey, type Storage } from '../storage/storage.js';

export { DEMO_TOUR_ID };

/** The account that owns the demo tour. It has no password: nobody logs in as it. */
export const DEMO_OWNER_EMAIL = 'demo@vr-tour.invalid';

// Two processes starting on one database must not both seed.
const SEED_LOCK = 0x7672_6465; // "vrde"

export interface SeedOptions {
  sql: Sql;
  /** DATA_DIR/media: where the server serves media from. */
  mediaDir: string;
  /** Where the generated demo files are kept between starts (they take seconds to render). */
  cacheDir: string;
  logger?: Logger;
  storage?: Storage;
}

/** Copies the generated files into the content-addressed media store and maps each asset path to its URL. */
async function storeAssets(assets: DemoAssets, cacheDir: string, storage: Storage): Promise<Map<string, string>> {
  const files: AssetFile[] = [
    ...Object.values(assets.scenes).flatMap((scene) => [...scene.levels, scene.preview, scene.thumbnail]),
    assets.audio,
    assets.video,
    assets.videoPoster,
  ];
  const urls = new Map<string, string>();
  for (const file of files) {
    const data = await readFile(path.join(cacheDir, file.path));
    const key = contentKey(data, file.contentType);
    await storage.put(key, data, file.contentType);
    urls.set(file.path, storage.url(key));
  }
  return urls;
}

/** Writes the demo tour's rows: an owner, a media row per panorama, the tour, its scenes and hotspots. */
async function insertTour(sql: Db, document: TourDocument, assets: DemoAssets, thumbnails: Map<string, string>): Promise<void> {
  const [owner] = await sql<{ id: string }[]>`
    INSERT INTO users (email, display_name) VALUES (${DEMO_OWNER_EMAIL}, 'vr-tour demo')
    ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`;
  await sql`
    INSERT INTO tours (id, user_id, title, description, status, visibility, is_featured, settings, thumbnail_url, published_at)
    VALUES (${document.id}, ${owner!.id}, ${document.title}, ${document.description}, 'published', 'public', true,
            ${sql.json(document.settings as never)}, ${document.thumbnailUrl}, now())`;
  const sceneAssets = Object.values(assets.scenes);
  for (const [order, scene] of document.scenes.entries()) {
    const source = sceneAssets[order]!.levels.at(-1)!;
    const variants = { ...scene.panorama, thumbnailUrl: thumbnails.get(scene.id) };
    const [media] = await sql<{ id: string }[]>`
      INSERT INTO media (user_id, kind, status, progress, original_name, mime_type, byte_size, width, height, sha256, variants)
      VALUES (${owner!.id}, 'panorama', 'ready', 100, ${source.path}, ${source.contentType}, ${source.bytes},
              ${source.width}, ${source.height}, ${source.sha256}, ${sql.json(variants as never)})
      RETURNING id`;
    await insertScene(sql, document.id, scene, media!.id, order);
  }
  for (const scene of document.scenes) {
    for (const [order, hotspot] of scene.hotspots.entries()) {
      const { id, ...fields } = hotspot;
      const { content, ...columns } = toColumns(fields as HotspotFields);
      await sql`
        INSERT INTO hotspots ${sql({ ...columns, id, scene_id: scene.id, sort_order: order, content: sql.json(content as never) } as never)}`;
    }
  }
  await sql`UPDATE tours SET initial_scene_id = ${document.initialSceneId} WHERE id = ${document.id}`;
}

async function insertScene(sql: Db, tourId: string, scene: Scene, mediaId: string, order: number): Promise<void> {
  const { yaw, pitch, fov } = scene.initialView;
  await sql`
    INSERT INTO scenes (id, tour_id, title, description, media_id, initial_yaw, initial_pitch, initial_fov, north_offset, sort_order)
    VALUES (${scene.id}, ${tourId}, ${scene.title}, ${scene.description}, ${mediaId}, ${yaw}, ${pitch}, ${fov},
            ${scene.northOffset}, ${order})`;
}

/**
 * Seeds the demo tour on first start: renders its panoramas (kept in
 * `cacheDir`), stores them as media, and writes the tour as a published,
 * public, featured tour with fixed ids. Once the tour exists it does nothing,
 * so a creator's later edits to it are kept.
 */
export async function seedDemoTour(options: SeedOptions): Promise<void> {
  const { sql, logger } = options;
  const [existing] = await sql`SELECT 1 FROM tours WHERE id = ${DEMO_TOUR_ID}`;
  if (existing) return;
  const started = performance.now();
  const assets = await generateDemoAssets(options.cacheDir);
  const storage = options.storage ?? new LocalStorage(options.mediaDir);
  const urls = await storeAssets(assets, options.cacheDir, storage);
  const mediaUrl = (file: string) => urls.get(file) ?? `/media/${file}`;
  const document = demoTourDocument(assets, { mediaUrl });
  const thumbnails = new Map(
    document.scenes.map((scene, index) => [scene.id, mediaUrl(Object.values(assets.scenes)[index]!.thumbnail.path)]),
  );
  const seeded = await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
    const [again] = await tx`SELECT 1 FROM tours WHERE id = ${DEMO_TOUR_ID}`;
    if (again) return false;
    await insertTour(tx, document, assets, thumbnails);
    return true;
  });
  if (seeded) logger?.info({ tourId: DEMO_TOUR_ID, ms: Math.round(performance.now() - started) }, 'demo tour seeded');
}
