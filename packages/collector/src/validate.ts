import type { z } from 'zod';
import {
  BEACON_LIMITS,
  beaconEnvelopeSchema,
  beaconEventSchema,
  findJsonInputIssue,
  uuidv7Time,
  type BeaconEnvelope,
  type BeaconEvent,
} from '@vr-tour/protocol';

type EventType = BeaconEvent['type'];

/** One valid event, with its time fixed by the collector and its row fields ready. */
export interface NormalizedEvent {
  /** Position in the request's `events` array (for the answer's `rejected`). */
  index: number;
  id: string;
  type: EventType;
  sceneId: string | null;
  hotspotId: string | null;
  /** ms since epoch: receivedAt − offsetMs, clamped to [receivedAt − 24 h, receivedAt]. */
  occurredAt: number;
  /** The `data` column: the type's own fields (never anything identifying). */
  data: Record<string, unknown>;
}

/**
 * How far ahead of the collector's clock an event id's timestamp may be: a
 * client clock a little fast is common, one days ahead is a forged id.
 */
export const EVENT_ID_MAX_AHEAD_MS = 5 * 60_000;

/**
 * Whether an event id is a UUIDv7 (RFC 9562 version and variant) whose time
 * lies in [receivedAt − max event age, receivedAt + EVENT_ID_MAX_AHEAD_MS].
 * Event partitions are id ranges that are month ranges: a nil, max, v4 or
 * far-future id would land in the default partition, so none is stored.
 */
function isRecentUuidv7(id: string, receivedAt: number): boolean {
  if (!'89ab'.includes(id[19]!)) return false;
  const time = uuidv7Time(id);
  return time !== undefined && time >= receivedAt - BEACON_LIMITS.maxEventAgeMs && time <= receivedAt + EVENT_ID_MAX_AHEAD_MS;
}

const STALE_ID_REASON = `invalid: id: must be a UUIDv7 made within the last ${BEACON_LIMITS.maxEventAgeMs / 3_600_000} h (at most ${EVENT_ID_MAX_AHEAD_MS / 60_000} min ahead of the collector's clock)`;

export interface Rejection {
  index: number;
  reason: string;
}

export type EnvelopeResult = { ok: true; envelope: BeaconEnvelope } | { ok: false; detail: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parses the body text and checks the envelope; events stay unchecked. */
export function parseEnvelope(text: string): EnvelopeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'the body is not valid JSON' };
  }
  const result = beaconEnvelopeSchema.safeParse(value);
  if (!result.success) return { ok: false, detail: `invalid beacon batch: ${describe(result.error)}` };
  return { ok: true, envelope: result.data };
}

function referrerHost(referrer: string | undefined): string | null {
  if (!referrer) return null;
  try {
    const host = new URL(referrer).hostname;
    return host && host.length <= 253 ? host : null;
  } catch {
    return null;
  }
}

/**
 * Checks each event on its own: a bad one is rejected with a reason, its
 * neighbours are kept. Repeated ids inside one batch are duplicates. Text no
 * edge accepts (a NUL, an unpaired surrogate) rejects its event even where
 * the collector would not store it (a referrer is kept as its host only).
 */
export function validateEvents(
  events: readonly unknown[],
  receivedAt: number,
): { events: NormalizedEvent[]; rejected: Rejection[]; duplicates: number } {
  const valid: NormalizedEvent[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const oldest = receivedAt - BEACON_LIMITS.maxEventAgeMs;
  events.forEach((raw, index) => {
    const unsafe = findJsonInputIssue(raw);
    if (unsafe) {
      rejected.push({ index, reason: `invalid: ${unsafe.path.length ? unsafe.path.join('.') : '(root)'}: ${unsafe.message}` });
      return;
    }
    const parsed = beaconEventSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ index, reason: `invalid: ${describe(parsed.error)}` });
      return;
    }
    const event = parsed.data;
    const id = event.id.toLowerCase();
    if (!isRecentUuidv7(id, receivedAt)) {
      rejected.push({ index, reason: STALE_ID_REASON });
      return;
    }
    if (seen.has(id)) {
      duplicates += 1;
      return;
    }
    seen.add(id);
    const occurredAt = Math.min(receivedAt, Math.max(oldest, receivedAt - event.offsetMs));
    let data: Record<string, unknown> = {};
    let hotspotId: string | null = null;
    switch (event.type) {
      case 'view': {
        const host = referrerHost(event.referrer);
        data = { ...(event.embed ? { embed: event.embed } : {}), ...(host ? { referrerHost: host } : {}) };
        break;
      }
      case 'hotspot_click':
        hotspotId = event.hotspotId;
        break;
      case 'share':
        data = { channel: event.channel };
        break;
      case 'performance':
        data = { metric: event.metric, value: event.value, ...(event.rating ? { rating: event.rating } : {}) };
        break;
      default:
        break;
    }
    valid.push({
      index,
      id,
      type: event.type,
      sceneId: 'sceneId' in event && event.sceneId ? event.sceneId : null,
      hotspotId,
      occurredAt,
      data,
    });
  });
  return { events: valid, rejected, duplicates };
}
