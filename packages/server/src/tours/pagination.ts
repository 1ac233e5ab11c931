import { z } from 'zod';
import { badRequest } from '../http/problem.js';
import type { Db } from '@vr-tour/db';

/**
 * Keyset cursors over (created_at DESC, id DESC). The timestamp travels as
 * PostgreSQL's own microsecond text: a JS Date would drop the microseconds
 * and skip or repeat rows at page edges.
 */
export interface Cursor {
  at: string;
  id: string;
}

/** PostgreSQL's microsecond text (CURSOR_AT) of a real instant: anything else would be a cast error in the query. */
const cursorTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine((at) => {
    const time = Date.parse(at);
    return Number.isFinite(time) && new Date(time).toISOString() === `${at.slice(0, 23)}Z`;
  });

const cursorSchema = z.tuple([cursorTime, z.uuid()]);

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  try {
    const [at, id] = cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return { at, id };
  } catch {
    throw badRequest('cursor: is not a cursor from a previous page', { errors: [{ path: 'cursor', message: 'is not a cursor from a previous page' }] });
  }
}

export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** SQL text of a row's cursor timestamp. */
export const CURSOR_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The end of a page's query: the rows after `cursor` in page order, n+1 of
 * them for `page`. `alias` names the table when the query gives it one.
 */
export function afterCursor(sql: Db, cursor: Cursor | undefined, limit: number, alias?: string) {
  const [at, id] = alias ? [sql(`${alias}.created_at`), sql(`${alias}.id`)] : [sql('created_at'), sql('id')];
  return sql`
    ${cursor ? sql`AND (${at}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id})` : sql``}
    ORDER BY ${at} DESC, ${id} DESC
    LIMIT ${limit + 1}`;
}

/** Splits the n+1 rows fetched into a page and the next cursor. */
export function page<Row extends { cursor_at: string; id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}
