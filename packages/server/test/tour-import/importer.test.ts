import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@vr-tour/db/testing';
import { tourSettingsSchema, type TourDocument } from '@vr-tour/protocol';
import { tourImporter, type TourImport } from '../../src/tour-import/importer.js';
import { LocalStorage } from '../../src/storage/local.js';
import { startTestApp } from '../support/app.js';

const db = await createTestDatabase();
const mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-import-'));
const app = await startTestApp(db.sql, { mediaDir });
const importer = tourImporter(db.sql, new LocalStorage(mediaDir));
afterAll(async () => {
  await app.close();
  await db.drop();
  await rm(mediaDir, { recursive: true, force: true });
});

/** Two scenes on a floor plan, linked both ways, with branding and hotspots of several kinds. */
async function importable(): Promise<TourImport> {
  const panoramaUrl = await importer.storeFile(Buffer.from('a panorama, as far as this test cares'), 'image/jpeg');
  const [first, second, floorPlanId] = [randomUUID(), randomUUID(), randomUUID()];
  const scene = (id: string, title: string, x: number) => ({
    id,
    title,
    description: null,
    panorama: { inlinePreview: null, previewUrl: null, levels: [{ width: 2048, height: 1024, url: panoramaUrl, format: 'jpeg' as const }] },
    initialView: { yaw: 10, pitch: -5, fov: 80 },
    northOffset: 30,
    floorPlan: { floorPlanId, x, y: 0.5 },
  });
  const document: TourDocument = {
    version: 1,
    id: randomUUID(),
    title: 'An imported tour',
    description: 'Made elsewhere',
    settings: tourSettingsSchema.parse({ showCompass: true }),
    branding: { logoUrl: panoramaUrl, primaryColor: '#112233', accentColor: null, linkUrl: 'https://example.com/', showPoweredBy: false },
    thumbnailUrl: panoramaUrl,
    initialSceneId: second,
    scenes: [
      {
        ...scene(first, 'Hall', 0.25),
        hotspots: [
          { id: randomUUID(), type: 'navigation', yaw: 90, pitch: 0, title: 'To the kitchen', targetSceneId: second, targetView: null },
          { id: randomUUID(), type: 'info', yaw: 0, pitch: 10, title: 'About', html: '<p>Built in 1900</p>' },
          { id: randomUUID(), type: 'audio', yaw: 20, pitch: 0, title: 'Listen', mediaUrl: panoramaUrl, loop: true },
        ],
      },
      {
        ...scene(second, 'Kitchen', 0.75),
        hotspots: [
          { id: randomUUID(), type: 'navigation', yaw: -90, pitch: 0, title: 'Back', targetSceneId: first, targetView: { yaw: 0, pitch: 0, fov: 90 } },
          { id: randomUUID(), type: 'custom', yaw: 45, pitch: 5, title: 'Tag', payload: { floor: 2 }, template: '<b>{{floor}}</b>' },
        ],
      },
    ],
    floorPlans: [{ id: floorPlanId, title: 'Ground floor', imageUrl: panoramaUrl, width: 800, height: 600 }],
    collectorUrl: null,
    updatedAt: new Date().toISOString(),
  };
  const original = { name: 'hall.jpg', contentType: 'image/jpeg', bytes: 1234, width: 2048, height: 1024, sha256: 'a'.repeat(64) };
  return {
    document,
    owner: { email: `importer-${randomUUID()}@example.com`, displayName: 'Importer' },
    visibility: 'unlisted',
    featured: false,
    panoramas: new Map(document.scenes.map((scene) => [scene.id, { original, thumbnailUrl: panoramaUrl }])),
  };
}

describe('the tour importer', () => {
  it('stores a document that the public API serves back as given, with its files', async () => {
    const tour = await importable();
    expect(await importer.exists(tour.document.id)).toBe(false);
    expect(await importer.storeDocument(tour)).toBe(true);
    expect(await importer.exists(tour.document.id)).toBe(true);
    const response = await fetch(`${app.url}/api/v1/public/tours/${tour.document.id}`);
    expect(response.status).toBe(200);
    const served = (await response.json()) as TourDocument;
    expect({ ...served, updatedAt: undefined }).toEqual({ ...tour.document, updatedAt: undefined });
    const file = await fetch(`${app.url}${tour.document.thumbnailUrl}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('a panorama, as far as this test cares');
  });

  it('never overwrites a tour that exists, and writes nothing for a document its schema refuses', async () => {
    const tour = await importable();
    expect(await importer.storeDocument(tour)).toBe(true);
    const renamed = { ...tour, document: { ...tour.document, title: 'Another title' } };
    expect(await importer.storeDocument(renamed)).toBe(false);
    const [stored] = await db.sql<{ title: string }[]>`SELECT title FROM tours WHERE id = ${tour.document.id}`;
    expect(stored!.title).toBe('An imported tour');

    const broken = await importable();
    broken.document.initialSceneId = randomUUID();
    await expect(importer.storeDocument(broken)).rejects.toThrow(/initialSceneId/);
    expect(await importer.exists(broken.document.id)).toBe(false);
  });
});
