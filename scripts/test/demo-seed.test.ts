import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { DEMO_HOTSPOT_IDS, DEMO_SCENE_IDS, demoRoom, expectedColorAt } from '@vr-tour/demo';
import { HOTSPOT_TYPES, tourDocumentSchema, type TourDocument } from '@vr-tour/protocol';
import { startServer, type RunningServer } from '@vr-tour/server';
import { DEMO_TOUR_ID, seedDemoTour } from '../demo-seed.js';

// The seed as `npm start` wires it: startServer with seedDemoTour as its hook.
let db: TestDatabase;
let dataDir: string;
let env: Record<string, string>;
let servers: RunningServer[];
let baseUrl: string;

async function counts() {
  const [row] = await db.sql<{ tours: number; scenes: number; hotspots: number; media: number; users: number }[]>`
    SELECT (SELECT count(*)::int FROM tours) AS tours, (SELECT count(*)::int FROM scenes) AS scenes,
           (SELECT count(*)::int FROM hotspots) AS hotspots, (SELECT count(*)::int FROM media) AS media,
           (SELECT count(*)::int FROM users) AS users`;
  return row!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-seed-'));
  env = { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO: 'on' };
  // Two starts at once, as two processes on one database would: one tour comes out.
  servers = await Promise.all([startServer({ env, seed: seedDemoTour }), startServer({ env, seed: seedDemoTour })]);
  baseUrl = servers[0]!.url;
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close('test over')));
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function publicDocument(): Promise<TourDocument> {
  const response = await fetch(`${baseUrl}/api/v1/public/tours/${DEMO_TOUR_ID}`);
  expect(response.status).toBe(200);
  return tourDocumentSchema.parse(await response.json());
}

describe('the seeded demo tour', () => {
  it('is served by the public API as a published tour of three linked rooms with every hotspot type', async () => {
    const document = await publicDocument();
    expect(document.scenes.map((scene) => scene.id)).toEqual(Object.values(DEMO_SCENE_IDS));
    expect(document.initialSceneId).toBe(DEMO_SCENE_IDS.lobby);
    expect(document.collectorUrl).toBe('/collect');
    const hotspots = document.scenes.flatMap((scene) => scene.hotspots);
    expect(new Set(hotspots.map((hotspot) => hotspot.type))).toEqual(new Set(HOTSPOT_TYPES));
    expect(hotspots.map((hotspot) => hotspot.id).sort()).toEqual(Object.values(DEMO_HOTSPOT_IDS).sort());
    const lobbyToGallery = hotspots.find((hotspot) => hotspot.id === DEMO_HOTSPOT_IDS.lobbyToGallery);
    expect(lobbyToGallery).toMatchObject({ type: 'navigation', targetSceneId: DEMO_SCENE_IDS.gallery, yaw: 90 });
  });

  it('serves every media URL of the document from the media store, cached as immutable', async () => {
    const document = await publicDocument();
    const urls = [
      document.thumbnailUrl!,
      ...document.scenes.flatMap((scene) => [scene.panorama.previewUrl!, ...scene.panorama.levels.map((level) => level.url)]),
      ...document.scenes.flatMap((scene) =>
        scene.hotspots.flatMap((hotspot) =>
          hotspot.type === 'video' ? [hotspot.mediaUrl, hotspot.posterUrl!] : hotspot.type === 'audio' ? [hotspot.mediaUrl] : [],
        ),
      ),
    ];
    const types = new Map<string, string>();
    for (const url of urls) {
      expect(url).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.(jpg|wav|webm)$/);
      const response = await fetch(`${baseUrl}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      types.set(path.extname(url), response.headers.get('content-type')!);
      await response.arrayBuffer();
    }
    expect(types.get('.jpg')).toBe('image/jpeg');
    expect(types.get('.wav')).toMatch(/^audio\/(wav|x-wav|wave)/);
    expect(types.get('.webm')).toBe('video/webm');
  });

  it('serves panoramas whose pixels are the rooms the tour describes', async () => {
    const document = await publicDocument();
    const lobby = document.scenes[0]!;
    const level = lobby.panorama.levels.at(-1)!;
    const image = Buffer.from(await (await fetch(`${baseUrl}${level.url}`)).arrayBuffer());
    const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([level.width, level.height]);
    // The middle of the door at yaw 90 (three quarters across the equirectangular image), at the door's pitch.
    const door = lobby.hotspots.find((hotspot) => hotspot.id === DEMO_HOTSPOT_IDS.lobbyToGallery)!;
    const x = Math.round(((door.yaw + 180) / 360) * info.width);
    const y = Math.round(((90 - door.pitch) / 180) * info.height);
    const offset = (y * info.width + x) * info.channels;
    const expected = expectedColorAt(demoRoom('lobby'), door.yaw, door.pitch);
    for (let channel = 0; channel < 3; channel += 1) expect(Math.abs(data[offset + channel]! - expected[channel]!)).toBeLessThan(24);
  });

  it('is seeded once: starting again writes no row and keeps a creator’s edits', async () => {
    const before = await counts();
    expect(before).toMatchObject({ tours: 1, scenes: 3, hotspots: Object.keys(DEMO_HOTSPOT_IDS).length, media: 3, users: 1 });
    await db.sql`UPDATE tours SET title = 'Renamed by its owner' WHERE id = ${DEMO_TOUR_ID}`;
    servers.push(await startServer({ env, seed: seedDemoTour }));
    expect(await counts()).toEqual(before);
    expect((await publicDocument()).title).toBe('Renamed by its owner');
  });

  it('is not seeded with DEMO=off', async () => {
    const other = await createTestDatabase();
    const server = await startServer({ env: { ...env, DATABASE_URL: other.url, DEMO: 'off' }, seed: seedDemoTour });
    try {
      const [row] = await other.sql<{ tours: number }[]>`SELECT count(*)::int AS tours FROM tours`;
      expect(row!.tours).toBe(0);
    } finally {
      await server.close('test over');
      await other.drop();
    }
  });
});
