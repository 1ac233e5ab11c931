import { z } from 'zod';
import { AI_JOB_STATUSES, AI_JOB_TYPES, pitchSchema, yawSchema } from '@vr-tour/protocol';

/** One job per request: a scene's analysis, or a tour's navigation links. */
export const aiJobCreateSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('scene_analysis'), sceneId: z.uuid() }),
  z.strictObject({ type: z.literal('hotspot_generation'), tourId: z.uuid() }),
]);
export type AiJobCreate = z.infer<typeof aiJobCreateSchema>;

export const aiJobListQuerySchema = z.object({ tourId: z.uuid() });

/** Where on the sphere, as hotspots say it: degrees, yaw 0 at the panorama's centre column. */
const direction = { yaw: yawSchema, pitch: pitchSchema };

export const aiJobSchema = z.object({
  id: z.uuid(),
  type: z.enum(AI_JOB_TYPES),
  status: z.enum(AI_JOB_STATUSES),
  tourId: z.uuid(),
  sceneId: z.uuid().nullable(),
  progress: z.object({ percent: z.number().int().min(0).max(100), stage: z.string().nullable() }),
  /** What the job found (completed jobs); its shape depends on the type. */
  result: z.record(z.string(), z.unknown()).nullable(),
  /** Why it failed (failed jobs). */
  error: z.string().nullable(),
  attempts: z.number().int(),
  /** Counts the visible changes; a socket's messages carry it too, so a client can order them. */
  revision: z.number().int(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
});
export const aiJobListSchema = z.object({ items: z.array(aiJobSchema) });

export const suggestionSchema = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  sceneId: z.uuid(),
  type: z.enum(['info', 'navigation']),
  targetSceneId: z.uuid().nullable(),
  ...direction,
  title: z.string(),
  /** A COCO class for an object; `link` for a navigation link. */
  label: z.string(),
  confidence: z.number().min(0).max(1),
  /** What the suggestion rests on (detector scores and views, feature matches, floor-plan positions). */
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'accepted', 'rejected']),
  /** The hotspot made by accepting it. */
  hotspotId: z.uuid().nullable(),
});
export const suggestionListSchema = z.object({ items: z.array(suggestionSchema) });
