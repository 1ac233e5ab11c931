import { z } from 'zod';
import { BEACON_LIMITS } from './beacon-limits.js';

export const BEACON_VERSION = 1;

/** How a tour was shared: `copy` is a copied link, `embed` a copied embed code (an iframe or the script and element). */
export const SHARE_CHANNELS = ['native', 'copy', 'embed', 'facebook', 'x', 'linkedin', 'whatsapp', 'email', 'other'] as const;

/**
 * Field performance metrics: the viewer's own timings and the host page's
 * Core Web Vitals (web-vitals names).
 */
export const PERFORMANCE_METRICS = [
  'first_panorama',
  'scene_switch',
  'LCP',
  'INP',
  'CLS',
  'FCP',
  'TTFB',
] as const;

const eventBase = {
  /** Made by the client; the collector's idempotency key. */
  id: z.uuid(),
  /** How many ms before the batch was sent the event happened (client clocks are not trusted). */
  offsetMs: z.number().int().min(0).max(BEACON_LIMITS.maxEventAgeMs * 7),
};

export const viewEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('view'),
  sceneId: z.uuid().optional(),
  referrer: z.string().max(BEACON_LIMITS.referrerLength).optional(),
  /** How the tour was embedded: the element, an iframe page, or the tour's own page. */
  embed: z.enum(['element', 'iframe', 'page']).optional(),
});

export const sceneViewEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('scene_view'),
  sceneId: z.uuid(),
});

export const hotspotClickEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('hotspot_click'),
  sceneId: z.uuid(),
  hotspotId: z.uuid(),
});

export const shareEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('share'),
  sceneId: z.uuid().optional(),
  channel: z.enum(SHARE_CHANNELS),
});

export const likeEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('like'),
  sceneId: z.uuid().optional(),
});

export const performanceEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('performance'),
  sceneId: z.uuid().optional(),
  metric: z.enum(PERFORMANCE_METRICS),
  value: z.number().min(0).max(BEACON_LIMITS.metricValueMax),
  rating: z.enum(['good', 'needs-improvement', 'poor']).optional(),
});

export const beaconEventSchema = z.discriminatedUnion('type', [
  viewEventSchema,
  sceneViewEventSchema,
  hotspotClickEventSchema,
  shareEventSchema,
  likeEventSchema,
  performanceEventSchema,
]);
export type BeaconEvent = z.infer<typeof beaconEventSchema>;
export type BeaconEventOf<T extends BeaconEvent['type']> = Extract<BeaconEvent, { type: T }>;

/**
 * An event as a client records it: the client gives it its `id` when it is
 * queued and its `offsetMs` at each send. One of each type (`T` narrows it).
 */
export type NewBeaconEvent<T extends BeaconEvent['type'] = BeaconEvent['type']> = T extends BeaconEvent['type']
  ? Omit<BeaconEventOf<T>, 'id' | 'offsetMs'>
  : never;

/** Signals the client reports about itself; automation is dropped, never counted. */
export const clientFlagsSchema = z.strictObject({
  webdriver: z.boolean().optional(),
  headless: z.boolean().optional(),
});

/**
 * The batch's envelope with events left unchecked, so a collector can validate
 * each event on its own and keep the good neighbours of a bad one.
 */
export const beaconEnvelopeSchema = z.strictObject({
  v: z.literal(BEACON_VERSION),
  tourId: z.uuid(),
  events: z.array(z.unknown()).min(1).max(BEACON_LIMITS.eventsPerBatch),
  client: clientFlagsSchema.optional(),
});
export type BeaconEnvelope = z.infer<typeof beaconEnvelopeSchema>;

/** What `<vr-tour>` sends to the collector (`text/plain` JSON, no preflight). */
export const beaconBatchSchema = beaconEnvelopeSchema.extend({
  events: z.array(beaconEventSchema).min(1).max(BEACON_LIMITS.eventsPerBatch),
});
export type BeaconBatch = z.infer<typeof beaconBatchSchema>;

/** The collector's answer to an accepted batch. */
export const beaconResultSchema = z.object({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      reason: z.string(),
    }),
  ),
});
export type BeaconResult = z.infer<typeof beaconResultSchema>;
