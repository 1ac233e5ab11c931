import { z } from 'zod';
import { TOUR_LIMITS, TOUR_STATUSES, TOUR_VISIBILITIES, tourSettingsSchema } from '@vr-tour/protocol';
import { pageQuerySchema } from './pagination.js';

const title = z.string().trim().min(1).max(TOUR_LIMITS.titleLength);
const description = z.string().max(TOUR_LIMITS.descriptionLength).nullable();

export const tourCreateSchema = z.strictObject({
  title,
  description: description.default(null),
  visibility: z.enum(TOUR_VISIBILITIES).default('private'),
  settings: tourSettingsSchema.prefault({}),
});

/** Status moves only through the lifecycle routes; is_featured only for admins (checked in the route). */
export const tourPatchSchema = z.strictObject({
  title: title.optional(),
  description: description.optional(),
  visibility: z.enum(TOUR_VISIBILITIES).optional(),
  /** The legacy flag: true means visibility public, false means private. */
  isPublic: z.boolean().optional(),
  settings: tourSettingsSchema.optional(),
  initialSceneId: z.uuid().nullable().optional(),
  isFeatured: z.boolean().optional(),
});

export const tourListQuerySchema = pageQuerySchema.extend({
  status: z.enum(TOUR_STATUSES).optional(),
});

const timestamp = z.iso.datetime({ offset: true });

export const tourSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(TOUR_STATUSES),
  visibility: z.enum(TOUR_VISIBILITIES),
  isPublic: z.boolean(),
  isFeatured: z.boolean(),
  settings: tourSettingsSchema,
  thumbnailUrl: z.string().nullable(),
  initialSceneId: z.uuid().nullable(),
  viewCount: z.number().int(),
  likeCount: z.number().int(),
  shareCount: z.number().int(),
  publishedAt: timestamp.nullable(),
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const tourPageSchema = z.object({ items: z.array(tourSchema), nextCursor: z.string().nullable() });
