import type { Db } from '@vr-tour/db';
import type { AuthUser } from '../auth/context.js';
import { notFound } from '../http/problem.js';

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
