import type postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
import { TOUR_LIMITS } from '@vr-tour/protocol';
import type { AuthUser } from '../auth/context.js';
import { HttpProblem, notFound } from '../http/problem.js';

/** A pool or a transaction: query helpers take either. */
export type Db = Sql | postgres.TransactionSql<Record<string, never>>;

/**
 * The ownership rule of every editor route, in one place: the tour's owner
 * or an admin. Anyone else gets a 404, exactly as for a tour that does not
 * exist, so ids cannot be probed.
 */
export function ownsTour(sql: Db, caller: AuthUser, alias = 't') {
  return sql`(${sql(alias)}.user_id = ${caller.id} OR ${caller.role === 'admin'})`;
}

/** Locks nothing; for checks before a write that the database re-checks anyway. */
export async function requireTour(sql: Db, caller: AuthUser, tourId: string): Promise<{ id: string; user_id: string }> {
  const [row] = await sql<{ id: string; user_id: string }[]>`
    SELECT t.id, t.user_id FROM tours t WHERE t.id = ${tourId} AND ${ownsTour(sql, caller)}`;
  if (!row) throw notFound('no such tour');
  return row;
}

/** A 422 naming one field, for rules zod cannot see (rows in other tables). */
export function fieldProblem(path: string, message: string): HttpProblem {
  return new HttpProblem(422, 'Unprocessable Content', `${path}: ${message}`, { errors: [{ path, message }] });
}

/** postgres.js error fields used to map constraint violations to 4xx answers. */
export function pgError(error: unknown): { code?: string; constraint_name?: string } {
  return typeof error === 'object' && error !== null ? (error as { code?: string; constraint_name?: string }) : {};
}

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
