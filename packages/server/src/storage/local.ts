import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_KEY, type Storage } from './storage.js';

/** Content-addressed files under one folder (DATA_DIR/media), served by app.ts at `baseUrl`. */
export class LocalStorage implements Storage {
  constructor(
    private readonly root: string,
    private readonly baseUrl = '/media',
  ) {}

  private file(key: string): string {
    // Keys are made by contentKey; anything else could escape the folder.
    if (!CONTENT_KEY.test(key)) throw new Error(`not a content key: ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, data: Buffer): Promise<boolean> {
    const target = this.file(key);
    if (await stat(target).then(() => true, () => false)) return false;
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a reader never sees half a file, and a crash leaves no partial one under its key.
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
    return true;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readFile(this.file(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }

  async delete(key: string): Promise<void> {
    await unlink(this.file(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  url(key: string): string {
    return `${this.baseUrl}/${key}`;
  }
}
