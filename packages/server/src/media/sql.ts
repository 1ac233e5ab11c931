import type { Sql } from '@vr-tour/db';
import type { AuthUser } from '../auth/context.js';
import type { Db } from '@vr-tour/db';
import { ownsTour } from '../tours/ownership.js';
import { afterCursor, CURSOR_AT, type Cursor } from '../tours/pagination.js';
import type { AcceptedKind, Inspected } from './inspect.js';
import { renewLease as renewQueueLease, type Lease } from '../jobs/lease-sql.js';
import type { JobQueue } from '../jobs/runner.js';

/** Notified (with the media id) when a row becomes due, so idle workers claim it at once. */
export const MEDIA_JOBS_CHANNEL = 'media_jobs';

export interface MediaRow {
  id: string;
  user_id: string;
  kind: 'panorama' | 'image' | 'floor_plan' | 'audio' | 'video';
  status: 'pending' | 'processing' | 'ready' | 'failed';
  progress: number;
  error: string | null;
  original_name: string | null;
  mime_type: string | null;
  byte_size: string | null;
  width: number | null;
  height: number | null;
  sha256: string | null;
  variants: Record<string, unknown>;
  created_at: Date;
  cursor_at: string;
}

const COLUMNS = `m.*, ${CURSOR_AT.replace('created_at', 'm.created_at')} AS cursor_at`;

export const toMedia = (row: MediaRow) => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  progress: row.progress,
  error: row.error,
  originalName: row.original_name,
  mimeType: row.mime_type,
  byteSize: row.byte_size === null ? null : Number(row.byte_size),
  width: row.width,
  height: row.height,
  variants: row.variants,
  createdAt: row.created_at.toISOString(),
});

export interface NewMedia {
  userId: string;
  kind: AcceptedKind;
  originalName: string;
  byteSize: number;
  sha256: string;
  image: Inspected;
}

/**
 * Inserts a pending row and runs `stage` (which keeps its original) in the
 * same transaction, so no worker sees a row without its file; the workers of
 * every server process are notified at commit.
 */
export async function insertPendingMedia(sql: Sql, media: NewMedia, stage: (id: string) => Promise<void>): Promise<MediaRow> {
  return sql.begin(async (tx) => {
    const { image } = media;
    const [inserted] = await tx<MediaRow[]>`
      INSERT INTO media AS m (user_id, kind, status, original_name, mime_type, byte_size, width, height, sha256)
      VALUES (${media.userId}, ${media.kind}, 'pending', ${media.originalName}, ${image.mimeType}, ${media.byteSize},
              ${image.width}, ${image.height}, ${media.sha256})
      RETURNING ${tx.unsafe(COLUMNS)}`;
    await stage(inserted!.id);
    await tx`SELECT pg_notify(${MEDIA_JOBS_CHANNEL}, ${inserted!.id})`;
    return inserted!;
  });
}

/** The user's media, newest first, in pages. */
export async function listMedia(sql: Db, userId: string, options: { kind?: AcceptedKind; cursor?: Cursor; limit: number }): Promise<MediaRow[]> {
  return sql<MediaRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM media m WHERE m.user_id = ${userId}
      ${options.kind ? sql`AND m.kind = ${options.kind}` : sql``}
      ${afterCursor(sql, options.cursor, options.limit, 'm')}`;
}

// Media belong to a user like tours do: the same owner-or-admin rule, on the media row.
export async function findMedia(sql: Db, caller: AuthUser, id: string): Promise<MediaRow | undefined> {
  const [row] = await sql<MediaRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM media m WHERE m.id = ${id} AND ${ownsTour(sql, caller, 'm')}`;
  return row;
}

/** A media row (or one that was) and the keys of the stored files it referenced. */
export interface MediaFiles {
  id: string;
  keys: string[];
}

/**
 * Deletes a media row and returns the files it referenced. The row is locked
 * first: a worker referencing a file for it holds the row until that
 * reference commits, so the references read here are all there will be.
 */
export async function deleteMedia(sql: Sql, id: string): Promise<MediaFiles> {
  return sql.begin(async (tx) => {
    await tx`SELECT 1 FROM media WHERE id = ${id} FOR UPDATE`;
    const refs = await tx<{ key: string }[]>`DELETE FROM media_file_refs WHERE media_id = ${id} RETURNING key`;
    await tx`DELETE FROM media WHERE id = ${id}`;
    return { id, keys: refs.map((ref) => ref.key) };
  });
}

/**
 * The files of a user's media, read before the account goes (the rows and
 * their references go with it, by cascade). A file a worker references in
 * between is left unreferenced, for the sweep.
 */
