import type postgres from 'postgres';
import type { Sql } from '@vr-tour/db';
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
