import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '@vr-tour/db';
import { createTestDatabase } from '@vr-tour/db/testing';
import { tourDocumentSchema } from '@vr-tour/protocol';
import { removeFiles } from '../../src/media/files.js';
import { deleteMedia } from '../../src/media/sql.js';
import { CONTENT_KEY, type Storage } from '../../src/storage/storage.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { panorama, until, uploadTo, workerBench } from './support.js';

/*
 * Outputs are named by the hash of their bytes, so two uploads with the same
 * pixels in different files (a re-export, bytes appended after the JPEG's
 * end) share every output file. These tests hold that one row's deletion
 * never takes a file another row still shows, whatever the interleaving.
 */

// Each test runs the workers it is about; the app receives uploads and deletions.
const bench = await workerBench('shared-files');
const { db, app, mediaDir, storage, call } = bench;
afterAll(() => bench.close());

/** A started worker that never sweeps by itself (a test calls sweepFiles), so the only removals are those a test makes. */
const worker = (on: Storage = storage) => bench.worker({ sweepEveryMs: Infinity }, on).start();

/**
 * `on`, except that the first call of `method` waits inside until `open()`:
 * `inside` resolves with the key it was called with once it is there.
 */
function gated(on: Storage, method: 'put' | 'delete') {
  let entered!: (key: string) => void;
  const inside = new Promise<string>((resolve) => (entered = resolve));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let first = true;
  const wrapped = Object.assign(Object.create(on) as Storage, {
    [method]: async (key: string, ...rest: [Buffer, string]) => {
      if (first) {
        first = false;
        entered(key);
        await gate;
      }
      return (on[method] as (key: string, ...rest: unknown[]) => Promise<void>)(key, ...rest);
    },
  });
  return { storage: wrapped, inside, open };
}

/** The same pixels in a different file: 16 bytes after the JPEG's end marker, which decoders ignore. */
const reExported = (jpeg: Buffer) => Buffer.concat([jpeg, randomBytes(16)]);

