import { z } from 'zod';
import { floorPlanPositionSchema, TOUR_LIMITS, viewSchema, yawSchema } from '@vr-tour/protocol';

const title = z.string().trim().min(1).max(TOUR_LIMITS.titleLength);
const description = z.string().max(TOUR_LIMITS.descriptionLength).nullable();

/**
 * The position as its `real` columns store it: a number too small for a 4-byte
 * float (1e-300) is an underflow error in PostgreSQL, so round here, as it would.
 */
const storedPosition = floorPlanPositionSchema.transform((position) => ({ ...position, x: Math.fround(position.x), y: Math.fround(position.y) }));

const sceneFields = {
  title,
  description,
  /** A panorama uploaded through /api/v1/media by the tour's owner; the scene shows once it is processed. */
  mediaId: z.uuid().nullable(),
  initialView: viewSchema,
  northOffset: yawSchema,
  floorPlan: storedPosition.nullable(),
};

export const sceneCreateSchema = z.strictObject({
  tourId: z.uuid(),
  title,
  description: description.default(null),
  mediaId: sceneFields.mediaId.default(null),
  initialView: viewSchema.default({ yaw: 0, pitch: 0, fov: 90 }),
  northOffset: yawSchema.default(0),
  floorPlan: sceneFields.floorPlan.default(null),
});

export const scenePatchSchema = z.strictObject(sceneFields).partial();

export const sceneListQuerySchema = z.object({ tourId: z.uuid() });

export const sceneOrderSchema = z.strictObject({
  sceneIds: z.array(z.uuid()).max(TOUR_LIMITS.scenes),
});

export const sceneSchema = z.object({
  id: z.uuid(),
  tourId: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  mediaId: z.uuid().nullable(),
  mediaStatus: z.enum(['pending', 'processing', 'ready', 'failed']).nullable(),
  thumbnailUrl: z.string().nullable(),
  initialView: viewSchema,
  northOffset: z.number(),
  floorPlan: floorPlanPositionSchema.nullable(),
  sortOrder: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});

export const sceneListSchema = z.object({ items: z.array(sceneSchema) });
