import { z } from 'zod';
import { HOTSPOT_TYPES } from './enums.js';
import { pitchSchema, viewSchema, yawSchema } from './angles.js';

/** Limits on every count and length in a tour document. */
export const TOUR_LIMITS = {
  titleLength: 200,
  descriptionLength: 5_000,
  scenes: 500,
  hotspotsPerScene: 200,
  floorPlans: 50,
  levels: 8,
  /** The inline preview is a data: URI shown before any request returns. */
  inlinePreviewLength: 12_000,
  infoHtmlLength: 20_000,
  customPayloadBytes: 8_192,
  urlLength: 2_048,
  /** Panorama levels never exceed this width (Marzipano/Pannellum cap similar). */
  levelMaxWidth: 16_384,
} as const;

const id = z.uuid();
const title = z.string().trim().min(1).max(TOUR_LIMITS.titleLength);
const description = z.string().max(TOUR_LIMITS.descriptionLength).nullable();

/**
 * Whether `value` is a root-relative path that every reader resolves on the
 * document's own host. Browsers read a backslash as a slash and drop tabs and
 * newlines anywhere in a URL (and controls and spaces at its ends), so
 * `/\host`, `/\t/host` or ` //host` mean `//host`: none of those characters
 * may appear, nor an encoded slash or backslash (`/%2F/host`), which a server
 * that decodes before routing reads the same way.
 */
export function isRootRelativePath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//')) return false;
  if (/[\u0000-\u0020\u007f\\]|%(?:2f|5c)/i.test(value)) return false;
  return new URL(value, 'http://document.invalid/').host === 'document.invalid';
}

/** An absolute http(s) URL or a root-relative path, resolved against the document's URL. */
export const mediaUrlSchema = z
  .string()
  .max(TOUR_LIMITS.urlLength)
  .refine((value) => /^https?:\/\//.test(value) || isRootRelativePath(value), {
    message: 'must be an http(s) URL or a path on this host starting with a single /',
  });

/** Only web links a viewer may open in a new tab; never javascript: or data:. */
export const webLinkSchema = z
  .string()
  .max(TOUR_LIMITS.urlLength)
  .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http(s) URL' });

export const PANORAMA_FORMATS = ['jpeg', 'webp', 'avif'] as const;

export const panoramaLevelSchema = z.object({
  width: z.number().int().min(64).max(TOUR_LIMITS.levelMaxWidth),
  height: z.number().int().min(32).max(TOUR_LIMITS.levelMaxWidth / 2),
  url: mediaUrlSchema,
  format: z.enum(PANORAMA_FORMATS),
});
export type PanoramaLevel = z.infer<typeof panoramaLevelSchema>;

export const panoramaSchema = z.object({
  /** A tiny equirectangular preview as a data: URI, painted before anything loads. */
  inlinePreview: z
    .string()
    .max(TOUR_LIMITS.inlinePreviewLength)
    .regex(/^data:image\/(jpeg|webp|png);base64,[A-Za-z0-9+/=]+$/)
    .nullable(),
  /** A small preview image (about 512 px wide), the first texture drawn. */
  previewUrl: mediaUrlSchema.nullable(),
  /** Full-resolution levels, smallest first; a viewer takes the largest its GPU and screen use. */
  levels: z.array(panoramaLevelSchema).min(1).max(TOUR_LIMITS.levels),
});
export type Panorama = z.infer<typeof panoramaSchema>;

const hotspotBase = {
  id,
  yaw: yawSchema,
  pitch: pitchSchema,
  title,
};

export const navigationHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('navigation'),
  targetSceneId: id,
  /** Where to look on arrival; absent means keep walking the same way. */
  targetView: viewSchema.nullable(),
});

export const infoHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('info'),
  /** Rich text. Untrusted: every consumer sanitizes it before it reaches the DOM. */
  html: z.string().max(TOUR_LIMITS.infoHtmlLength),
});

export const audioHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('audio'),
  mediaUrl: mediaUrlSchema,
  loop: z.boolean(),
});

export const videoHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('video'),
  mediaUrl: mediaUrlSchema,
  posterUrl: mediaUrlSchema.nullable(),
});

export const linkHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('link'),
  url: webLinkSchema,
});

/** A JSON value whose serialized form stays under a byte limit. */
export const boundedJsonSchema = (maxBytes: number) =>
  z.record(z.string().max(100), z.json()).refine((value) => JSON.stringify(value).length <= maxBytes, {
    message: `must serialize to at most ${maxBytes} bytes`,
  });

export const customHotspotSchema = z.object({
  ...hotspotBase,
  type: z.literal('custom'),
  /** Free-form data for the embedding page (a slot named after the hotspot id renders it). */
  payload: boundedJsonSchema(TOUR_LIMITS.customPayloadBytes),
  /** Optional HTML template; sanitized like info text. */
  template: z.string().max(TOUR_LIMITS.infoHtmlLength).nullable(),
});

export const hotspotSchema = z.discriminatedUnion('type', [
  navigationHotspotSchema,
  infoHotspotSchema,
  audioHotspotSchema,
  videoHotspotSchema,
  linkHotspotSchema,
  customHotspotSchema,
]);
export type Hotspot = z.infer<typeof hotspotSchema>;
export type HotspotOf<T extends Hotspot['type']> = Extract<Hotspot, { type: T }>;

