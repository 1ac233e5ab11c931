import type { Db } from '../tours/access.js';
import { keyFromUrl, type Storage } from '../storage/storage.js';

/** What a media row's files are known by: its source's hash and the URLs its variants point at. */
export interface MediaFiles {
  sha256: string | null;
  variants: Record<string, unknown>;
}

/** Every storage key a row's variants point at. */
function variantKeys(storage: Storage, variants: Record<string, unknown>): string[] {
  const urls = [variants.previewUrl, variants.thumbnailUrl, variants.url, ...((variants.levels as { url: string }[] | undefined) ?? []).map((level) => level.url)];
  return urls.flatMap((url) => (typeof url === 'string' ? (keyFromUrl(storage, url) ?? []) : []));
}

/** The files of a user's media, read before the account goes (the rows go with it, by cascade). */
export function filesOfUser(sql: Db, userId: string): Promise<MediaFiles[]> {
  return sql<MediaFiles[]>`SELECT sha256, variants FROM media WHERE user_id = ${userId}`;
}

/**
 * Removes the files of media rows that are already deleted, so nothing of
 * theirs stays reachable under /media. Identical sources make identical
 * (content-addressed) files: those stay while another ready row has the same source.
 */
export async function removeFiles(sql: Db, storage: Storage, rows: MediaFiles[]): Promise<void> {
  for (const row of rows) {
    const [shared] = row.sha256 ? await sql`SELECT 1 FROM media WHERE sha256 = ${row.sha256} AND status = 'ready' LIMIT 1` : [];
    if (!shared) await Promise.all(variantKeys(storage, row.variants).map((key) => storage.delete(key)));
  }
}
