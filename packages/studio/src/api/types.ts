import type { Hotspot, PanoramaLevel, TourSettings, TourStatus, TourVisibility, UserRole } from '@vr-tour/protocol';

/**
 * The /api/v1 answers the studio reads, as the OpenAPI document
 * (/api/v1/openapi.json) describes them. Types only: nothing here ships.
 */

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  createdAt: string;
}

export interface Session {
  user: User;
  /** Sent back as X-CSRF-Token on every cookie-authenticated write. */
  csrfToken: string | null;
}

export interface Tour {
  id: string;
  title: string;
  description: string | null;
  status: TourStatus;
  visibility: TourVisibility;
  settings: TourSettings;
  thumbnailUrl: string | null;
  initialSceneId: string | null;
  viewCount: number;
  likeCount: number;
  shareCount: number;
  publishedAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

export type MediaStatus = 'pending' | 'processing' | 'ready' | 'failed';

export interface View {
  yaw: number;
  pitch: number;
  fov: number;
}

export interface Scene {
  id: string;
  tourId: string;
  title: string;
  description: string | null;
  mediaId: string | null;
  mediaStatus: MediaStatus | null;
  thumbnailUrl: string | null;
  initialView: View;
  northOffset: number;
  sortOrder: number;
}

export interface Media {
  id: string;
  kind: 'panorama' | 'image' | 'floor_plan' | 'audio' | 'video';
  status: MediaStatus;
  /** 0..100; 100 once ready. */
  progress: number;
  error: string | null;
  originalName: string | null;
  width: number | null;
  height: number | null;
  variants: {
    inlinePreview?: string;
    previewUrl?: string;
    levels?: PanoramaLevel[];
    thumbnailUrl?: string;
  };
}

/** A hotspot as the editor API lists it: the tour document's fields plus where it sits. */
export type EditorHotspot = Hotspot & { sceneId: string; sortOrder: number };

export type { TourStatus, TourVisibility };
