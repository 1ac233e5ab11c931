import { z } from 'zod';
import { floorPlanSchema as wireFloorPlanSchema, mediaUrlSchema, TOUR_LIMITS } from '@vr-tour/protocol';

const title = z.string().trim().min(1).max(TOUR_LIMITS.titleLength);
const dimension = z.number().int().positive().max(TOUR_LIMITS.levelMaxWidth);

/**
 * A floor plan is an uploaded image (`mediaId`, kind floor_plan or image,
 * processed: its URL and size come from the media) or an external image
 * given by URL and size.
 */
export const floorPlanCreateSchema = z.union([
  z.strictObject({ tourId: z.uuid(), title, mediaId: z.uuid(), sortOrder: z.int32().optional() }),
  z.strictObject({
    tourId: z.uuid(),
    title,
    imageUrl: mediaUrlSchema,
    width: dimension,
    height: dimension,
    sortOrder: z.int32().optional(),
  }),
]);

export const floorPlanPatchSchema = z
  .strictObject({ title, mediaId: z.uuid(), imageUrl: mediaUrlSchema, width: dimension, height: dimension, sortOrder: z.int32() })
  .partial();

export const floorPlanListQuerySchema = z.object({ tourId: z.uuid() });

export const floorPlanSchema = wireFloorPlanSchema.extend({
  tourId: z.uuid(),
  mediaId: z.uuid().nullable(),
  sortOrder: z.number().int(),
});
export const floorPlanListSchema = z.object({ items: z.array(floorPlanSchema) });
