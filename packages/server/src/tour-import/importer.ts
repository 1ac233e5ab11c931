import type { Sql } from '@vr-tour/db';
import { tourDocumentSchema, type TourDocument } from '@vr-tour/protocol';
import { saveBranding } from '../branding/sql.js';
import { toColumns } from '../hotspots/sql.js';
import { hotspotFieldsSchema } from '../hotspots/schemas.js';
import { contentKey, type Storage } from '../storage/storage.js';
import * as db from './sql.js';

export type { PanoramaOriginal } from './sql.js';

/** A tour document to store as a published tour, with what its rows need beyond the document. */
export interface TourImport {
  document: TourDocument;
  /** Owns the tour; an account with this email is created, without a password, when there is none. */
  owner: { email: string; displayName: string };
  visibility: 'public' | 'unlisted';
  featured: boolean;
  /** Per scene id: the original file its panorama was made from, and its thumbnail's URL. */
  panoramas: ReadonlyMap<string, { original: db.PanoramaOriginal; thumbnailUrl: string | null }>;
}

/**
 * Stores tours made elsewhere (a generator, another installation) as the
 * editor would have left them: files in the content-addressed media store,
 * hotspots through the editor's own wire-to-columns mapping.
 */
export interface TourImporter {
  exists(tourId: string): Promise<boolean>;
  /** Puts a file in the media store; resolves to the URL it is served at. */
  storeFile(data: Buffer, contentType: string): Promise<string>;
  /**
   * Writes the tour's rows in one transaction, unless a tour with the
   * document's id exists by then (resolves to false: imports never
   * overwrite, so a creator's later edits are kept).
   */
  storeDocument(tour: TourImport): Promise<boolean>;
}

export function tourImporter(sql: Sql, storage: Storage): TourImporter {
  return {
    exists: (tourId) => db.tourExists(sql, tourId),

    async storeFile(data, contentType) {
      const key = contentKey(data, contentType);
      await storage.put(key, data, contentType);
      return storage.url(key);
    },

    async storeDocument(tour) {
      const document = tourDocumentSchema.parse(tour.document);
      const missing = document.scenes.find((scene) => !tour.panoramas.has(scene.id));
      if (missing) throw new Error(`tour import: scene ${missing.id} has no panorama original`);
      return sql.begin(async (tx) => {
        await db.lockImports(tx);
        if (await db.tourExists(tx, document.id)) return false;
        const ownerId = await db.ensureAccount(tx, tour.owner);
        await db.insertPublishedTour(tx, ownerId, document, { visibility: tour.visibility, featured: tour.featured });
        for (const [order, floorPlan] of document.floorPlans.entries()) await db.insertFloorPlan(tx, document.id, floorPlan, order);
        for (const [order, scene] of document.scenes.entries()) {
          const { original, thumbnailUrl } = tour.panoramas.get(scene.id)!;
          const mediaId = await db.insertReadyPanorama(tx, ownerId, original, { ...scene.panorama, thumbnailUrl });
          await db.insertScene(tx, document.id, scene, mediaId, order);
        }
        // After every scene: a navigation hotspot's target must exist.
        for (const scene of document.scenes) {
          for (const [order, { id, ...fields }] of scene.hotspots.entries()) {
            await db.insertHotspot(tx, scene.id, { id, order, columns: toColumns(hotspotFieldsSchema.parse(fields)) });
          }
        }
        await db.setInitialScene(tx, document.id, document.initialSceneId);
        if (document.branding) await saveBranding(tx, document.id, document.branding);
        return true;
      });
    },
  };
}
