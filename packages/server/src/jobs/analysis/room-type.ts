import type { DetectedObject } from './analyzer.js';

/** How strongly each COCO class points at a room type (COCO has furniture and appliances, no doors or windows). */
const EVIDENCE: Record<string, Record<string, number>> = {
  bedroom: { bed: 3 },
  kitchen: { oven: 3, refrigerator: 3, microwave: 2, toaster: 2, sink: 1 },
  bathroom: { toilet: 3, toothbrush: 2, 'hair drier': 1.5, sink: 1.5 },
  'living room': { couch: 2.5, tv: 2, remote: 1, 'potted plant': 0.5, clock: 0.5, vase: 0.5 },
  'dining room': { 'dining table': 2.5, 'wine glass': 1, chair: 0.7, cup: 0.5, bowl: 0.5, fork: 0.5, knife: 0.5 },
  office: { laptop: 2, keyboard: 2, mouse: 1.5, book: 0.7 },
};

export interface RoomGuess {
  /** The room type, or null when nothing found points at one. */
  type: string | null;
  /** 0–1: the share of all the evidence that points at this type, scaled by how sure the detector was. */
  confidence: number;
  /** The objects that point at it, with their scores. */
  evidence: { label: string; score: number; weight: number }[];
}

/** The room type the objects point at most. */
export function inferRoomType(objects: DetectedObject[]): RoomGuess {
  const totals = Object.entries(EVIDENCE).map(([type, weights]) => {
    const evidence = objects
      .filter((object) => weights[object.label] !== undefined)
      .map((object) => ({ label: object.label, score: object.score, weight: weights[object.label]! }));
    return { type, evidence, total: evidence.reduce((sum, item) => sum + item.weight * item.score, 0) };
  });
  totals.sort((a, b) => b.total - a.total);
  const all = totals.reduce((sum, entry) => sum + entry.total, 0);
  const best = totals[0]!;
  if (best.total === 0) return { type: null, confidence: 0, evidence: [] };
  // Strong single evidence (a bed seen clearly) is near-certain; weak or shared evidence is not.
  const strength = 1 - Math.exp(-best.total / 1.5);
  return { type: best.type, confidence: Math.round((best.total / all) * strength * 100) / 100, evidence: best.evidence };
}
