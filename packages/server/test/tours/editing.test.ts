import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { tourDocumentSchema } from '@vr-tour/protocol';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller, expectFieldError } from '../support/editor.js';
import { insertReadyPanorama } from '../support/fixtures.js';

let db: TestDatabase;
let app: RunningApp;
let me: TestCaller;
let call: ReturnType<typeof apiCaller>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
  call = apiCaller(app.url);
  me = await createUserWithToken(db.sql);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const as = (method: string, path: string, body?: unknown) => call(method, path, body, me.authHeader);

/** A tour of mine with `scenes` scenes on ready panoramas, made through the API. */
async function makeTour(scenes = 1, title = 'House') {
  const tour = (await as('POST', '/api/v1/tours', { title, visibility: 'public' })).body;
  const sceneIds: string[] = [];
  for (let index = 0; index < scenes; index += 1) {
    const mediaId = await insertReadyPanorama(db.sql, me.userId);
    const created = await as('POST', '/api/v1/scenes', { tourId: tour.id, title: `Room ${index}`, mediaId });
    expect(created.status).toBe(201);
    sceneIds.push(created.body.id);
  }
  return { tourId: tour.id as string, sceneIds };
}

describe('tours', () => {
  it('creates with defaults and names invalid fields', async () => {
    const created = await as('POST', '/api/v1/tours', { title: '  Loft  ' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/tours/${created.body.id}`);
    expect(created.body).toMatchObject({ title: 'Loft', status: 'draft', visibility: 'private', isPublic: false, isFeatured: false });
    expect(created.body.settings.transition).toBe('crossfade');
    expectFieldError(await as('POST', '/api/v1/tours', { title: '' }), 400, 'title');
    expectFieldError(await as('POST', '/api/v1/tours', { title: 'x', visibility: 'everyone' }), 400, 'visibility');
    expectFieldError(await as('POST', '/api/v1/tours', { title: 'x', settings: { transitionMs: -1 } }), 400, 'settings.transitionMs');
    expectFieldError(await as('POST', '/api/v1/tours', { title: 'x', status: 'published' }), 400, 'body');
    expectFieldError(await as('GET', '/api/v1/tours/nope'), 400, 'id');
  });

  it('keeps is_public consistent with visibility, whichever is written', async () => {
    const { tourId } = await makeTour(0);
    expect((await as('PATCH', `/api/v1/tours/${tourId}`, { visibility: 'unlisted' })).body).toMatchObject({ visibility: 'unlisted', isPublic: false });
    expect((await as('PATCH', `/api/v1/tours/${tourId}`, { isPublic: true })).body).toMatchObject({ visibility: 'public', isPublic: true });
    expect((await as('PATCH', `/api/v1/tours/${tourId}`, { isPublic: false })).body).toMatchObject({ visibility: 'private', isPublic: false });
  });

  it('checks that the initial scene belongs to the tour', async () => {
    const { tourId, sceneIds } = await makeTour(1);
    const { sceneIds: foreign } = await makeTour(1);
    expect((await as('PATCH', `/api/v1/tours/${tourId}`, { initialSceneId: sceneIds[0] })).body.initialSceneId).toBe(sceneIds[0]);
    expectFieldError(await as('PATCH', `/api/v1/tours/${tourId}`, { initialSceneId: foreign[0] }), 422, 'initialSceneId');
  });

  it('lists my tours newest first, by status, with a cursor that neither skips nor repeats', async () => {
    const other = await createUserWithToken(db.sql);
    for (let index = 0; index < 7; index += 1) {
      await call('POST', '/api/v1/tours', { title: `T${index}` }, other.authHeader);
    }
    const [archived] = await db.sql<{ id: string }[]>`
      UPDATE tours SET status = 'archived', archived_at = now() WHERE user_id = ${other.userId} AND title = 'T3' RETURNING id`;
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const result = await call('GET', `/api/v1/tours?limit=3${cursor ? `&cursor=${cursor}` : ''}`, undefined, other.authHeader);
      expect(result.status).toBe(200);
      seen.push(...result.body.items.map((tour: { title: string }) => tour.title));
      cursor = result.body.nextCursor;
    }
    expect(seen).toEqual(['T6', 'T5', 'T4', 'T3', 'T2', 'T1', 'T0']);
    const drafts = await call('GET', '/api/v1/tours?status=draft&limit=100', undefined, other.authHeader);
    expect(drafts.body.items.map((tour: { id: string }) => tour.id)).not.toContain(archived!.id);
    expect(drafts.body.items).toHaveLength(6);
    expectFieldError(await call('GET', '/api/v1/tours?cursor=garbage', undefined, other.authHeader), 400, 'cursor');
    expectFieldError(await call('GET', '/api/v1/tours?status=gone', undefined, other.authHeader), 400, 'status');
  });
});

describe('lifecycle', () => {
  it('refuses to publish a tour without a scene, with the reason', async () => {
    const { tourId } = await makeTour(0);
    const refused = await as('POST', `/api/v1/tours/${tourId}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/at least one scene/);
  });

  it('refuses to publish when no scene has a processed panorama', async () => {
    const { tourId } = await makeTour(0);
    await as('POST', '/api/v1/scenes', { tourId, title: 'Empty' });
    expect((await as('POST', `/api/v1/tours/${tourId}/publish`)).status).toBe(409);
  });

  it('publishes, unpublishes, archives and restores, with their timestamps and rules', async () => {
    const { tourId } = await makeTour(1);
    const published = await as('POST', `/api/v1/tours/${tourId}/publish`);
    expect(published.body).toMatchObject({ status: 'published' });
    expect(Date.parse(published.body.publishedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('GET', `/api/v1/public/tours/${tourId}`)).status).toBe(200);

    expect((await as('POST', `/api/v1/tours/${tourId}/unpublish`)).body).toMatchObject({ status: 'draft', publishedAt: null });
    expect((await call('GET', `/api/v1/public/tours/${tourId}`)).status).toBe(404);
    expect((await as('POST', `/api/v1/tours/${tourId}/unpublish`)).status).toBe(409);
    expect((await as('POST', `/api/v1/tours/${tourId}/restore`)).status).toBe(409);

    const archived = await as('POST', `/api/v1/tours/${tourId}/archive`);
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archivedAt).not.toBeNull();
    const refused = await as('POST', `/api/v1/tours/${tourId}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/restore/);
    expect((await as('POST', `/api/v1/tours/${tourId}/restore`)).body).toMatchObject({ status: 'draft', archivedAt: null });
  });
});

describe('scenes', () => {
  it('appends scenes, reorders them, and the thumbnail follows the first scene', async () => {
    const { tourId, sceneIds } = await makeTour(3);
    await db.sql`UPDATE media SET variants = variants || jsonb_build_object('thumbnailUrl', '/media/thumb-' || id || '.jpg')
      WHERE id IN (SELECT media_id FROM scenes WHERE tour_id = ${tourId})`;
    const thumbOf = async (sceneId: string) =>
      (await db.sql<{ url: string }[]>`SELECT m.variants ->> 'thumbnailUrl' AS url FROM scenes s JOIN media m ON m.id = s.media_id WHERE s.id = ${sceneId}`)[0]!.url;
    expect((await as('GET', `/api/v1/tours/${tourId}`)).body.thumbnailUrl).toBe(await thumbOf(sceneIds[0]!));

    const order = [sceneIds[2]!, sceneIds[0]!, sceneIds[1]!];
    const reordered = await as('PUT', `/api/v1/tours/${tourId}/scene-order`, { sceneIds: order });
    expect(reordered.body.items.map((scene: { id: string }) => scene.id)).toEqual(order);
    expect((await as('GET', `/api/v1/tours/${tourId}`)).body.thumbnailUrl).toBe(await thumbOf(sceneIds[2]!));
    expectFieldError(await as('PUT', `/api/v1/tours/${tourId}/scene-order`, { sceneIds: order.slice(1) }), 422, 'sceneIds');

    await as('DELETE', `/api/v1/scenes/${sceneIds[2]}`);
    expect((await as('GET', `/api/v1/tours/${tourId}`)).body.thumbnailUrl).toBe(await thumbOf(sceneIds[0]!));
  });

  it('validates views and refuses another user’s media or another tour’s floor plan', async () => {
    const { tourId, sceneIds } = await makeTour(1);
    expectFieldError(await as('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { initialView: { yaw: 0, pitch: 95, fov: 90 } }), 400, 'initialView.pitch');
    const stranger = await createUserWithToken(db.sql);
    const theirs = await insertReadyPanorama(db.sql, stranger.userId);
    expectFieldError(await as('POST', '/api/v1/scenes', { tourId, title: 'x', mediaId: theirs }), 422, 'mediaId');
    const { tourId: otherTour } = await makeTour(0);
    const plan = await as('POST', '/api/v1/floor-plans', { tourId: otherTour, title: 'P', imageUrl: '/media/p.png', width: 4, height: 3 });
    expectFieldError(
      await as('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { floorPlan: { floorPlanId: plan.body.id, x: 0.5, y: 0.5 } }),
      422,
      'floorPlan.floorPlanId',
    );
  });
});

describe('the public document’s bounds', () => {
  it('refuses the 501st scene, the 51st floor plan and a scene’s 201st hotspot, naming the limit', async () => {
    const { tourId, sceneIds } = await makeTour(1);
    // Filled to the limits with SQL; the route then adds one more.
    await db.sql`INSERT INTO scenes (tour_id, title, sort_order) SELECT ${tourId}, 'S' || g, g FROM generate_series(1, 499) g`;
    await db.sql`INSERT INTO floor_plans (tour_id, title, image_url, width, height) SELECT ${tourId}, 'F' || g, '/media/f.png', 8, 6 FROM generate_series(1, 50) g`;
    await db.sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, content)
      SELECT ${sceneIds[0]!}, 'info', 0, 0, 'H' || g, '{"html": "x"}' FROM generate_series(1, 200) g`;
    const scene = await as('POST', '/api/v1/scenes', { tourId, title: 'One too many' });
    expect([scene.status, scene.body.detail]).toEqual([409, 'a tour has at most 500 scenes']);
    const plan = await as('POST', '/api/v1/floor-plans', { tourId, title: 'P', imageUrl: '/media/p.png', width: 4, height: 3 });
    expect([plan.status, plan.body.detail]).toEqual([409, 'a tour has at most 50 floor plans']);
    const hotspot = await as('POST', '/api/v1/hotspots', { sceneId: sceneIds[0], type: 'info', yaw: 0, pitch: 0, title: 'i', html: 'x' });
    expect([hotspot.status, hotspot.body.detail]).toEqual([409, 'a scene has at most 200 hotspots']);
    const counts = await db.sql<{ scenes: number; plans: number; hotspots: number }[]>`
      SELECT (SELECT count(*)::int FROM scenes WHERE tour_id = ${tourId}) AS scenes,
             (SELECT count(*)::int FROM floor_plans WHERE tour_id = ${tourId}) AS plans,
             (SELECT count(*)::int FROM hotspots WHERE scene_id = ${sceneIds[0]!}) AS hotspots`;
    expect(counts[0]).toEqual({ scenes: 500, plans: 50, hotspots: 200 });
  });
});

describe('hotspots', () => {
  it('validates each type’s own fields with the protocol schemas', async () => {
    const { sceneIds } = await makeTour(2);
    const base = { sceneId: sceneIds[0], yaw: 10, pitch: 0, title: 'Spot' };
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, type: 'link', url: 'javascript:alert(1)' }), 400, 'url');
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, type: 'audio' }), 400, 'mediaUrl');
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, type: 'teleport' }), 400, 'type');
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, type: 'info', html: 'x', yaw: 200 }), 400, 'yaw');
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, type: 'custom', payload: { big: 'x'.repeat(9000) } }), 400, 'payload');
    const video = await as('POST', '/api/v1/hotspots', { ...base, type: 'video', mediaUrl: '/media/v.mp4' });
    expect(video.status).toBe(201);
    expect(video.body).toMatchObject({ type: 'video', mediaUrl: '/media/v.mp4', posterUrl: null, sortOrder: 0 });

    // A type change needs the new type's fields, and drops the old ones.
    expectFieldError(await as('PATCH', `/api/v1/hotspots/${video.body.id}`, { type: 'link' }), 400, 'url');
    const link = await as('PATCH', `/api/v1/hotspots/${video.body.id}`, { type: 'link', url: 'https://example.com' });
    expect(link.body).toEqual({ id: video.body.id, sceneId: sceneIds[0], sortOrder: 0, type: 'link', yaw: 10, pitch: 0, title: 'Spot', url: 'https://example.com' });
  });

  it('requires a navigation target that is another scene of the same tour', async () => {
    const { sceneIds } = await makeTour(2);
    const { sceneIds: foreign } = await makeTour(1);
    const base = { sceneId: sceneIds[0], yaw: 10, pitch: 0, title: 'Go', type: 'navigation' };
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, targetSceneId: foreign[0] }), 422, 'targetSceneId');
    expectFieldError(await as('POST', '/api/v1/hotspots', { ...base, targetSceneId: sceneIds[0] }), 422, 'targetSceneId');
    const made = await as('POST', '/api/v1/hotspots', { ...base, targetSceneId: sceneIds[1], targetView: { yaw: 5, pitch: 0, fov: 80 } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ targetSceneId: sceneIds[1], targetView: { yaw: 5, pitch: 0, fov: 80 } });
    expectFieldError(await as('PATCH', `/api/v1/hotspots/${made.body.id}`, { targetSceneId: foreign[0] }), 422, 'targetSceneId');
  });
});

