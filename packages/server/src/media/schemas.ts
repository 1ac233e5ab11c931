import { z } from 'zod';
import { panoramaLevelSchema } from '@vr-tour/protocol';
import { pageQuerySchema } from '../tours/pagination.js';
import { MEDIA_KINDS_ACCEPTED } from './inspect.js';

export const MEDIA_STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;

/** The multipart form of an upload: `kind` (a text field, default panorama) and `file`. */
export const uploadFieldsSchema = z.object({ kind: z.enum(MEDIA_KINDS_ACCEPTED).default('panorama') });

export const mediaListQuerySchema = pageQuerySchema.extend({ kind: z.enum(MEDIA_KINDS_ACCEPTED).optional() });

export const mediaSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['panorama', 'image', 'floor_plan', 'audio', 'video']),
  status: z.enum(MEDIA_STATUSES),
  /** 0..100; 100 once ready. */
  progress: z.number().int().min(0).max(100),
  error: z.string().nullable(),
  originalName: z.string().nullable(),
  mimeType: z.string().nullable(),
  byteSize: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** What the pipeline made: a panorama's {inlinePreview, previewUrl, levels, thumbnailUrl}, an image's {url, width, height, thumbnailUrl}. */
  variants: z.object({
    inlinePreview: z.string().optional(),
    previewUrl: z.string().optional(),
    levels: z.array(panoramaLevelSchema).optional(),
    thumbnailUrl: z.string().optional(),
    url: z.string().optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
  }),
  createdAt: z.iso.datetime({ offset: true }),
});

export const mediaPageSchema = z.object({ items: z.array(mediaSchema), nextCursor: z.string().nullable() });
