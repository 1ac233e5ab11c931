import type { Sql } from '@vr-tour/db';
import type { Storage } from '../storage/storage.js';
import { removeIfUnreferenced, type MediaFiles } from './sql.js';

/**
 * Removes each stored file in `keys` that no media row references any more.
 * Outputs are content-addressed: two rows (of any accounts) whose processing
 * made the same bytes share a file, and it stays while either references it.
 * Resolves to how many were removed.
 */
export async function releaseFiles(sql: Sql, storage: Storage, keys: Iterable<string>): Promise<number> {
  let removed = 0;
  for (const key of new Set(keys)) {
    if (await removeIfUnreferenced(sql, key, () => storage.delete(key))) removed += 1;
  }
  return removed;
}

/** Removes the files of media rows that are already deleted, so nothing of theirs stays stored or reachable under /media. */
export async function removeFiles(sql: Sql, storage: Storage, rows: MediaFiles[]): Promise<void> {
  for (const row of rows) await storage.unstage(row.id);
  await releaseFiles(sql, storage, rows.flatMap((row) => row.keys));
}
