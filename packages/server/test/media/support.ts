import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createSql, type Sql } from '@vr-tour/db';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { loadConfig } from '../../src/config.js';
import { MediaWorker, type MediaWorkerOptions } from '../../src/media/worker.js';
import { LocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/storage.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { apiCaller } from '../support/editor.js';

/**
 * A real equirectangular-shaped image: a gradient sky over a darker floor,
 * with some shapes; `variant` moves the sun, so sources differ by content
 * (while it is in view: from -29 to 9; beyond, the images are the same).
 */
export function panorama(width: number, height: number, format: 'jpeg' | 'png' = 'jpeg', variant = 0): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a7bd5"/><stop offset="1" stop-color="#d6c7a1"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="${width / 4}" y="${height / 2}" width="${width / 8}" height="${height / 4}" fill="#804020"/>
    <circle cx="${(width * (3 + variant / 10)) / 4}" cy="${height / 3}" r="${height / 10}" fill="#ffee88"/></svg>`;
  const image = sharp(Buffer.from(svg));
  return (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
}

/** Posts `data` as the one file of a multipart upload to /api/v1/media. */
export function uploadTo(baseUrl: string, headers: Record<string, string>, data: Buffer, name: string, fields: Record<string, string> = {}, type = 'image/jpeg') {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return fetch(`${baseUrl}/api/v1/media`, { method: 'POST', body: form, headers });
}

/** Polls `check` until it gives a value; fails naming `what` after two minutes of polling. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    const result = await check();
    if (result) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

/** The names of every file under `folder`, staged originals included. */
export async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/** A test database and the app on it, with its own media folder, for tests that run the media workers they are about. */
export interface WorkerBench {
  db: TestDatabase;
  /** Receives uploads and deletions; its own worker is stopped. */
  app: RunningApp;
  mediaDir: string;
  storage: Storage;
  call: ReturnType<typeof apiCaller>;
  /** A connection pool of its own, ended by `close`. */
  pool(): Sql;
  /** A worker (not started) on a pool of its own, as another server process would have; stopped by `close`. */
  worker(options?: Partial<MediaWorkerOptions>, on?: Storage, sql?: Sql): MediaWorker;
  close(): Promise<void>;
}

export async function workerBench(name: string): Promise<WorkerBench> {
  const db = await createTestDatabase();
  const mediaDir = await mkdtemp(path.join(tmpdir(), `vr-tour-${name}-test-`));
  const app = await startTestApp(db.sql, { mediaDir, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  await app.mediaWorker.stop();
  const storage = new LocalStorage(mediaDir);
  const workers: MediaWorker[] = [];
  const pools: Sql[] = [];
  const pool = () => {
    const sql = createSql(db.url, { max: 3 });
    pools.push(sql);
    return sql;
  };
  return {
    db,
    app,
    mediaDir,
    storage,
    call: apiCaller(app.url),
    pool,
    worker(options = {}, on = storage, sql = pool()) {
      const created = new MediaWorker(sql, on, { maxPixels: 16_384 * 8_192, format: 'webp', leaseMs: 30_000, pollMs: 50, ...options });
      workers.push(created);
      return created;
    },
    async close() {
      for (const worker of workers) await worker.stop();
      await app.close();
      for (const sql of pools) await sql.end({ timeout: 1 });
      await db.drop();
    },
  };
}
