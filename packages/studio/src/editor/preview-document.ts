import type { Hotspot, Scene as DocumentScene, TourDocument } from '@vr-tour/protocol';
import type { EditorHotspot, Media, Scene, Tour } from '../api/types.js';

export interface PreviewParts {
  tour: Tour;
  /** Scenes whose panorama is ready, in order, each with its processed media. */
  scenes: { scene: Scene; media: Media; hotspots: EditorHotspot[] }[];
}

/**
 * The tour document `<vr-tour>` reads, made in the browser from the editor
 * API, so a draft or private tour can be previewed (the public document
 * serves published, visible tours only). The viewer is handed it as a blob:
 * URL, against which nothing resolves: every media URL is made absolute.
 * Analytics stay off (no collector).
 */
export function previewDocument({ tour, scenes }: PreviewParts, origin: string): TourDocument | null {
  if (!scenes.length) return null;
  const absolute = (url: string) => (url.startsWith('/') ? origin + url : url);
  const shown = new Set(scenes.map((entry) => entry.scene.id));
  const documentScenes: DocumentScene[] = scenes.map(({ scene, media, hotspots }) => ({
    id: scene.id,
    title: scene.title,
    description: scene.description,
    panorama: {
      inlinePreview: media.variants.inlinePreview ?? null,
      previewUrl: media.variants.previewUrl ? absolute(media.variants.previewUrl) : null,
      levels: (media.variants.levels ?? []).map((level) => ({ ...level, url: absolute(level.url) })),
    },
    initialView: scene.initialView,
    northOffset: scene.northOffset,
    floorPlan: null,
    hotspots: hotspots
      // A door to a scene still processing would lead nowhere.
      .filter((hotspot) => hotspot.type !== 'navigation' || shown.has(hotspot.targetSceneId))
      .map(({ sceneId: _scene, sortOrder: _order, ...hotspot }) => withAbsoluteMedia(hotspot, absolute)),
  }));
  return {
    version: 1,
    id: tour.id,
    title: tour.title,
    description: tour.description,
    settings: tour.settings,
    branding: null,
    thumbnailUrl: null,
    initialSceneId: tour.initialSceneId && shown.has(tour.initialSceneId) ? tour.initialSceneId : documentScenes[0]!.id,
    scenes: documentScenes,
    floorPlans: [],
    collectorUrl: null,
    updatedAt: tour.updatedAt,
  };
}

function withAbsoluteMedia(hotspot: Hotspot, absolute: (url: string) => string): Hotspot {
  if (hotspot.type === 'audio') return { ...hotspot, mediaUrl: absolute(hotspot.mediaUrl) };
  if (hotspot.type === 'video') return { ...hotspot, mediaUrl: absolute(hotspot.mediaUrl), posterUrl: hotspot.posterUrl && absolute(hotspot.posterUrl) };
  return hotspot;
}
