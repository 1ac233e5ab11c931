import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { tourDocumentSchema } from '@vr-tour/protocol';
import { loadConfig } from '../../src/config.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller } from '../support/editor.js';
import { filesUnder, panorama, until, uploadTo } from './support.js';

const MAX_BYTES = 4 * 1024 * 1024;

let db: TestDatabase;
let app: RunningApp;
let mediaDir: string;
let me: TestCaller;
let call: ReturnType<typeof apiCaller>;
beforeAll(async () => {
  // Uploads' temporary folders go to a folder of this file's own: other test files upload meanwhile, and their folders must not count here.
  process.env.TMPDIR = await mkdtemp(path.join(tmpdir(), 'vr-tour-tmp-of-upload-test-'));
  db = await createTestDatabase();
  mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-media-test-'));
  app = await startTestApp(db.sql, { mediaDir, config: loadConfig({ LOG_LEVEL: 'silent', UPLOAD_MAX_BYTES: String(MAX_BYTES) }) });
  call = apiCaller(app.url);
  me = await createUserWithToken(db.sql);
  // Test-only observer of the media rows' progress, so the steps can be checked without timing.
  await db.sql.unsafe(`
    CREATE TABLE progress_seen (seq bigserial PRIMARY KEY, media_id uuid, progress smallint);
    CREATE FUNCTION record_progress() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO progress_seen (media_id, progress) VALUES (NEW.id, NEW.progress); RETURN NULL; END $$;
    CREATE TRIGGER record_progress AFTER UPDATE OF progress ON media FOR EACH ROW
      WHEN (OLD.progress IS DISTINCT FROM NEW.progress) EXECUTE FUNCTION record_progress();`);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

function upload(data: Buffer, name: string, fields: Record<string, string> = {}, type = 'image/jpeg', caller: TestCaller = me) {
  return uploadTo(app.url, caller.authHeader, data, name, fields, type);
}

async function waitForMedia(id: string, caller: TestCaller = me): Promise<any> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const media = await call('GET', `/api/v1/media/${id}`, undefined, caller.authHeader);
    expect(media.body.progress).toBeGreaterThanOrEqual(0);
    if (media.body.status === 'ready' || media.body.status === 'failed') return media.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('media never finished');
}

/** A PNG whose header claims 60000x30000 pixels in a few dozen bytes: decoding it would take 5 GB. */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(60_000, 0);
  header.writeUInt32BE(30_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('panorama upload', () => {
  it('answers 202 at once, then makes every level, preview and thumbnail, listed by the tour document', async () => {
    const source = await panorama(4096, 2048);
    const response = await upload(source, 'living-room.jpg');
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { id: string; status: string; progress: number };
    // Answered before any output exists: the processing runs after the response.
    expect(accepted).toMatchObject({ status: 'pending', progress: 0 });
    expect(response.headers.get('location')).toBe(`/api/v1/media/${accepted.id}`);

    const media = await waitForMedia(accepted.id);
    expect(media).toMatchObject({ status: 'ready', progress: 100, width: 4096, height: 2048, mimeType: 'image/jpeg', originalName: 'living-room.jpg' });
    // Every progress value the row went through (recorded by the test's trigger): steps between 0 and 100, then 100.
    const steps = (await db.sql<{ progress: number }[]>`SELECT progress FROM progress_seen WHERE media_id = ${accepted.id} ORDER BY seq`).map((row) => row.progress);
    expect(steps.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(3);
    expect(steps.at(-1)).toBe(100);
    const { inlinePreview, previewUrl, levels, thumbnailUrl } = media.variants;
    expect(inlinePreview).toMatch(/^data:image\/jpeg;base64,/);
    expect(inlinePreview.length).toBeLessThan(12_000);
    expect(levels.map((level: any) => [level.width, level.height, level.format])).toEqual([
      [2048, 1024, 'webp'],
      [2048, 1024, 'jpeg'],
      [4096, 2048, 'webp'],
      [4096, 2048, 'jpeg'],
    ]);
    for (const level of levels) {
      const served = await fetch(`${app.url}${level.url}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('cache-control')).toMatch(/immutable/);
      const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([level.width, level.height, level.format]);
    }
    const preview = await sharp(Buffer.from(await (await fetch(`${app.url}${previewUrl}`)).arrayBuffer())).metadata();
    expect([preview.width, preview.height]).toEqual([512, 256]);
    const thumbnail = await sharp(Buffer.from(await (await fetch(`${app.url}${thumbnailUrl}`)).arrayBuffer())).metadata();
    expect([thumbnail.width, thumbnail.height]).toEqual([640, 360]);
    // Content-addressed: the file name is the hash of its bytes.
    expect(levels[0].url).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/);

    const tour = (await call('POST', '/api/v1/tours', { title: 'Flat', visibility: 'public' }, me.authHeader)).body;
    await call('POST', '/api/v1/scenes', { tourId: tour.id, title: 'Living room', mediaId: accepted.id }, me.authHeader);
    expect((await call('POST', `/api/v1/tours/${tour.id}/publish`, undefined, me.authHeader)).status).toBe(200);
    expect((await call('GET', `/api/v1/tours/${tour.id}`, undefined, me.authHeader)).body.thumbnailUrl).toBe(thumbnailUrl);
    const document = tourDocumentSchema.parse((await call('GET', `/api/v1/public/tours/${tour.id}`)).body);
    expect(document.thumbnailUrl).toBe(thumbnailUrl);
    expect(document.scenes[0]!.panorama).toEqual({ inlinePreview, previewUrl, levels });
  });

  it('never upscales: a 1024x512 panorama gets one level at its own size', async () => {
    const response = await upload(await panorama(1024, 512, 'png'), 'small.png', {}, 'image/png');
    const media = await waitForMedia(((await response.json()) as { id: string }).id);
    expect(media.variants.levels.map((level: any) => [level.width, level.format])).toEqual([[1024, 'webp'], [1024, 'jpeg']]);
  });

  it('processes a floor plan image without the 2:1 rule', async () => {
    const response = await upload(await panorama(1200, 800, 'png'), 'plan.png', { kind: 'floor_plan' }, 'image/png');
    expect(response.status).toBe(202);
    const media = await waitForMedia(((await response.json()) as { id: string }).id);
    expect(media.variants).toMatchObject({ width: 1200, height: 800 });
    const tour = (await call('POST', '/api/v1/tours', { title: 'Plan' }, me.authHeader)).body;
    const plan = await call('POST', '/api/v1/floor-plans', { tourId: tour.id, title: 'Ground', mediaId: media.id }, me.authHeader);
    expect(plan.body).toMatchObject({ imageUrl: media.variants.url, width: 1200, height: 800 });
  });
});

describe('refused uploads leave nothing stored', () => {
  it.each([
    ['a text file named .jpg', async () => upload(Buffer.from('hello, I am not a picture\n'.repeat(100)), 'photo.jpg'), 415, /not a known image type/],
    ['a 3:1 image', async () => upload(await panorama(3000, 1000), 'wide.jpg'), 422, /2:1.*3000x1000 \(3\.00:1\)/],
    ['a decompression bomb', async () => upload(pngBomb(), 'bomb.png', {}, 'image/png'), 413, /60000x30000 pixels, more than the limit/],
    [
      'an upload over the size limit',
      async () => upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(MAX_BYTES + 1024, 7)]), 'huge.jpg'),
      413,
      /larger than the limit/,
    ],
    ['an unknown kind', async () => upload(await panorama(1024, 512), 'p.jpg', { kind: 'hologram' }), 400, /kind/],
  ] as const)('%s', async (_name, send, status, detail) => {
    const before = (await filesUnder(mediaDir)).length;
    const uploadsBefore = (await readdir(tmpdir())).filter((name) => name.startsWith('vr-tour-upload-')).length;
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
    expect(await db.sql`SELECT 1 FROM media WHERE user_id = ${me.userId} AND status <> 'ready'`).toHaveLength(0);
    expect((await filesUnder(mediaDir)).length).toBe(before);
    expect((await readdir(tmpdir())).filter((name) => name.startsWith('vr-tour-upload-')).length).toBeLessThanOrEqual(uploadsBefore);
  });

  it('a file that fails while processing ends failed, with its reason, and without files', async () => {
    const before = await filesUnder(mediaDir);
    const whole = await panorama(2048, 1024);
    // The header is intact (so the upload is accepted) but the pixels stop halfway.
    const response = await upload(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.jpg');
    expect(response.status).toBe(202);
    const media = await waitForMedia(((await response.json()) as { id: string }).id);
    expect(media.status).toBe('failed');
    expect(media.error).toBeTruthy();
    expect(media.variants).toEqual({});
    // The worker removes the files after the row's final update, its original last.
    await until('the original is removed', async () => !(await filesUnder(mediaDir)).includes(media.id));
    expect(await filesUnder(mediaDir)).toEqual(before);
  });

  it('refuses an anonymous upload before reading it', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await panorama(1024, 512))], { type: 'image/jpeg' }), 'p.jpg');
    expect((await fetch(`${app.url}/api/v1/media`, { method: 'POST', body: form })).status).toBe(401);
  });

  it('refuses a body that is not multipart, naming the format', async () => {
    const response = await call('POST', '/api/v1/media', { file: 'x' }, me.authHeader);
    expect(response.status).toBe(415);
  });
});

describe('deleting an account', () => {
  it('removes its media files, except those another account’s identical upload still uses', async () => {
    const [first, second, admin] = [await createUserWithToken(db.sql), await createUserWithToken(db.sql), await createUserWithToken(db.sql, 'admin')];
    const source = await panorama(1024, 512);
    const uploaded = [];
    for (const caller of [first, second]) {
      const response = await upload(source, 'same.jpg', {}, 'image/jpeg', caller);
      uploaded.push(await waitForMedia(((await response.json()) as { id: string }).id, caller));
    }
    const { previewUrl, thumbnailUrl, levels } = uploaded[0].variants;
    const urls: string[] = [previewUrl, thumbnailUrl, ...levels.map((level: { url: string }) => level.url)];
    expect(uploaded[1].variants.levels).toEqual(levels);
    const served = async () => Promise.all(urls.map(async (url) => (await fetch(`${app.url}${url}`)).status));

    expect((await call('DELETE', '/api/v1/auth/me', undefined, first.authHeader)).status).toBe(204);
    expect(await served()).toEqual(urls.map(() => 200));
    expect((await call('DELETE', `/api/v1/users/${second.userId}`, undefined, admin.authHeader)).status).toBe(204);
    expect(await served()).toEqual(urls.map(() => 404));
    const left = await filesUnder(mediaDir);
    for (const url of urls) expect(left).not.toContain(path.basename(url));
  });
});