async function accept(source: Buffer, caller: TestCaller): Promise<string> {
  const response = await uploadTo(app.url, caller.authHeader, source, 'room.jpg');
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const status = async (id: string) => (await db.sql<{ status: string }[]>`SELECT status FROM media WHERE id = ${id}`)[0]?.status;

const STEPS = ['pending', 'processing', 'ready'];
/** Waits until the row is at `step` or past it (a small upload may pass a step between two looks). */
const reached = (id: string, step: 'pending' | 'processing') =>
  until(`media ${id} ${step}`, async () => STEPS.indexOf((await status(id))!) >= STEPS.indexOf(step));

async function ready(id: string): Promise<any> {
  const [row] = await until(`media ${id} ready`, async () => {
    const rows = await db.sql<{ status: string; error: string | null; variants: any }[]>`SELECT status, error, variants FROM media WHERE id = ${id}`;
    if (rows[0]?.status === 'failed') throw new Error(`media ${id} failed: ${rows[0].error}`);
    return rows[0]?.status === 'ready' && rows;
  });
  return row!.variants;
}

const urlsOf = (variants: any): string[] => [variants.previewUrl, variants.thumbnailUrl, ...variants.levels.map((level: { url: string }) => level.url)];
const keyOf = (url: string) => url.slice('/media/'.length);

/** Every file a URL names answers 200 with bytes whose hash is its name. */
async function expectServed(urls: string[]): Promise<void> {
  for (const url of urls) {
    const response = await fetch(`${app.url}${url}`);
    expect(response.status, url).toBe(200);
    const hash = createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
    expect(path.basename(url)).toBe(`${hash}${path.extname(url)}`);
  }
}

const exists = (key: string) => stat(path.join(mediaDir, key)).then(() => true, () => false);

/** The content-addressed files on disk (not the staged originals). */
async function storedKeys(): Promise<string[]> {
  const names = await readdir(mediaDir, { recursive: true });
  return names.map((name) => name.split(path.sep).join('/')).filter((name) => CONTENT_KEY.test(name)).sort();
}

async function referencedKeys(): Promise<string[]> {
  return (await db.sql<{ key: string }[]>`SELECT DISTINCT key FROM media_file_refs ORDER BY key`).map((row) => row.key);
}

async function fileRows(): Promise<string[]> {
  return (await db.sql<{ key: string }[]>`SELECT key FROM media_files ORDER BY key`).map((row) => row.key);
}

/** A worker's reference to a stored file waits for that file's row lock. */
const referenceWaiting = () =>
  until('a reference waits for the removal', async () =>
    (await db.sql`
      SELECT 1 FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO media\_file%'`).length > 0);

describe('two accounts, the same pixels in different files', () => {
  it('when one deletes its upload, the other’s published tour keeps its levels, preview and thumbnail', async () => {
    const [first, second] = [await createUserWithToken(db.sql), await createUserWithToken(db.sql)];
    const original = await panorama(1024, 512, 'jpeg', -1);
    const copy = reExported(original);
    const processing = worker();
    const firstId = await accept(original, first);
    const secondId = await accept(copy, second);
    const [firstVariants, secondVariants] = [await ready(firstId), await ready(secondId)];
    const [sources] = await db.sql<{ n: number }[]>`SELECT count(DISTINCT sha256)::int AS n FROM media WHERE id IN (${firstId}, ${secondId})`;
    expect(sources!.n).toBe(2);
    // Different files, the same outputs: every output file is shared.
    expect(secondVariants).toEqual(firstVariants);

    const tour = (await call('POST', '/api/v1/tours', { title: 'Listing', visibility: 'public' }, second.authHeader)).body;
    await call('POST', '/api/v1/scenes', { tourId: tour.id, title: 'Lounge', mediaId: secondId }, second.authHeader);
    expect((await call('POST', `/api/v1/tours/${tour.id}/publish`, undefined, second.authHeader)).status).toBe(200);
    const published = tourDocumentSchema.parse((await call('GET', `/api/v1/public/tours/${tour.id}`)).body);
    const urls = [published.thumbnailUrl!, published.scenes[0]!.panorama.previewUrl!, ...published.scenes[0]!.panorama.levels.map((level) => level.url)];
    expect(urls.sort()).toEqual(urlsOf(secondVariants).sort());
    const bytes = await Promise.all(urls.map(async (url) => Buffer.from(await (await fetch(`${app.url}${url}`)).arrayBuffer())));

    expect((await call('DELETE', `/api/v1/media/${firstId}`, undefined, first.authHeader)).status).toBe(204);
    expect(await status(secondId)).toBe('ready');
    expect(tourDocumentSchema.parse((await call('GET', `/api/v1/public/tours/${tour.id}`)).body)).toEqual(published);
    for (const [index, url] of urls.entries()) {
      const response = await fetch(`${app.url}${url}`);
      expect(response.status, url).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes[index]!), url).toBe(true);
    }

    // Once the last row that shows them goes, the files go.
    expect((await call('DELETE', `/api/v1/media/${secondId}`, undefined, second.authHeader)).status).toBe(204);
    for (const url of urls) expect((await fetch(`${app.url}${url}`)).status, url).toBe(404);
    expect(await fileRows()).toEqual([]);
    expect(await storedKeys()).toEqual([]);
    await processing.stop();
  });
});

/** Two accounts; the first's upload of a picture (`variant`), processed, before the second uploads the same pixels. */
async function processedForFirst(variant: number) {
  const [first, second] = [await createUserWithToken(db.sql), await createUserWithToken(db.sql)];
  const original = await panorama(1024, 512, 'jpeg', variant);
  const plain = worker();
  const firstId = await accept(original, first);
  const firstUrls = urlsOf(await ready(firstId));
  await plain.stop();
  return { first, second, original, firstId, firstUrls };
}

/**
 * The second upload ends ready showing every file the first showed, each
 * served with its bytes, and only those are referenced and known; then the
 * second is deleted too.
 */
async function expectEveryFileKept(secondId: string, second: TestCaller, firstUrls: string[]): Promise<void> {
  const secondUrls = urlsOf(await ready(secondId));
  expect(secondUrls.sort()).toEqual(firstUrls.sort());
  await expectServed(secondUrls);
  expect(await referencedKeys()).toEqual(secondUrls.map(keyOf).sort());
  expect(await fileRows()).toEqual(secondUrls.map(keyOf).sort());
  expect((await call('DELETE', `/api/v1/media/${secondId}`, undefined, second.authHeader)).status).toBe(204);
}

