import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOTSPOT_TYPES, tourDocumentSchema, type HotspotOf, type TourDocument } from '@vr-tour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOMS, DEMO_SCENE_IDS, DEMO_TOUR_ID, demoRoom, demoTourDocument, type DemoRoomId } from '../src/demo-tour.js';
import { generateDemoAssets } from '../src/generate.js';
import { expectedColorAt } from '../src/panorama.js';
import { doorView } from '../src/room.js';

let outDir: string;
let document: TourDocument;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-demo-tour-'));
  document = demoTourDocument(await generateDemoAssets(outDir));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const roomOfScene = (sceneId: string): DemoRoomId =>
  (Object.keys(DEMO_SCENE_IDS) as DemoRoomId[]).find((room) => DEMO_SCENE_IDS[room] === sceneId)!;

const navigation = (): Array<HotspotOf<'navigation'> & { from: DemoRoomId }> =>
  document.scenes.flatMap((scene) =>
    scene.hotspots
      .filter((hotspot): hotspot is HotspotOf<'navigation'> => hotspot.type === 'navigation')
      .map((hotspot) => ({ ...hotspot, from: roomOfScene(scene.id) })),
  );

describe('the demo tour document', () => {
  it('is a valid tour document with the fixed ids', () => {
    expect(tourDocumentSchema.parse(document)).toEqual(document);
    expect(document.id).toBe(DEMO_TOUR_ID);
    expect(document.scenes.map((scene) => scene.id)).toEqual(Object.values(DEMO_SCENE_IDS));
    expect(document.initialSceneId).toBe(DEMO_SCENE_IDS.lobby);
  });

  it('is the same document every time it is built', async () => {
    const again = demoTourDocument(await generateDemoAssets(outDir));
    expect(again).toEqual(document);
  });

  it('uses every id once', () => {
    const ids = [document.id, ...document.scenes.flatMap((scene) => [scene.id, ...scene.hotspots.map((hotspot) => hotspot.id)])];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has at least three rooms that look different', () => {
    expect(DEMO_ROOMS.length).toBeGreaterThanOrEqual(3);
    expect(new Set(DEMO_ROOMS.map((room) => room.wallColor.join())).size).toBe(DEMO_ROOMS.length);
    expect(new Set(DEMO_ROOMS.map((room) => room.wallPattern)).size).toBe(DEMO_ROOMS.length);
    expect(new Set(document.scenes.map((scene) => scene.title)).size).toBe(document.scenes.length);
  });

  it('links rooms both ways: every A -> B has a B -> A', () => {
    const links = navigation().map((hotspot) => `${hotspot.from}->${roomOfScene(hotspot.targetSceneId)}`);
    expect(links.length).toBeGreaterThanOrEqual(DEMO_ROOMS.length);
    for (const link of links) {
      const [from, to] = link.split('->');
      expect(links).toContain(`${to}->${from}`);
      expect(from).not.toBe(to);
    }
    // Every room can be reached.
    expect(new Set(navigation().map((hotspot) => hotspot.targetSceneId))).toEqual(new Set(Object.values(DEMO_SCENE_IDS)));
  });

  it('places each navigation hotspot on its door: yaw is the door bearing, pitch the door middle', () => {
    for (const hotspot of navigation()) {
      const room = demoRoom(hotspot.from);
      const door = room.doors.find((candidate) => candidate.hotspotId === hotspot.id)!;
      expect(door.target).toBe(roomOfScene(hotspot.targetSceneId));
      expect(hotspot.yaw).toBe(door.yaw);
      expect(hotspot.pitch).toBeCloseTo(doorView(room, door).pitch, 1);
      // What the viewer shows under the hotspot is that door.
      expect(expectedColorAt(room, hotspot.yaw, hotspot.pitch)).toEqual(door.color);
      expect(door.label).toBe(demoRoom(door.target).name);
    }
  });

  it('walks through doors facing on: arriving looks the way the door faced, away from the door back', () => {
    for (const hotspot of navigation()) {
      const back = navigation().find((other) => other.from === roomOfScene(hotspot.targetSceneId) && other.targetSceneId === DEMO_SCENE_IDS[hotspot.from])!;
      expect(hotspot.targetView?.yaw).toBe(hotspot.yaw);
      expect(Math.abs(Math.abs(back.yaw - hotspot.yaw) - 180)).toBeLessThan(1e-9);
    }
  });

  it('shows a door with its hotspot and another hotspot in the first view, on a wide screen and a phone alike', () => {
    const first = document.scenes.find((scene) => scene.id === document.initialSceneId)!;
    const room = demoRoom(roomOfScene(first.id));
    const { yaw, fov } = first.initialView;
    // The viewer's fov is horizontal: a point is in view within fov/2 of the centre, whatever the height;
    // a door counts when all of it is, with a margin for the hotspot's disc.
    const offCentre = (bearing: number) => Math.abs(((bearing - yaw + 540) % 360) - 180);
    const doorsInView = room.doors.filter((door) => offCentre(door.yaw) + doorView(room, door).halfWidthYaw < fov / 2 - 5);
    expect(doorsInView.length).toBeGreaterThan(0);
    const doorHotspots = first.hotspots.filter((hotspot) => doorsInView.some((door) => door.hotspotId === hotspot.id));
    expect(doorHotspots.length).toBe(doorsInView.length);
    const others = first.hotspots.filter((hotspot) => hotspot.type !== 'navigation' && offCentre(hotspot.yaw) < fov / 2 - 5);
    expect(others.length).toBeGreaterThan(0);
  });

  it('has one hotspot of every other type, with real content', () => {
    const hotspots = document.scenes.flatMap((scene) => scene.hotspots);
    for (const type of HOTSPOT_TYPES) expect(hotspots.some((hotspot) => hotspot.type === type)).toBe(true);
    const info = hotspots.find((hotspot) => hotspot.type === 'info')!;
    expect(info.html).toMatch(/<b>[^<]+<\/b>/);
    expect(info.html).toMatch(/<a href="https:\/\/[^"]+">[^<]+<\/a>/);
    const link = hotspots.find((hotspot) => hotspot.type === 'link')!;
    expect(link).toMatchObject({ url: 'https://example.com', title: expect.stringMatching(/\S/) });
    const custom = hotspots.find((hotspot) => hotspot.type === 'custom')!;
    expect(Object.keys(custom.payload).length).toBeGreaterThan(0);
  });

  it('points every media URL at a generated file', async () => {
    const urls = [
      document.thumbnailUrl,
      ...document.scenes.flatMap((scene) => [scene.panorama.previewUrl, ...scene.panorama.levels.map((level) => level.url)]),
      ...document.scenes.flatMap((scene) =>
        scene.hotspots.flatMap((hotspot) =>
          hotspot.type === 'audio' ? [hotspot.mediaUrl] : hotspot.type === 'video' ? [hotspot.mediaUrl, hotspot.posterUrl] : [],
        ),
      ),
    ];
    for (const url of urls) {
      expect(url).toMatch(/^\/media\/[\w.-]+$/);
      expect((await stat(path.join(outDir, url!.slice('/media/'.length)))).size).toBeGreaterThan(0);
    }
    const audio = document.scenes.flatMap((scene) => scene.hotspots).find((hotspot) => hotspot.type === 'audio')!;
    expect(audio.mediaUrl).toMatch(/\.wav$/);
    const video = document.scenes.flatMap((scene) => scene.hotspots).find((hotspot) => hotspot.type === 'video')!;
    expect(video.mediaUrl).toMatch(/\.webm$/);
  });

  it('serves media from wherever the caller says', async () => {
    const custom = demoTourDocument(await generateDemoAssets(outDir), { mediaUrl: (file) => `https://cdn.example.com/demo/${file}` });
    expect(custom.scenes[0]!.panorama.levels[0]!.url).toMatch(/^https:\/\/cdn\.example\.com\/demo\/lobby-2048-/);
    expect(tourDocumentSchema.safeParse(custom).success).toBe(true);
  });
});
