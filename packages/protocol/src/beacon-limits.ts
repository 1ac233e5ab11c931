/**
 * Limits on a beacon batch. Bodies stay well under the 64 KiB keepalive/sendBeacon quota.
 * A module of its own, free of zod, so the viewer bundles these numbers and nothing else.
 */
export const BEACON_LIMITS = {
  eventsPerBatch: 50,
  batchBytes: 32_768,
  /** Events older than this when sent are clamped to it by the collector. */
  maxEventAgeMs: 86_400_000,
  referrerLength: 512,
  metricValueMax: 600_000,
} as const;