describe('a deletion concurrent with processing that stores the same files', () => {
  it('a file referenced by a row still processing survives the deletion of the row that showed it', async () => {
    const { first, second, original, firstId, firstUrls } = await processedForFirst(-2);

    // The second row's worker has referenced its first output and is about to write it (the file is there already).
    const held = gated(storage, 'put');
    const processing = worker(held.storage);
    const secondId = await accept(reExported(original), second);
    const key = await held.inside;
    expect(firstUrls.map(keyOf)).toContain(key);

    expect((await call('DELETE', `/api/v1/media/${firstId}`, undefined, first.authHeader)).status).toBe(204);
    expect(await exists(key)).toBe(true);
    held.open();
    await expectEveryFileKept(secondId, second, firstUrls);
    await processing.stop();
  });

  it('a removal under way when another row references the file: the reference waits, then stores the file again', async () => {
    const { first, second, original, firstId, firstUrls } = await processedForFirst(-3);

    // The deletion's removal holds a file's row, has seen no reference, and is about to unlink it.
    const removing = gated(storage, 'delete');
    const removal = deleteMedia(db.sql, firstId).then((files) => removeFiles(db.sql, removing.storage, [files]));
    const key = await removing.inside;
    expect(await exists(key)).toBe(true);

    // The second row's worker comes to the same file, and waits for the removal's lock.
    const processing = worker();
    const secondId = await accept(reExported(original), second);
    await referenceWaiting();
    expect(await status(secondId)).toBe('processing');
    removing.open();
    await removal;
    await expectEveryFileKept(secondId, second, firstUrls);
    await processing.stop();
  });

  it('a row deleted while its worker writes: files written after the deletion’s removal go too, and its original', async () => {
    const owner = await createUserWithToken(db.sql);
    const held = gated(storage, 'put');
    const processing = worker(held.storage);
    const id = await accept(await panorama(1024, 512, 'jpeg', -4), owner);
    const key = await held.inside;
    expect(await exists(key)).toBe(false);

    // The deletion removes the (not yet written) file it referenced; the write then comes after.
    expect((await call('DELETE', `/api/v1/media/${id}`, undefined, owner.authHeader)).status).toBe(204);
    held.open();
    await until('the worker finds its row gone and removes what it wrote', async () => !(await exists(key)) && (await storedKeys()).length === 0);
    await until('its original is removed', async () => (await storage.stagedFile(id)) === undefined);
    expect(await fileRows()).toEqual([]);
    await processing.stop();
  });
});

describe('uploads and deletions interleaved by two workers', () => {
  it('never leaves a ready row without a file it shows, and leaves no unreferenced file after the sweep', { timeout: 300_000 }, async () => {
    const [first, second] = [await createUserWithToken(db.sql), await createUserWithToken(db.sql)];
    const two = [worker(), worker()];

    // Watches, all along, that every file a ready row references is on disk.
    const missing: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const refs = await db.sql<{ id: string; key: string }[]>`
          SELECT r.media_id AS id, r.key FROM media_file_refs r JOIN media m ON m.id = r.media_id WHERE m.status = 'ready'`;
        const absent: { id: string; key: string }[] = [];
        for (const ref of refs) if (!(await exists(ref.key))) absent.push(ref);
        // A row deleted since takes its files with it; one still ready must have had them all along.
        const still = await db.sql<{ id: string }[]>`
          SELECT id FROM media WHERE id = ANY(${absent.map((ref) => ref.id)}::uuid[]) AND status = 'ready'`;
        const stillReady = new Set(still.map((row) => row.id));
        missing.push(...absent.filter((ref) => stillReady.has(ref.id)).map((ref) => ref.key));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const kept: string[] = [];
    const moments = ['pending', 'processing', 'ready'] as const;
    for (let round = 0; round < 6; round += 1) {
      // Two pictures alternate, so later rounds share files with rows of earlier ones too.
      const original = await panorama(1024, 512, 'jpeg', -5 - (round % 2));
      const ids = [await accept(original, first), await accept(reExported(original), second)];
      const [victim, survivor] = round % 2 === 0 ? [0, 1] : [1, 0];
      const owner = [first, second][victim]!;
      const moment = moments[round % 3]!;
      if (moment === 'ready') await ready(ids[victim]!);
      else await reached(ids[victim]!, moment);
      expect((await call('DELETE', `/api/v1/media/${ids[victim]}`, undefined, owner.authHeader)).status).toBe(204);
      kept.push(ids[survivor]!);
    }
    // An account deleted while one of its uploads is being processed.
    const leaving = await createUserWithToken(db.sql);
    const leavingId = await accept(reExported(await panorama(1024, 512, 'jpeg', -5)), leaving);
    await reached(leavingId, 'processing');
    expect((await call('DELETE', '/api/v1/auth/me', undefined, leaving.authHeader)).status).toBe(204);

    const shown = new Set<string>();
    for (const id of kept) for (const url of urlsOf(await ready(id))) shown.add(url);
    watching = false;
    await watcher;
    expect(missing).toEqual([]);
    await expectServed([...shown]);

    for (const running of two) await running.stop();
    await two[0]!.sweepFiles();
    const referenced = await referencedKeys();
    expect(referenced).toEqual([...shown].map(keyOf).sort());
    expect(await fileRows()).toEqual(referenced);
    expect(await storedKeys()).toEqual(referenced);
  });
});

