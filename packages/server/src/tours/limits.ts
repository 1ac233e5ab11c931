import type { Db } from '@vr-tour/db';
import { TOUR_LIMITS } from '@vr-tour/protocol';
import { HttpProblem } from '../http/problem.js';

/** The parents and bounds of the rows a public document lists (TOUR_LIMITS, which its schema enforces). */
const CHILDREN = {
  scenes: { parent: 'tours', column: 'tour_id', limit: TOUR_LIMITS.scenes, wording: 'a tour has at most %d scenes' },
  floor_plans: { parent: 'tours', column: 'tour_id', limit: TOUR_LIMITS.floorPlans, wording: 'a tour has at most %d floor plans' },
  hotspots: { parent: 'scenes', column: 'scene_id', limit: TOUR_LIMITS.hotspotsPerScene, wording: 'a scene has at most %d hotspots' },
} as const;

/**
 * Refuses one more row under a parent that is full, so the public document
 * never outgrows its own schema. Locks the parent row: call it inside the
 * transaction that inserts, and two concurrent creations cannot both pass.
 */
export async function requireRoom(tx: Db, table: keyof typeof CHILDREN, parentId: string): Promise<void> {
  const child = CHILDREN[table];
  await tx`SELECT 1 FROM ${tx(child.parent)} WHERE id = ${parentId} FOR UPDATE`;
  const [row] = await tx<{ count: number }[]>`SELECT count(*)::int AS count FROM ${tx(table)} WHERE ${tx(child.column)} = ${parentId}`;
  if (row!.count >= child.limit) throw new HttpProblem(409, 'Conflict', child.wording.replace('%d', String(child.limit)));
}
