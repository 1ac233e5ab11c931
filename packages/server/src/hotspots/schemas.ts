import { z } from 'zod';
import {
  audioHotspotSchema,
  customHotspotSchema,
  infoHotspotSchema,
  linkHotspotSchema,
  navigationHotspotSchema,
  videoHotspotSchema,
  viewSchema,
} from '@vr-tour/protocol';

/**
 * The protocol's per-type hotspot schemas are the single definition of each
 * type's fields: the editor accepts exactly what the public document serves,
 * minus the id (the server makes it), with the optional fields defaulted.
 */
export const hotspotFieldsSchema = z.discriminatedUnion('type', [
  navigationHotspotSchema.omit({ id: true }).extend({ targetView: viewSchema.nullable().default(null) }),
  infoHotspotSchema.omit({ id: true }),
  audioHotspotSchema.omit({ id: true }).extend({ loop: z.boolean().default(false) }),
  videoHotspotSchema.omit({ id: true }).extend({ posterUrl: videoHotspotSchema.shape.posterUrl.default(null) }),
  linkHotspotSchema.omit({ id: true }),
  customHotspotSchema.omit({ id: true }).extend({ template: customHotspotSchema.shape.template.default(null) }),
]);
export type HotspotFields = z.infer<typeof hotspotFieldsSchema>;

export const hotspotCreateSchema = z.intersection(z.object({ sceneId: z.uuid() }), hotspotFieldsSchema);

/**
 * A partial update: any fields of the hotspot. The route merges them over the
 * stored hotspot and validates the result with hotspotFieldsSchema, so a
 * type change must bring the new type's required fields.
 */
export const hotspotPatchSchema = z.record(z.string(), z.unknown());

export const hotspotListQuerySchema = z.object({ sceneId: z.uuid() });

export const hotspotSchema = z.intersection(
  z.object({ id: z.uuid(), sceneId: z.uuid(), sortOrder: z.number().int() }),
  hotspotFieldsSchema,
);
export const hotspotListSchema = z.object({ items: z.array(hotspotSchema) });