export function filesOfUser(sql: Db, userId: string): Promise<MediaFiles[]> {
  return sql<MediaFiles[]>`
    SELECT m.id, coalesce(array_agg(r.key) FILTER (WHERE r.key IS NOT NULL), '{}') AS keys
    FROM media m LEFT JOIN media_file_refs r ON r.media_id = m.id
    WHERE m.user_id = ${userId} GROUP BY m.id`;
}

/**
 * Removes the stored file `key` with `remove` when no media row references
 * it, and forgets it; resolves to whether it did. Its row is created when
 * missing (a file stored after its reference went) and held FOR UPDATE from
 * before the references are read until commit: a reference waits for that
 * lock (referenceFile), so none appears between the check and the removal,
 * and one inserted after commit re-creates the row and stores the file again.
 */
export async function removeIfUnreferenced(sql: Sql, key: string, remove: () => Promise<void>): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`INSERT INTO media_files (key) VALUES (${key}) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key`;
    await tx`SELECT 1 FROM media_files WHERE key = ${key} FOR UPDATE`;
    // A statement of its own: it sees every reference committed before the lock was granted.
    const [referenced] = await tx`SELECT 1 FROM media_file_refs WHERE key = ${key} LIMIT 1`;
    if (referenced) return false;
    await remove();
    await tx`DELETE FROM media_files WHERE key = ${key}`;
    return true;
  });
}

/** Keys of stored files no media row references (left by an interrupted removal), at most `limit`. */
export async function unreferencedFiles(sql: Db, limit: number): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    SELECT f.key FROM media_files f WHERE NOT EXISTS (SELECT 1 FROM media_file_refs r WHERE r.key = f.key) LIMIT ${limit}`;
  return rows.map((row) => row.key);
}

export interface MediaClaim {
  id: string;
  kind: AcceptedKind;
  /** This claim included. */
  attempts: number;
}

/** The media rows as a queue for the job runner. */
export const MEDIA_QUEUE: JobQueue = { table: 'media', channel: MEDIA_JOBS_CHANNEL, returning: 'j.id, j.kind, j.attempts' };

const renewLease = (sql: Db, lease: Lease) => renewQueueLease(sql, MEDIA_QUEUE, lease);

export async function setProgress(sql: Sql, lease: Lease, percent: number): Promise<void> {
  await sql`UPDATE media SET progress = ${percent} WHERE id = ${lease.id} AND lease_owner = ${lease.owner}`;
}

/**
 * Makes the leased row reference the stored file `key` (renewing the lease),
 * before the file is written: from the commit on, no removal takes the file
 * while the row exists. The file's row is locked as a removal locks it, so
 * the two take turns. False when the row is no longer held by the lease.
 */
export async function referenceFile(sql: Sql, lease: Lease, key: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    if (!(await renewLease(tx, lease))) return false;
    await tx`INSERT INTO media_files (key) VALUES (${key}) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key`;
    await tx`INSERT INTO media_file_refs (media_id, key) VALUES (${lease.id}, ${key}) ON CONFLICT DO NOTHING`;
    return true;
  });
}

/**
 * Ends the leased row ready with `variants`, which show the files in `keys`;
 * drops its references to files of earlier attempts that these do not use
 * and returns them (undefined when the row is no longer held by the lease).
 */
export async function markReady(sql: Sql, lease: Lease, variants: object, keys: string[]): Promise<string[] | undefined> {
  return sql.begin(async (tx) => {
    const [ready] = await tx`
      UPDATE media SET status = 'ready', progress = 100, variants = ${tx.json(variants as never)}, error = NULL,
                       lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
    if (!ready) return undefined;
    const stale = await tx<{ key: string }[]>`
      DELETE FROM media_file_refs WHERE media_id = ${lease.id} AND key <> ALL (${keys}::text[]) RETURNING key`;
    return stale.map((ref) => ref.key);
  });
}

/** Ends the leased row failed with `reason`; drops and returns its references (undefined when no longer held). */
export async function markFailed(sql: Sql, lease: Lease, reason: string): Promise<string[] | undefined> {
  return sql.begin(async (tx) => {
    const [failed] = await tx`
      UPDATE media SET status = 'failed', error = ${reason}, variants = '{}', lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
    if (!failed) return undefined;
    const refs = await tx<{ key: string }[]>`DELETE FROM media_file_refs WHERE media_id = ${lease.id} RETURNING key`;
    return refs.map((ref) => ref.key);
  });
}

export async function mediaExists(sql: Db, id: string): Promise<boolean> {
  return (await sql`SELECT 1 FROM media WHERE id = ${id}`).length > 0;
}

/** Which of `ids` are rows still to be processed. */
export async function dueAmong(sql: Db, ids: string[]): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    SELECT id FROM media WHERE id = ANY(${ids}::uuid[]) AND status IN ('pending', 'processing')`;
  return new Set(rows.map((row) => row.id));
}
