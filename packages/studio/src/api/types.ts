import type {
  Branding,
  CustomDomainSSLStatus,
  CustomDomainVerificationStatus,
  Hotspot,
  PanoramaLevel,
  TourSettings,
  TourStatus,
  TourVisibility,
  UserRole,
} from '@vr-tour/protocol';

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
  /** Where the scene sits on one of the tour's floor plans (x, y: 0..1 from the image's top left). */
  floorPlan: FloorPlanPosition | null;
  sortOrder: number;
}

export interface FloorPlanPosition {
  floorPlanId: string;
  x: number;
  y: number;
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
    /** An image's (logo, floor plan) processed file and its size. */
    url?: string;
    width?: number;
    height?: number;
  };
}

/** A hotspot as the editor API lists it: the tour document's fields plus where it sits. */
export type EditorHotspot = Hotspot & { sceneId: string; sortOrder: number };

/** An API token as listed: its secret is shown once, when it is created, never again. */
export interface ApiToken {
  id: string;
  name: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiToken extends ApiToken {
  /** The secret: sent as `Authorization: Bearer <token>`. */
  token: string;
}

export interface DnsRecord {
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

export interface CustomDomain {
  id: string;
  host: string;
  path: string;
  tourId: string;
  verificationStatus: CustomDomainVerificationStatus;
  /** Why the last check failed, in words. */
  verificationReason: string | null;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  /** Null: no further background checks. */
  nextCheckAt: string | null;
  checkAttempts: number;
  sslStatus: CustomDomainSSLStatus;
  sslReason: string | null;
  sslCheckedAt: string | null;
  dnsRecords: DnsRecord[];
  createdAt: string;
  updatedAt: string;
}

/** A floor plan as the editor API answers it. */
export interface FloorPlan {
  id: string;
  tourId: string;
  title: string;
  mediaId: string | null;
  imageUrl: string;
  width: number;
  height: number;
  sortOrder: number;
}

export type { Branding, TourSettings, TourStatus, TourVisibility };