/** Panorama outputs with URLs of their own, so that swapping one panorama for another shows in the document. */
function panoramaVariants(tag: string) {
  return {
    inlinePreview: 'data:image/jpeg;base64,AAAA',
    previewUrl: `/media/${tag}/preview.jpg`,
    levels: [{ width: 2048, height: 1024, url: `/media/${tag}/2048.jpg`, format: 'jpeg' }],
    thumbnailUrl: `/media/${tag}/thumb.jpg`,
  };
}

async function distinctPanorama(status: 'ready' | 'pending'): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    INSERT INTO media (user_id, kind, status, progress, width, height, variants)
    VALUES (${me.userId}, 'panorama', ${status}, ${status === 'ready' ? 100 : 0}, 2048, 1024,
            ${db.sql.json(status === 'ready' ? panoramaVariants(randomUUID()) : {})})
    RETURNING id`;
  return row!.id;
}

describe('the public document follows every edit', () => {
  it('changes its ETag after each kind of change the public API shows', async () => {
    const { tourId, sceneIds } = await makeTour(2);
    await as('POST', `/api/v1/tours/${tourId}/publish`);
    let etag = (await call('GET', `/api/v1/public/tours/${tourId}`)).headers.get('etag')!;
    const plan = { id: '' };
    const hotspot = { id: '' };
    const panorama = { id: '' };
    const pending = { sceneId: '' };
    const edits: [string, () => Promise<unknown>][] = [
      ['tour title', () => as('PATCH', `/api/v1/tours/${tourId}`, { title: 'Renamed' })],
      ['settings', () => as('PATCH', `/api/v1/tours/${tourId}`, { settings: { showCompass: true } })],
      ['branding', () => as('PATCH', `/api/v1/tours/${tourId}/branding`, { primaryColor: '#AA0000' })],
      ['branding removed', () => as('DELETE', `/api/v1/tours/${tourId}/branding`)],
      ['scene view', () => as('PATCH', `/api/v1/scenes/${sceneIds[1]}`, { initialView: { yaw: 30, pitch: 0, fov: 70 } })],
      ['scene order', () => as('PUT', `/api/v1/tours/${tourId}/scene-order`, { sceneIds: [sceneIds[1], sceneIds[0]] })],
      ['initial scene', () => as('PATCH', `/api/v1/tours/${tourId}`, { initialSceneId: sceneIds[0] })],
      ['hotspot added', async () => { hotspot.id = (await as('POST', '/api/v1/hotspots', { sceneId: sceneIds[0], type: 'info', yaw: 1, pitch: 2, title: 'i', html: 'hi' })).body.id; }],
      ['hotspot edited', () => as('PATCH', `/api/v1/hotspots/${hotspot.id}`, { html: 'hello' })],
      ['hotspot deleted', () => as('DELETE', `/api/v1/hotspots/${hotspot.id}`)],
      ['floor plan added', async () => { plan.id = (await as('POST', '/api/v1/floor-plans', { tourId, title: 'F', imageUrl: '/media/f.png', width: 8, height: 6 })).body.id; }],
      ['scene placed', () => as('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { floorPlan: { floorPlanId: plan.id, x: 0.1, y: 0.2 } })],
      ['floor plan edited', () => as('PATCH', `/api/v1/floor-plans/${plan.id}`, { title: 'First floor', width: 16, height: 12 })],
      ['floor plan deleted', () => as('DELETE', `/api/v1/floor-plans/${plan.id}`)],
      ['scene title', () => as('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { title: 'Hall' })],
      ['scene panorama replaced', async () => as('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { mediaId: (panorama.id = await distinctPanorama('ready')) })],
      // What the media processor writes when it runs again over an upload: new variants on the same row.
      ['panorama reprocessed', () => db.sql`UPDATE media SET variants = ${db.sql.json(panoramaVariants('again'))} WHERE id = ${panorama.id}`],
      // A scene on a panorama still processing is not shown; the document changes when processing ends.
      ['a new scene’s panorama finished processing', async () => {
        const mediaId = await distinctPanorama('pending');
        pending.sceneId = (await as('POST', '/api/v1/scenes', { tourId, title: 'Attic', mediaId })).body.id;
        const unchanged = await call('GET', `/api/v1/public/tours/${tourId}`, undefined, { 'If-None-Match': etag });
        expect(unchanged.status).toBe(304);
        await db.sql`UPDATE media SET status = 'ready', progress = 100, variants = ${db.sql.json(panoramaVariants('attic'))} WHERE id = ${mediaId}`;
      }],
      ['scene deleted', () => as('DELETE', `/api/v1/scenes/${sceneIds[1]}`)],
    ];
    for (const [name, edit] of edits) {
      await edit();
      const response = await call('GET', `/api/v1/public/tours/${tourId}`, undefined, { 'If-None-Match': etag });
      expect(response.status, name).toBe(200);
      expect(response.headers.get('etag'), name).not.toBe(etag);
      tourDocumentSchema.parse(response.body);
      etag = response.headers.get('etag')!;
    }
    const finalDocument = (await call('GET', `/api/v1/public/tours/${tourId}`)).body;
    expect(finalDocument).toMatchObject({ title: 'Renamed', branding: null, floorPlans: [], settings: { showCompass: true } });
    expect(finalDocument.scenes.map((scene: { id: string }) => scene.id)).toEqual([sceneIds[0], pending.sceneId]);
    expect(finalDocument.scenes[0]).toMatchObject({ title: 'Hall', floorPlan: null, panorama: { previewUrl: '/media/again/preview.jpg' } });
  });
});
