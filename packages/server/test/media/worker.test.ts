import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '@vr-tour/db';
import type { TestDatabase } from '@vr-tour/db/testing';
import { tourDocumentSchema } from '@vr-tour/protocol';
import type { MediaWorker, MediaWorkerOptions } from '../../src/media/worker.js';
import { LocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/storage.js';
import type { RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';
import { filesUnder, panorama, until, uploadTo, workerBench, type WorkerBench } from './support.js';

let bench: WorkerBench;
let db: TestDatabase;
let app: RunningApp;
let mediaDir: string;
let storage: Storage;
let me: TestCaller;
let call: WorkerBench['call'];

beforeAll(async () => {
  // Each test runs the workers it is about; the app only receives uploads.
  bench = await workerBench('worker');
  ({ db, app, mediaDir, storage, call } = bench);
  me = await createUserWithToken(db.sql);
  // Test-only record of every claim (one per pipeline run started), by which worker and as which attempt.
  await db.sql.unsafe(`
    CREATE TABLE claims_seen (seq bigserial PRIMARY KEY, media_id uuid, owner text, attempts smallint);
    CREATE FUNCTION record_claim() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO claims_seen (media_id, owner, attempts) VALUES (NEW.id, NEW.lease_owner, NEW.attempts); RETURN NULL; END $$;
    CREATE TRIGGER record_claim AFTER UPDATE OF attempts ON media FOR EACH ROW
      WHEN (NEW.attempts > OLD.attempts) EXECUTE FUNCTION record_claim();`);
});
afterAll(() => bench.close());

const worker: WorkerBench['worker'] = (...args) => bench.worker(...args);

/**
 * A worker whose process dies right after it stored its first output: its
 * database connections go away mid-job, exactly what PostgreSQL sees of a
 * killed process, so its lease (short here) is never renewed or released.
 */
function dyingWorker(options: Partial<MediaWorkerOptions> = {}): { worker: MediaWorker; died: Promise<void> } {
  const sql = createSql(db.url, { max: 3 });
  let died!: () => void;
  const diedPromise = new Promise<void>((resolve) => (died = resolve));
  const dying: Storage = {
    put: async (key, data, contentType) => {
      await storage.put(key, data, contentType);
      await sql.end({ timeout: 0 });
      died();
    },
    get: (key) => storage.get(key),
    delete: (key) => storage.delete(key),
    url: (key) => storage.url(key),
    stage: (id, file) => storage.stage(id, file),
    stagedFile: (id) => storage.stagedFile(id),
    unstage: (id) => storage.unstage(id),
    stagedBefore: (ms) => storage.stagedBefore(ms),
  };
  return { worker: worker({ leaseMs: 300, ...options }, dying, sql).start(), died: diedPromise };
}

interface Row {
  status: string;
  progress: number;
  error: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  variants: any;
}
const row = async (id: string) => (await db.sql<Row[]>`SELECT * FROM media WHERE id = ${id}`)[0]!;
/** The storage keys of the files the row references. */
const references = async (id: string) =>
  (await db.sql<{ key: string }[]>`SELECT key FROM media_file_refs WHERE media_id = ${id} ORDER BY key`).map((ref) => ref.key);
const keyOf = (url: string) => url.slice('/media/'.length);
const finished = (id: string) => until(`media ${id} finished`, async () => {
  const current = await row(id);
  return (current.status === 'ready' || current.status === 'failed') && current;
});
const claims = async (id: string) => db.sql<{ owner: string; attempts: number }[]>`SELECT owner, attempts FROM claims_seen WHERE media_id = ${id} ORDER BY seq`;

async function accept(source: Buffer, caller: TestCaller = me): Promise<string> {
  const response = await uploadTo(app.url, caller.authHeader, source, 'room.jpg');
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** Uploads to a spawned server process and waits until that process is working on it (past its first progress step). */
async function uploadedAndProcessing(server: ServerProcess, source: Buffer): Promise<string> {
  const response = await uploadTo(server.url, me.authHeader, source, 'large.jpg');
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await until('the server process is processing it', async () => {
    const current = await row(id);
    return current.lease_owner?.includes(`:${server.child.pid}:`) && current.progress > 0;
  });
  return id;
}

describe('processing survives the process that started it', () => {
  it('a job whose process died mid-way is finished by another worker once its lease ran out; the tour document lists its levels', async () => {
    const id = await accept(await panorama(2048, 1024, 'jpeg', 1));
    const dying = dyingWorker();
    await dying.died;
    await dying.worker.stop();
    const orphaned = await row(id);
    expect(orphaned).toMatchObject({ status: 'processing', attempts: 1, lease_owner: dying.worker.owner });
    // The file it stored is referenced by the row, so a failure later would remove it.
    expect(await references(id)).toHaveLength(1);
    expect(await storage.stagedFile(id)).toBeDefined();

    const survivor = worker().start();
    const media = await finished(id);
    expect(media).toMatchObject({ status: 'ready', progress: 100, attempts: 2, lease_owner: null });
    const urls: string[] = [media.variants.previewUrl, media.variants.thumbnailUrl, ...media.variants.levels.map((level: any) => level.url)];
    // Ready, the row references exactly the files its variants show.
    expect(await references(id)).toEqual(urls.map(keyOf).sort());
    expect(await claims(id)).toEqual([
      { owner: dying.worker.owner, attempts: 1 },
      { owner: survivor.owner, attempts: 2 },
    ]);
    expect(media.variants.levels.map((level: any) => [level.width, level.height, level.format])).toEqual([
      [2048, 1024, 'webp'],
      [2048, 1024, 'jpeg'],
    ]);
    for (const url of [media.variants.previewUrl, media.variants.thumbnailUrl, ...media.variants.levels.map((level: any) => level.url)]) {
      expect((await fetch(`${app.url}${url}`)).status).toBe(200);
    }
    // The original is not needed once the outputs exist.
    expect(await storage.stagedFile(id)).toBeUndefined();

    const tour = (await call('POST', '/api/v1/tours', { title: 'Survivor', visibility: 'public' }, me.authHeader)).body;
    await call('POST', '/api/v1/scenes', { tourId: tour.id, title: 'Hall', mediaId: id }, me.authHeader);
    expect((await call('POST', `/api/v1/tours/${tour.id}/publish`, undefined, me.authHeader)).status).toBe(200);
    const document = tourDocumentSchema.parse((await call('GET', `/api/v1/public/tours/${tour.id}`)).body);
    expect(document.scenes[0]!.panorama.levels).toEqual(media.variants.levels);
    await survivor.stop();
  });

  it('a file stored by an attempt in another format is removed once a later attempt ends the row ready without it', async () => {
    const before = await filesUnder(mediaDir);
    const id = await accept(await panorama(1024, 512, 'jpeg', 8));
    // The first process was configured for AVIF; it stored its first level and died.
    const dying = dyingWorker({ format: 'avif' });
    await dying.died;
    await dying.worker.stop();
    const [avif] = await references(id);
    expect(avif).toMatch(/\.avif$/);
    expect(await filesUnder(mediaDir)).toContain(path.basename(avif!));

    const survivor = worker().start();
    const media = await finished(id);
    expect(media.status).toBe('ready');
    const urls: string[] = [media.variants.previewUrl, media.variants.thumbnailUrl, ...media.variants.levels.map((level: any) => level.url)];
    expect(urls.filter((url) => url.endsWith('.avif'))).toEqual([]);
    expect(await references(id)).toEqual(urls.map(keyOf).sort());
    // The original goes last, after the files no longer used.
    await until('the original is removed', async () => (await storage.stagedFile(id)) === undefined);
    const after = await filesUnder(mediaDir);
    expect(after).not.toContain(path.basename(avif!));
    expect(after.filter((name) => !before.includes(name)).sort()).toEqual(urls.map((url) => path.basename(url)).sort());
    await survivor.stop();
  });

  it('two workers on one database process every upload exactly once', async () => {
    const [first, second] = [worker().start(), worker().start()];
    const ids = [];
    for (let variant = 2; variant < 8; variant += 1) ids.push(await accept(await panorama(1024, 512, 'jpeg', variant)));
    for (const id of ids) {
      expect(await finished(id)).toMatchObject({ status: 'ready', attempts: 1 });
      const [only, ...more] = await claims(id);
      expect(more).toEqual([]);
      expect([first.owner, second.owner]).toContain(only!.owner);
    }
    await Promise.all([first.stop(), second.stop()]);
  });

  it('a worker stopped mid-job hands the row back, not counted as an attempt, and the next worker finishes it', async () => {
    let entered!: () => void;
    const inPut = new Promise<void>((resolve) => (entered = resolve));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    // Holds the job inside its first write, so the stop certainly comes mid-job.
    const held: Storage = Object.assign(Object.create(storage) as Storage, {
      put: async (key: string, data: Buffer, contentType: string) => {
        entered();
        await gate;
        return storage.put(key, data, contentType);
      },
    });
    const stopping = worker({}, held).start();
    const id = await accept(await panorama(1024, 512, 'jpeg', 9));
    await inPut;
    // The staged original is kept out of the served files.
    expect((await fetch(`${app.url}/media/.staging/${id}`)).status).toBe(404);
    // A process starting meanwhile finds nothing to take: the row is leased and live.
    expect(await worker().claim()).toBeUndefined();
    expect(await row(id)).toMatchObject({ status: 'processing', lease_owner: stopping.owner });
    await stopping.stop(0);
    expect(await row(id)).toMatchObject({ status: 'pending', progress: 0, attempts: 0, lease_owner: null, lease_expires_at: null });
    letGo();

    const next = worker().start();
    expect(await finished(id)).toMatchObject({ status: 'ready', attempts: 1 });
    expect((await claims(id)).map((claim) => claim.owner)).toEqual([stopping.owner, next.owner]);
    await next.stop();
  });

  it('SIGTERM to a server process while it processes leaves no row stuck: it finishes in the grace or another process does', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-worker-server-'));
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off' });
    try {
      const id = await uploadedAndProcessing(server, await panorama(4096, 2048, 'jpeg', 10));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const left = await row(id);
      // Either done within the shutdown grace, or handed back for the next process: never leased by the dead one.
      expect(left.lease_owner).toBeNull();
      expect(['ready', 'pending']).toContain(left.status);

      const next = worker({}, new LocalStorage(path.join(dataDir, 'media'))).start();
      const media = await finished(id);
      expect(media).toMatchObject({ status: 'ready', attempts: 1 });
      expect(media.variants.levels.map((level: any) => level.width)).toEqual([2048, 2048, 4096, 4096]);
      await next.stop();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('a server process killed (SIGKILL) mid-job leaves its staged original; another server process finishes the job after the lease', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-worker-killed-'));
    const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off' };
    const killed = await spawnServer(env);
    let next: ServerProcess | undefined;
    try {
      const id = await uploadedAndProcessing(killed, await panorama(8192, 4096, 'jpeg', 11));
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(await row(id)).toMatchObject({ status: 'processing', attempts: 1 });
      expect(await new LocalStorage(path.join(dataDir, 'media')).stagedFile(id)).toBeDefined();

      next = await spawnServer(env);
      const media = await finished(id);
      expect(media).toMatchObject({ status: 'ready', attempts: 2, lease_owner: null });
      expect((await claims(id)).map((claim) => claim.owner.split(':')[1])).toEqual([String(killed.child.pid), String(next.child.pid)]);
      expect(media.variants.levels.map((level: any) => level.width)).toEqual([2048, 2048, 4096, 4096, 8192, 8192]);
      for (const level of media.variants.levels) expect((await fetch(`${next.url}${level.url}`)).status).toBe(200);
    } finally {
      if (killed.child.exitCode === null && killed.child.signalCode === null) killed.child.kill('SIGKILL');
      if (next) {
        next.child.kill('SIGTERM');
        await next.exited;
      }
    }
  });
});

describe('bounded retries', () => {
  it('a row whose process dies on every attempt ends failed with the reason, and leaves no stored outputs', async () => {
    const before = await filesUnder(mediaDir);
    const id = await accept(await panorama(1024, 512, 'jpeg', 20));
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const dying = dyingWorker();
      await dying.died;
      await dying.worker.stop();
      expect(await row(id)).toMatchObject({ status: 'processing', attempts: attempt });
    }
    // Every attempt wrote the same first (content-addressed) output before dying.
    expect(await references(id)).toHaveLength(1);
    expect((await filesUnder(mediaDir)).length).toBe(before.length + 2);

    const last = worker().start();
    const media = await finished(id);
    expect(media).toMatchObject({ status: 'failed', attempts: 4, variants: {}, lease_owner: null });
    expect(media.error).toMatch(/started 3 times and never finished/);
    expect((await call('GET', `/api/v1/media/${id}`, undefined, me.authHeader)).body).toMatchObject({ status: 'failed', error: media.error });
    // The worker removes the files after the row's final update, its original last.
    await until('the original is removed', async () => (await storage.stagedFile(id)) === undefined);
    expect(await references(id)).toEqual([]);
    expect(await filesUnder(mediaDir)).toEqual(before);
    await last.stop();
  });

  it('a row whose original was never staged (left by a version that kept it in memory) ends failed, saying so', async () => {
    const [legacy] = await db.sql<{ id: string }[]>`
      INSERT INTO media (user_id, kind, status, width, height) VALUES (${me.userId}, 'panorama', 'pending', 2048, 1024) RETURNING id`;
    const sweeper = worker().start();
    const media = await finished(legacy!.id);
    expect(media).toMatchObject({ status: 'failed', attempts: 1 });
    expect(media.error).toMatch(/original upload is no longer stored/);
    await sweeper.stop();
  });
});

describe('the staging sweep', () => {
  it('removes old staged originals that no pending row will process, and old interrupted stagings; keeps the rest', async () => {
    const stagingDir = path.join(mediaDir, '.staging');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const stageFile = async (id: string, age?: Date) => {
      const file = path.join(mediaDir, `upload-${id}`);
      await writeFile(file, 'original bytes');
      await storage.stage(id, file);
      if (age) await utimes(path.join(stagingDir, id), age, age);
    };
    const [waiting] = await db.sql<{ id: string }[]>`
      INSERT INTO media (user_id, kind, status, original_name, mime_type, byte_size, width, height)
      VALUES (${me.userId}, 'panorama', 'pending', 'lobby.jpg', 'image/jpeg', 14, 2, 1) RETURNING id`;
    const orphan = randomUUID();
    const young = randomUUID();
    await stageFile(waiting!.id, twoHoursAgo);
    await stageFile(orphan, twoHoursAgo);
    await stageFile(young);
    const interrupted = path.join(stagingDir, `${randomUUID()}.abc123.tmp`);
    await writeFile(interrupted, 'half a copy');
    await utimes(interrupted, twoHoursAgo, twoHoursAgo);

    // Not started: no job may claim the pending row while the sweep is looked at.
    expect(await worker().sweepStaging()).toBe(1);
    const left = await readdir(stagingDir);
    expect(left).toEqual(expect.arrayContaining([waiting!.id, young]));
    expect(left).not.toContain(orphan);
    expect(left).not.toContain(path.basename(interrupted));
    expect(await storage.stagedFile(waiting!.id)).toBeDefined();
    await db.sql`DELETE FROM media WHERE id = ${waiting!.id}`;
    await storage.unstage(waiting!.id);
    await storage.unstage(young);
  });
});