describe('media stored before files had references (migration 0040)', () => {
  it('backfills a reference for every file a row shows or an unfinished row wrote, and rows written ready get theirs', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    const earlier = await mkdtemp(path.join(tmpdir(), 'vr-tour-migrations-before-0040-'));
    try {
      for (const name of await readdir(MIGRATIONS_DIR)) {
        if (name.endsWith('.sql') && name < '0040') await copyFile(path.join(MIGRATIONS_DIR, name), path.join(earlier, name));
      }
      await migrate(fresh.sql, earlier);
      const key = (n: number, extension = 'jpg') => `${String(n).padStart(2, '0')}/${String(n).padStart(2, '0').repeat(32)}.${extension}`;
      const [user] = await fresh.sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('before@example.com') RETURNING id`;
      const insert = async (status: string, variants: object, writtenKeys: string[] = [], error: string | null = null) => {
        const [row] = await fresh.sql<{ id: string }[]>`
          INSERT INTO media (user_id, kind, status, progress, variants, written_keys, error)
          VALUES (${user!.id}, 'panorama', ${status}, ${status === 'ready' ? 100 : 0}, ${fresh.sql.json(variants as never)}, ${writtenKeys}, ${error})
          RETURNING id`;
        return row!.id;
      };
      const panoramaOf = (...keys: string[]) => ({
        inlinePreview: 'data:image/jpeg;base64,AAAA',
        previewUrl: `/media/${keys[0]}`,
        thumbnailUrl: `/media/${keys[1]}`,
        levels: keys.slice(2).map((levelKey) => ({ width: 1024, height: 512, url: `/media/${levelKey}`, format: 'jpeg' })),
      });
      // Two accounts' rows sharing outputs, as the bug left them; a floor plan; one in processing; one failed.
      const first = await insert('ready', panoramaOf(key(1), key(2), key(3), key(4, 'webp')));
      const second = await insert('ready', panoramaOf(key(1), key(2), key(3), key(4, 'webp')));
      const plan = await insert('ready', { url: `/media/${key(5, 'webp')}`, width: 800, height: 600, thumbnailUrl: `/media/${key(6)}` });
      const unfinished = await insert('processing', {}, [key(7, 'webp')]);
      await insert('failed', {}, [key(8, 'webp')], 'it broke');
      // URLs that name no stored file take no reference.
      const foreign = await insert('ready', { url: 'https://cdn.example.com/plan.webp', thumbnailUrl: '/media/not-a-key.jpg' });

      await migrate(fresh.sql);
      const refs = await fresh.sql<{ media_id: string; key: string }[]>`SELECT media_id, key FROM media_file_refs ORDER BY key, media_id`;
      const of = (id: string) => refs.filter((ref) => ref.media_id === id).map((ref) => ref.key);
      expect(of(first)).toEqual([key(1), key(2), key(3), key(4, 'webp')]);
      expect(of(second)).toEqual(of(first));
      expect(of(plan)).toEqual([key(5, 'webp'), key(6)]);
      expect(of(unfinished)).toEqual([key(7, 'webp')]);
      expect(of(foreign)).toEqual([]);
      expect(refs).toHaveLength(11);
      expect((await fresh.sql<{ key: string }[]>`SELECT key FROM media_files ORDER BY key`).map((row) => row.key)).toEqual(
        [key(1), key(2), key(3), key(4, 'webp'), key(5, 'webp'), key(6), key(7, 'webp')],
      );
      const [column] = await fresh.sql`SELECT 1 FROM information_schema.columns WHERE table_name = 'media' AND column_name = 'written_keys'`;
      expect(column).toBeUndefined();

      // A row written ready without processing (the demo seed does so) references what it shows.
      const [seeded] = await fresh.sql<{ id: string }[]>`
        INSERT INTO media (user_id, kind, status, progress, variants)
        VALUES (${user!.id}, 'panorama', 'ready', 100, ${fresh.sql.json(panoramaOf(key(9), key(2), key(10)) as never)}) RETURNING id`;
      expect((await fresh.sql<{ key: string }[]>`SELECT key FROM media_file_refs WHERE media_id = ${seeded!.id} ORDER BY key`).map((row) => row.key)).toEqual(
        [key(2), key(9), key(10)],
      );
    } finally {
      await fresh.drop();
      await rm(earlier, { recursive: true, force: true });
    }
  });
});
