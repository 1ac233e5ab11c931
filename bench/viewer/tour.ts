import { tourDocumentSchema, type TourDocument } from '@vr-tour/protocol';
import { DEMO_ROOMS, DEMO_SCENE_IDS, DEMO_TOUR_ID, doorView, type DemoAssets, type DemoRoom, type DemoRoomId } from '@vr-tour/demo';

/**
 * The one tour every viewer shows: the demo's three rooms, their doors as
 * navigation hotspots, the same 4096x2048 JPEG per room, every scene entered
 * level at yaw 0 with a 90° horizontal field of view.
 */

export const PANORAMA_WIDTH = 4096;
export const VIEWPORT = { width: 800, height: 600, hfov: 90 } as const;
/** The first scene, and the one the switch goes to (a door away). */
export const START: DemoRoomId = 'lobby';
export const NEXT: DemoRoomId = 'gallery';
export const VIEW_YAW = 0;

export interface BenchDoor {
  yaw: number;
  pitch: number;
  target: DemoRoomId;
  title: string;
}

export interface BenchScene {
  key: DemoRoomId;
  room: DemoRoom;
  title: string;
  /** URL path of the 4096 px panorama. */
  panorama: string;
  /** The scene's 64 px JPEG as a data: URI (vr-tour's `inlinePreview`). */
  inlinePreview: string;
  doors: BenchDoor[];
}

export function benchScenes(assets: DemoAssets, mediaUrl: (path: string) => string): BenchScene[] {
  return DEMO_ROOMS.map((room) => {
    const files = assets.scenes[room.id];
    const level = files.levels.find((candidate) => candidate.width === PANORAMA_WIDTH);
    if (!level) throw new Error(`the demo assets have no ${PANORAMA_WIDTH} px level for ${room.id}`);
    return {
      key: room.id,
      room,
      title: room.name,
      panorama: mediaUrl(level.path),
      inlinePreview: files.inlinePreview,
      doors: room.doors.map((door) => ({
        yaw: door.yaw,
        pitch: Math.round(doorView(room, door).pitch * 100) / 100,
        target: door.target,
        title: `Go to the ${DEMO_ROOMS.find((candidate) => candidate.id === door.target)!.name}`,
      })),
    };
  });
}

/** The tour as vr-tour's public API would serve it (validated by the protocol's schema). */
export function vrTourDocument(scenes: BenchScene[]): TourDocument {
  const view = { yaw: VIEW_YAW, pitch: 0, fov: VIEWPORT.hfov };
  const document: TourDocument = {
    version: 1,
    id: DEMO_TOUR_ID,
    title: 'Viewer benchmark',
    description: null,
    // No transition, as for the anchors: the switch time is the time to the next scene's pixels.
    settings: {
      autorotate: { enabled: false, speed: 3, idleMs: 8_000 },
      transition: 'none',
      transitionMs: 0,
      autoplayAudio: false,
      showCompass: false,
    },
    branding: null,
    thumbnailUrl: null,
    initialSceneId: DEMO_SCENE_IDS[START],
    scenes: scenes.map((scene) => ({
      id: DEMO_SCENE_IDS[scene.key],
      title: scene.title,
      description: null,
      panorama: {
        inlinePreview: scene.inlinePreview,
        previewUrl: null,
        levels: [{ width: PANORAMA_WIDTH, height: PANORAMA_WIDTH / 2, url: scene.panorama, format: 'jpeg' }],
      },
      initialView: view,
      northOffset: 0,
      floorPlan: null,
      hotspots: scene.doors.map((door, index) => ({
        id: `0de30000-0b00-4000-8000-${String(DEMO_ROOMS.findIndex((room) => room.id === scene.key) * 10 + index + 1).padStart(12, '0')}`,
        type: 'navigation' as const,
        yaw: door.yaw,
        pitch: door.pitch,
        title: door.title,
        targetSceneId: DEMO_SCENE_IDS[door.target],
        targetView: view,
      })),
    })),
    floorPlans: [],
    collectorUrl: null,
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  return tourDocumentSchema.parse(document) as TourDocument;
}
