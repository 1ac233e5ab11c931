import type { Hotspot, HotspotOf, Scene, TourDocument, TourSettings, View } from '@vr-tour/protocol';
import type { DemoAssets } from './generate.js';
import { doorView, type DoorSpec, type Rgb, type RoomSpec } from './room.js';

/**
 * The demo tour as data: three rooms joined by two-way doors, and one hotspot
 * of every other type. Ids are constants so seeding the same tour twice is a no-op.
 * (This module stays free of sharp: the demo's vite config imports it.)
 */

export const DEMO_TOUR_ID = '0de30000-0000-4000-8000-000000000001';

export const DEMO_SCENE_IDS = {
  lobby: '0de30000-0001-4000-8000-000000000001',
  gallery: '0de30000-0001-4000-8000-000000000002',
  garden: '0de30000-0001-4000-8000-000000000003',
} as const;
export type DemoRoomId = keyof typeof DEMO_SCENE_IDS;

export const DEMO_HOTSPOT_IDS = {
  lobbyToGallery: '0de30000-0002-4000-8000-000000000001',
  galleryToLobby: '0de30000-0002-4000-8000-000000000002',
  lobbyToGarden: '0de30000-0002-4000-8000-000000000003',
  gardenToLobby: '0de30000-0002-4000-8000-000000000004',
  galleryToGarden: '0de30000-0002-4000-8000-000000000005',
  gardenToGallery: '0de30000-0002-4000-8000-000000000006',
  welcomeInfo: '0de30000-0002-4000-8000-000000000007',
  openingHours: '0de30000-0002-4000-8000-000000000008',
  film: '0de30000-0002-4000-8000-000000000009',
  website: '0de30000-0002-4000-8000-00000000000a',
  windChime: '0de30000-0002-4000-8000-00000000000b',
} as const;

/** A fixed timestamp keeps the document, and so its ETag, stable between runs. */
const DEMO_UPDATED_AT = '2025-01-01T00:00:00.000Z';

type RoomWithoutDoors = Omit<RoomSpec, 'doors'>;

const ROOMS: Record<DemoRoomId, RoomWithoutDoors> = {
  lobby: {
    id: 'lobby',
    name: 'Lobby',
    width: 8,
    depth: 6,
    height: 3,
    wallColor: [196, 164, 120],
    wallPattern: 'planks',
    markerColor: [178, 34, 34],
    floorColors: [
      [58, 58, 62],
      [214, 210, 200],
    ],
    floorTileSize: 0.6,
    ceiling: { kind: 'plain', color: [236, 232, 224] },
  },
  gallery: {
    id: 'gallery',
    name: 'Gallery',
    width: 10,
    depth: 5,
    height: 3.5,
    wallColor: [226, 226, 232],
    wallPattern: 'panels',
    markerColor: [32, 72, 168],
    floorColors: [
      [122, 84, 52],
      [148, 104, 66],
    ],
    floorTileSize: 0.4,
    ceiling: { kind: 'plain', color: [248, 248, 250] },
  },
  garden: {
    id: 'garden',
    name: 'Garden',
    width: 9,
    depth: 9,
    height: 3,
    wallColor: [158, 84, 62],
    wallPattern: 'brick',
    markerColor: [236, 196, 32],
    floorColors: [
      [78, 148, 60],
      [66, 130, 50],
    ],
    floorTileSize: 1,
    ceiling: { kind: 'sky', horizon: [200, 225, 245], zenith: [70, 130, 215] },
  },
};

/** One side of a two-way door: where it is in its room and what colour it is painted. */
interface DoorSide {
  room: DemoRoomId;
  yaw: number;
  color: Rgb;
  hotspotId: string;
}

/**
 * Each passage is a door in two rooms. The bearings are opposite, so walking
 * through one door and turning round faces the door back.
 */
const PASSAGES: ReadonlyArray<readonly [DoorSide, DoorSide]> = [
  [
    { room: 'lobby', yaw: 90, color: [0, 190, 220], hotspotId: DEMO_HOTSPOT_IDS.lobbyToGallery },
    { room: 'gallery', yaw: -90, color: [255, 120, 0], hotspotId: DEMO_HOTSPOT_IDS.galleryToLobby },
  ],
  [
    { room: 'lobby', yaw: -150, color: [230, 0, 170], hotspotId: DEMO_HOTSPOT_IDS.lobbyToGarden },
    { room: 'garden', yaw: 30, color: [110, 40, 210], hotspotId: DEMO_HOTSPOT_IDS.gardenToLobby },
  ],
  [
    { room: 'gallery', yaw: 30, color: [140, 220, 0], hotspotId: DEMO_HOTSPOT_IDS.galleryToGarden },
    { room: 'garden', yaw: -150, color: [0, 150, 120], hotspotId: DEMO_HOTSPOT_IDS.gardenToGallery },
  ],
];

/** A door of a demo room, with the scene it leads to and the hotspot that walks through it. */
export interface DemoDoor extends DoorSpec {
  target: DemoRoomId;
  hotspotId: string;
}

function doorsOf(room: DemoRoomId): DemoDoor[] {
  const doors: DemoDoor[] = [];
  for (const [a, b] of PASSAGES) {
    for (const [near, far] of [[a, b], [b, a]] as const) {
      if (near.room !== room) continue;
      doors.push({
        yaw: near.yaw,
        color: near.color,
        label: ROOMS[far.room].name,
        target: far.room,
        hotspotId: near.hotspotId,
      });
    }
  }
  return doors;
}

export interface DemoRoom extends RoomSpec {
  id: DemoRoomId;
  doors: readonly DemoDoor[];
}

