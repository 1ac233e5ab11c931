import { createHash } from 'node:crypto';

/**
 * Where media files live. Keys are content addresses (the hash of the bytes),
 * so a file never changes once written: it can be cached forever and written
 * twice without harm. Media rows of any account may share a file; they
 * reference it in the database (media/sql.ts), and it is removed only once
 * none does. LocalStorage implements it on disk; an S3-compatible
 * store implements the same calls (PutObject, GetObject, DeleteObject, a URL
 * on its bucket or CDN, and the staging calls on a private prefix).
 *
 * Besides the served files, it keeps each upload's original from the upload's
 * answer until processing is over ("staging", by media id, never served), so
 * any server process can process it, also after the one that received it stopped.
 */
export interface Storage {
  /** Stores the bytes under `key`, unless they are already there. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  /** Removes the file; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** The URL a browser fetches the file at. */
  url(key: string): string;
  /** Keeps the local file `file` as media `id`'s original; the file may be moved away. */
  stage(id: string, file: string): Promise<void>;
  /** A local file to read media `id`'s original from, or undefined when none is staged. */
  stagedFile(id: string): Promise<string | undefined>;
  /** Removes media `id`'s original; a missing one is not an error. */
  unstage(id: string): Promise<void>;
  /**
   * Ids of the originals staged (last written) more than `olderThanMs` ago,
   * for the sweep of those whose processing will never come; leftovers of
   * stagings cut short that long ago are removed on the way.
   */
  stagedBefore(olderThanMs: number): Promise<string[]>;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/png': 'png',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'video/webm': 'webm',
  'video/mp4': 'mp4',
};

/** The shape of every key contentKey makes. */
export const CONTENT_KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,4}$/;

/** The content address of some bytes: a two-character fan-out folder keeps directories small. */
export function contentKey(data: Buffer, contentType: string): string {
  const hash = createHash('sha256').update(data).digest('hex');
  return `${hash.slice(0, 2)}/${hash}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/** The key behind one of this storage's URLs, or undefined for any other URL. */
export function keyFromUrl(storage: Storage, url: string): string | undefined {
  const prefix = storage.url('');
  const key = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
  return key !== undefined && CONTENT_KEY.test(key) ? key : undefined;
}