// Keeps the union and the seed's enum from drifting apart.
const hotspotTypesCovered: Record<(typeof HOTSPOT_TYPES)[number], true> = {
  navigation: true,
  info: true,
  audio: true,
  video: true,
  link: true,
  custom: true,
} satisfies Record<Hotspot['type'], true>;
void hotspotTypesCovered;

export const floorPlanPositionSchema = z.object({
  floorPlanId: id,
  /** 0..1 across the floor plan image, from its left. */
  x: z.number().min(0).max(1),
  /** 0..1 down the floor plan image, from its top. */
  y: z.number().min(0).max(1),
});

export const sceneSchema = z.object({
  id,
  title,
  description,
  panorama: panoramaSchema,
  initialView: viewSchema,
  /** Degrees from the panorama's centre column to true north, for the compass and floor plans. */
  northOffset: yawSchema,
  floorPlan: floorPlanPositionSchema.nullable(),
  hotspots: z.array(hotspotSchema).max(TOUR_LIMITS.hotspotsPerScene),
});
export type Scene = z.infer<typeof sceneSchema>;

export const floorPlanSchema = z.object({
  id,
  title,
  imageUrl: mediaUrlSchema,
  width: z.number().int().positive().max(TOUR_LIMITS.levelMaxWidth),
  height: z.number().int().positive().max(TOUR_LIMITS.levelMaxWidth),
});
export type FloorPlan = z.infer<typeof floorPlanSchema>;

export const TRANSITIONS = ['crossfade', 'none'] as const;

/** Tour-wide settings (the seed's `settings` JSONB). Unknown keys are dropped, missing ones defaulted. */
export const tourSettingsSchema = z.object({
  autorotate: z
    .object({
      enabled: z.boolean().default(false),
      /** Degrees per second. */
      speed: z.number().min(-30).max(30).default(3),
      /** Start after this much inactivity. */
      idleMs: z.number().int().min(0).max(600_000).default(8_000),
    })
    .prefault({}),
  transition: z.enum(TRANSITIONS).default('crossfade'),
  transitionMs: z.number().int().min(0).max(5_000).default(600),
  autoplayAudio: z.boolean().default(false),
  showCompass: z.boolean().default(false),
  /**
   * How the tour's iframe page (and so its oEmbed) is served. `unbrandedOnly`:
   * always without branding or links out, whatever the embed asks, as listing
   * sites' (MLS) rules require. Absent in older rows: embeds follow `branding=`.
   */
  embed: z.object({ unbrandedOnly: z.boolean().default(false) }).optional(),
});
export type TourSettings = z.infer<typeof tourSettingsSchema>;

export const brandingSchema = z.object({
  logoUrl: mediaUrlSchema.nullable(),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable(),
  linkUrl: webLinkSchema.nullable(),
  showPoweredBy: z.boolean(),
});
export type Branding = z.infer<typeof brandingSchema>;

export const TOUR_DOCUMENT_VERSION = 1;

/** What `GET /api/v1/public/tours/:id` serves and `<vr-tour>` reads. */
export const tourDocumentSchema = z
  .object({
    version: z.literal(TOUR_DOCUMENT_VERSION),
    id,
    title,
    description,
    settings: tourSettingsSchema,
    branding: brandingSchema.nullable(),
    thumbnailUrl: mediaUrlSchema.nullable(),
    initialSceneId: id,
    scenes: z.array(sceneSchema).min(1).max(TOUR_LIMITS.scenes),
    floorPlans: z.array(floorPlanSchema).max(TOUR_LIMITS.floorPlans),
    /** Where the viewer sends beacons; null turns analytics off for this tour. */
    collectorUrl: mediaUrlSchema.nullable(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .superRefine((doc, ctx) => {
    const sceneIds = new Set(doc.scenes.map((scene) => scene.id));
    if (!sceneIds.has(doc.initialSceneId)) {
      ctx.addIssue({ code: 'custom', path: ['initialSceneId'], message: 'is not a scene of this tour' });
    }
    doc.scenes.forEach((scene, sceneIndex) => {
      scene.hotspots.forEach((hotspot, hotspotIndex) => {
        if (hotspot.type === 'navigation' && !sceneIds.has(hotspot.targetSceneId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['scenes', sceneIndex, 'hotspots', hotspotIndex, 'targetSceneId'],
            message: 'is not a scene of this tour',
          });
        }
      });
    });
  });
export type TourDocument = z.infer<typeof tourDocumentSchema>;

/** A gallery entry: `GET /api/v1/public/tours?featured=true`. */
export const tourSummarySchema = z.object({
  id,
  title,
  description,
  thumbnailUrl: mediaUrlSchema.nullable(),
  url: z.string(),
  publishedAt: z.iso.datetime({ offset: true }).nullable(),
  viewCount: z.number().int().nonnegative(),
  likeCount: z.number().int().nonnegative(),
});
export type TourSummary = z.infer<typeof tourSummarySchema>;