/** The demo rooms with their doors, in scene order (the first is where the tour starts). */
export const DEMO_ROOMS: readonly DemoRoom[] = (
  Object.keys(ROOMS) as DemoRoomId[]
).map((id) => ({ ...ROOMS[id], id, doors: doorsOf(id) }));

export function demoRoom(id: DemoRoomId): DemoRoom {
  return DEMO_ROOMS.find((room) => room.id === id)!;
}

const SCENE_TEXT: Record<DemoRoomId, { description: string; initialView: View }> = {
  lobby: {
    description: 'Wooden walls and a tiled floor. The blue door leads to the gallery, the pink one to the garden.',
    // The first view: the blue door (yaw 90) and the Welcome hotspot (yaw 35) on either side of the centre.
    initialView: { yaw: 60, pitch: 0, fov: 90 },
  },
  gallery: {
    description: 'A bright hall with panelled walls, a short film and a link out.',
    initialView: { yaw: 90, pitch: 0, fov: 90 },
  },
  garden: {
    description: 'A walled courtyard under an open sky. Listen for the wind chime.',
    initialView: { yaw: 30, pitch: 0, fov: 90 },
  },
};

const DEMO_SETTINGS: TourSettings = {
  autorotate: { enabled: false, speed: 3, idleMs: 8_000 },
  transition: 'crossfade',
  transitionMs: 600,
  autoplayAudio: false,
  showCompass: false,
};

function navigationHotspots(room: DemoRoom): HotspotOf<'navigation'>[] {
  return room.doors.map((door) => ({
    id: door.hotspotId,
    type: 'navigation',
    yaw: door.yaw,
    pitch: Math.round(doorView(room, door).pitch * 100) / 100,
    title: `Go to the ${demoRoom(door.target).name}`,
    targetSceneId: DEMO_SCENE_IDS[door.target],
    // Arrive facing the way we walked, with the door back behind us.
    targetView: { yaw: door.yaw, pitch: 0, fov: 90 },
  }));
}

function otherHotspots(room: DemoRoomId, assets: DemoAssets, mediaUrl: (path: string) => string): Hotspot[] {
  switch (room) {
    case 'lobby':
      return [
        {
          id: DEMO_HOTSPOT_IDS.welcomeInfo,
          type: 'info',
          yaw: 35,
          pitch: 8,
          title: 'Welcome',
          html: '<p>Welcome to the <b>vr-tour</b> demo. Walk through the coloured doors, or <a href="https://example.com/about">read about the project</a>.</p>',
        },
        {
          id: DEMO_HOTSPOT_IDS.openingHours,
          type: 'custom',
          yaw: -90,
          pitch: 0,
          title: 'Opening hours',
          payload: {
            kind: 'opening-hours',
            timezone: 'Europe/Paris',
            days: [
              { day: 'Mon-Fri', open: '09:00', close: '18:00' },
              { day: 'Sat', open: '10:00', close: '16:00' },
            ],
          },
          // Drawn by the demo page's own hotspot type (demo/site/opening-hours.ts).
          template: 'opening-hours',
        },
      ];
    case 'gallery':
      return [
        {
          id: DEMO_HOTSPOT_IDS.film,
          type: 'video',
          yaw: 150,
          pitch: 5,
          title: 'A short film',
          mediaUrl: mediaUrl(assets.video.path),
          posterUrl: mediaUrl(assets.videoPoster.path),
        },
        {
          id: DEMO_HOTSPOT_IDS.website,
          type: 'link',
          yaw: -150,
          pitch: 10,
          title: 'Visit example.com',
          url: 'https://example.com',
        },
      ];
    case 'garden':
      return [
        {
          id: DEMO_HOTSPOT_IDS.windChime,
          type: 'audio',
          yaw: 120,
          pitch: 25,
          title: 'Wind chime',
          mediaUrl: mediaUrl(assets.audio.path),
          loop: false,
        },
      ];
  }
}

export interface DemoTourOptions {
  /** Turns a path relative to the assets folder into the URL it is served at (default `/media/<path>`). */
  mediaUrl?: (path: string) => string;
  collectorUrl?: string | null;
}

/** The demo tour as the public API serves it, pointing at the generated assets. */
export function demoTourDocument(assets: DemoAssets, options: DemoTourOptions = {}): TourDocument {
  const mediaUrl = options.mediaUrl ?? ((path: string) => `/media/${path}`);
  const scenes: Scene[] = DEMO_ROOMS.map((room) => {
    const sceneAssets = assets.scenes[room.id];
    return {
      id: DEMO_SCENE_IDS[room.id],
      title: room.name,
      description: SCENE_TEXT[room.id].description,
      panorama: {
        inlinePreview: sceneAssets.inlinePreview,
        previewUrl: mediaUrl(sceneAssets.preview.path),
        levels: sceneAssets.levels.map((level) => ({
          width: level.width,
          height: level.height,
          url: mediaUrl(level.path),
          format: level.format,
        })),
      },
      initialView: SCENE_TEXT[room.id].initialView,
      northOffset: 0,
      floorPlan: null,
      hotspots: [...navigationHotspots(room), ...otherHotspots(room.id, assets, mediaUrl)],
    };
  });
  return {
    version: 1,
    id: DEMO_TOUR_ID,
    title: 'The demo house',
    description: 'A lobby, a gallery and a garden, drawn by code. Every kind of hotspot appears once.',
    settings: DEMO_SETTINGS,
    branding: null,
    thumbnailUrl: mediaUrl(assets.scenes[DEMO_ROOMS[0]!.id].thumbnail.path),
    initialSceneId: scenes[0]!.id,
    scenes,
    floorPlans: [],
    collectorUrl: options.collectorUrl ?? null,
    updatedAt: DEMO_UPDATED_AT,
  };
}
