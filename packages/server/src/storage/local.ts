import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_KEY, type Storage } from './storage.js';

const MEDIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Content-addressed files under one folder (DATA_DIR/media), served by app.ts
 * at `baseUrl`. Staged originals go to its `.staging` folder: the static
 * handler serves no dot-folder, and a rename there from the upload's
 * temporary file is instant when both are on one disk.
 */
export class LocalStorage implements Storage {
  private readonly stagingRoot: string;

  constructor(
    private readonly root: string,
    private readonly baseUrl = '/media',
  ) {
    this.stagingRoot = path.join(root, '.staging');
  }

  private file(key: string): string {
    // Keys are made by contentKey; anything else could escape the folder.
    if (!CONTENT_KEY.test(key)) throw new Error(`not a content key: ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.file(key);
    if (await stat(target).then(() => true, () => false)) return;
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a reader never sees half a file, and a crash leaves no partial one under its key.
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readFile(this.file(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }

  async delete(key: string): Promise<void> {
    await unlink(this.file(key)).catch(ignoreMissing);
  }

  url(key: string): string {
    return `${this.baseUrl}/${key}`;
  }

  private stagingFile(id: string): string {
    if (!MEDIA_ID.test(id)) throw new Error(`not a media id: ${id}`);
    return path.join(this.stagingRoot, id);
  }

  async stage(id: string, file: string): Promise<void> {
    const target = this.stagingFile(id);
    await mkdir(this.stagingRoot, { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    // Another disk (the temporary folder often is one) cannot rename: copy instead.
    await rename(file, temporary).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV') throw error;
      await copyFile(file, temporary);
    });
    await rename(temporary, target);
  }

  async stagedFile(id: string): Promise<string | undefined> {
    const file = this.stagingFile(id);
    return (await stat(file).then(() => true, () => false)) ? file : undefined;
  }

  async unstage(id: string): Promise<void> {
    await unlink(this.stagingFile(id)).catch(ignoreMissing);
  }

  async stagedBefore(olderThanMs: number): Promise<string[]> {
    const names = await readdir(this.stagingRoot).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const cutoff = Date.now() - olderThanMs;
    const ids: string[] = [];
    for (const name of names) {
      const file = path.join(this.stagingRoot, name);
      const modified = await stat(file).then((info) => info.mtimeMs, () => undefined);
      if (modified === undefined || modified > cutoff) continue;
      if (MEDIA_ID.test(name)) ids.push(name);
      // `stage` writes aside and renames: an old `.tmp` is a staging that never finished.
      else if (name.endsWith('.tmp')) await unlink(file).catch(ignoreMissing);
    }
    return ids;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
