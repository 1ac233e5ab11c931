import type { Db } from '@vr-tour/db';
import { keyFromUrl, type Storage } from '../storage/storage.js';

/**
 * What a media row's files are known by: its staged original (by id), its
 * source's hash, the URLs its variants point at, and the keys processing wrote.
 */
export interface MediaFiles {
  id: string;
  sha256: string | null;
  variants: Record<string, unknown>;
  written_keys: string[];
}

/** Every storage key a row's variants point at. */
function variantKeys(storage: Storage, variants: Record<string, unknown>): string[] {
  const urls = [variants.previewUrl, variants.thumbnailUrl, variants.url, ...((variants.levels as { url: string }[] | undefined) ?? []).map((level) => level.url)];
  return urls.flatMap((url) => (typeof url === 'string' ? (keyFromUrl(storage, url) ?? []) : []));
}

/** The files of a user's media, read before the account goes (the rows go with it, by cascade). */
export function filesOfUser(sql: Db, userId: string): Promise<MediaFiles[]> {
  return sql<MediaFiles[]>`SELECT id, sha256, variants, written_keys FROM media WHERE user_id = ${userId}`;
}

/**
 * Removes outputs made from the source `sha256`. Identical sources make
 * identical (content-addressed) files: those stay while a ready row has the same source.
 */
export async function removeOutputs(sql: Db, storage: Storage, sha256: string | null, keys: Iterable<string>): Promise<void> {
  const [shared] = sha256 ? await sql`SELECT 1 FROM media WHERE sha256 = ${sha256} AND status = 'ready' LIMIT 1` : [];
  if (!shared) await Promise.all([...new Set(keys)].map((key) => storage.delete(key)));
}

/** Removes the files of media rows that are already deleted, so nothing of theirs stays stored or reachable under /media. */
export async function removeFiles(sql: Db, storage: Storage, rows: MediaFiles[]): Promise<void> {
  for (const row of rows) {
    await storage.unstage(row.id);
    await removeOutputs(sql, storage, row.sha256, [...variantKeys(storage, row.variants), ...row.written_keys]);
  }
}
