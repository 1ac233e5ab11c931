import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller } from '../support/editor.js';
import { createApiToken } from '../../src/auth/sql.js';
import { insertReadyPanorama, insertTour } from '../support/fixtures.js';

let db: TestDatabase;
let app: RunningApp;
let owner: TestCaller;
let other: TestCaller;
let admin: TestCaller;
let call: ReturnType<typeof apiCaller>;
/** A small real panorama for the upload cells. */
let panorama: Buffer;
beforeAll(async () => {
  panorama = await sharp({ create: { width: 1024, height: 512, channels: 3, background: '#6688aa' } }).jpeg().toBuffer();
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
  call = apiCaller(app.url);
  [owner, other, admin] = await Promise.all([
    createUserWithToken(db.sql),
    createUserWithToken(db.sql),
    createUserWithToken(db.sql, 'admin'),
  ]);
});
afterAll(async () => {
  // The uploads' processing runs after their 202: let it finish before the database goes.
  while ((await db.sql`SELECT 1 FROM media WHERE status IN ('pending', 'processing')`).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await app.close();
  await db.drop();
});

/** Fresh rows of the owner for every call, so deletes and state changes do not leak between cells. */
async function fixture(status: 'draft' | 'published' | 'archived' = 'draft') {
  const { tourId, sceneIds } = await insertTour(db.sql, owner.userId, { status, scenes: 2 });
  const [hotspot] = await db.sql<{ id: string }[]>`SELECT id FROM hotspots WHERE scene_id = ${sceneIds[0]!}`;
  const [floorPlan] = await db.sql<{ id: string }[]>`
    INSERT INTO floor_plans (tour_id, title, image_url, width, height) VALUES (${tourId}, 'Ground', '/media/f.png', 800, 600)
    RETURNING id`;
  const mediaId = await insertReadyPanorama(db.sql, owner.userId);
  // A spare token, so the cell that revokes one does not lock the owner out of the next cells.
  const token = await createApiToken(db.sql, owner.userId, 'spare');
  // Someone for the admin to delete.
  const victim = await createUserWithToken(db.sql);
  return { tourId, sceneIds, hotspotId: hotspot!.id, floorPlanId: floorPlan!.id, mediaId, tokenId: token.id, victimId: victim.userId };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

interface Route {
  name: string;
  status?: 'draft' | 'published' | 'archived';
  request: (f: Fixture) => [method: string, path: string, body?: unknown];
  /** Expected status for anonymous, another creator, the owner, an admin. */
  expect: [number, number, number, number];
  /** Acts on the caller's own account: each cell gets fresh users in those roles. */
  freshCallers?: true;
}

/** A multipart upload body, fresh per call (a FormData is consumed when sent). */
function uploadForm(): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(panorama)], { type: 'image/jpeg' }), 'p.jpg');
  return form;
}

const ownerOnly = (ok: number): Route['expect'] => [401, 404, ok, ok];

const routes: Route[] = [
  { name: 'list tours', request: () => ['GET', '/api/v1/tours'], expect: [401, 200, 200, 200] },
  { name: 'create tour', request: () => ['POST', '/api/v1/tours', { title: 'New' }], expect: [401, 201, 201, 201] },
  { name: 'read tour', request: (f) => ['GET', `/api/v1/tours/${f.tourId}`], expect: ownerOnly(200) },
  { name: 'update tour', request: (f) => ['PATCH', `/api/v1/tours/${f.tourId}`, { title: 'Renamed' }], expect: ownerOnly(200) },
  { name: 'feature tour', request: (f) => ['PATCH', `/api/v1/tours/${f.tourId}`, { isFeatured: true }], expect: [401, 404, 403, 200] },
  { name: 'delete tour', request: (f) => ['DELETE', `/api/v1/tours/${f.tourId}`], expect: ownerOnly(204) },
  { name: 'publish', request: (f) => ['POST', `/api/v1/tours/${f.tourId}/publish`], expect: ownerOnly(200) },
  { name: 'unpublish', status: 'published', request: (f) => ['POST', `/api/v1/tours/${f.tourId}/unpublish`], expect: ownerOnly(200) },
  { name: 'archive', request: (f) => ['POST', `/api/v1/tours/${f.tourId}/archive`], expect: ownerOnly(200) },
  { name: 'restore', status: 'archived', request: (f) => ['POST', `/api/v1/tours/${f.tourId}/restore`], expect: ownerOnly(200) },
  { name: 'read branding', request: (f) => ['GET', `/api/v1/tours/${f.tourId}/branding`], expect: ownerOnly(200) },
  { name: 'update branding', request: (f) => ['PATCH', `/api/v1/tours/${f.tourId}/branding`, { primaryColor: '#112233' }], expect: ownerOnly(200) },
  { name: 'delete branding', request: (f) => ['DELETE', `/api/v1/tours/${f.tourId}/branding`], expect: ownerOnly(204) },
  { name: 'order scenes', request: (f) => ['PUT', `/api/v1/tours/${f.tourId}/scene-order`, { sceneIds: [...f.sceneIds].reverse() }], expect: ownerOnly(200) },
  { name: 'create scene', request: (f) => ['POST', '/api/v1/scenes', { tourId: f.tourId, title: 'Hall' }], expect: ownerOnly(201) },
  { name: 'list scenes', request: (f) => ['GET', `/api/v1/scenes?tourId=${f.tourId}`], expect: ownerOnly(200) },
  { name: 'read scene', request: (f) => ['GET', `/api/v1/scenes/${f.sceneIds[0]}`], expect: ownerOnly(200) },
  { name: 'update scene', request: (f) => ['PATCH', `/api/v1/scenes/${f.sceneIds[0]}`, { title: 'Hall' }], expect: ownerOnly(200) },
  { name: 'delete scene', request: (f) => ['DELETE', `/api/v1/scenes/${f.sceneIds[0]}`], expect: ownerOnly(204) },
  {
    name: 'create hotspot',
    request: (f) => ['POST', '/api/v1/hotspots', { sceneId: f.sceneIds[0], type: 'info', yaw: 0, pitch: 0, title: 'Note', html: '<b>hi</b>' }],
    expect: ownerOnly(201),
  },
  { name: 'list hotspots', request: (f) => ['GET', `/api/v1/hotspots?sceneId=${f.sceneIds[0]}`], expect: ownerOnly(200) },
  { name: 'read hotspot', request: (f) => ['GET', `/api/v1/hotspots/${f.hotspotId}`], expect: ownerOnly(200) },
  { name: 'update hotspot', request: (f) => ['PATCH', `/api/v1/hotspots/${f.hotspotId}`, { title: 'Go' }], expect: ownerOnly(200) },
  { name: 'delete hotspot', request: (f) => ['DELETE', `/api/v1/hotspots/${f.hotspotId}`], expect: ownerOnly(204) },
  {
    name: 'create floor plan',
    request: (f) => ['POST', '/api/v1/floor-plans', { tourId: f.tourId, title: 'Upstairs', imageUrl: '/media/u.png', width: 10, height: 10 }],
    expect: ownerOnly(201),
  },
  { name: 'list floor plans', request: (f) => ['GET', `/api/v1/floor-plans?tourId=${f.tourId}`], expect: ownerOnly(200) },
  { name: 'read floor plan', request: (f) => ['GET', `/api/v1/floor-plans/${f.floorPlanId}`], expect: ownerOnly(200) },
  { name: 'update floor plan', request: (f) => ['PATCH', `/api/v1/floor-plans/${f.floorPlanId}`, { title: 'Cellar' }], expect: ownerOnly(200) },
  { name: 'delete floor plan', request: (f) => ['DELETE', `/api/v1/floor-plans/${f.floorPlanId}`], expect: ownerOnly(204) },
  { name: 'upload media', request: () => ['POST', '/api/v1/media', uploadForm()], expect: [401, 202, 202, 202] },
  { name: 'list media', request: () => ['GET', '/api/v1/media'], expect: [401, 200, 200, 200] },
  { name: 'read media', request: (f) => ['GET', `/api/v1/media/${f.mediaId}`], expect: ownerOnly(200) },
  { name: 'delete media', request: (f) => ['DELETE', `/api/v1/media/${f.mediaId}`], expect: ownerOnly(204) },
  { name: 'read the session', request: () => ['GET', '/api/v1/auth/session'], expect: [401, 200, 200, 200] },
  { name: 'log out', request: () => ['POST', '/api/v1/auth/logout'], expect: [204, 204, 204, 204] },
  { name: 'create a token', request: () => ['POST', '/api/v1/auth/tokens', { name: 'ci' }], expect: [401, 201, 201, 201] },
  { name: 'list tokens', request: () => ['GET', '/api/v1/auth/tokens'], expect: [401, 200, 200, 200] },
  { name: 'revoke a token', request: (f) => ['DELETE', `/api/v1/auth/tokens/${f.tokenId}`], expect: [401, 404, 204, 404] },
  { name: 'change a role', request: () => ['PATCH', `/api/v1/users/${other.userId}`, { role: 'creator' }], expect: [401, 403, 403, 200] },
  { name: 'delete a user', request: (f) => ['DELETE', `/api/v1/users/${f.victimId}`], expect: [401, 403, 403, 204] },
  { name: 'close my account', freshCallers: true, request: () => ['DELETE', '/api/v1/auth/me'], expect: [401, 204, 204, 204] },
];

describe('authorization matrix: every editor route x {anonymous, other creator, owner, admin}', () => {
  const callers = ['anonymous', 'other creator', 'owner', 'admin'] as const;
  it.each(routes)('$name', async (route) => {
    const seen: number[] = [];
    for (const who of callers) {
      const f = await fixture(route.status);
      const roles = route.freshCallers
        ? { 'other creator': await createUserWithToken(db.sql), owner: await createUserWithToken(db.sql), admin: await createUserWithToken(db.sql, 'admin') }
        : { 'other creator': other, owner, admin };
      const headers = who === 'anonymous' ? {} : roles[who].authHeader;
      const [method, path, body] = route.request(f);
      const result = body instanceof FormData
        ? await fetch(`${app.url}${path}`, { method, body, headers }).then(async (response) => ({
            status: response.status,
            headers: response.headers,
            body: await response.text(),
          }))
        : await call(method, path, body, headers);
      seen.push(result.status);
      if (result.status >= 400) expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(seen, `${callers.join(', ')}`).toEqual(route.expect);
  });
});

describe('lists answer only the caller’s own objects', () => {
  it('shows another creator none of the owner’s tours, media or tokens', async () => {
    const f = await fixture();
    const ids = (result: { body: { items: { id: string }[] } }) => result.body.items.map((item) => item.id);
    expect(ids(await call('GET', '/api/v1/tours?limit=100', undefined, owner.authHeader))).toContain(f.tourId);
    expect(ids(await call('GET', '/api/v1/media?limit=100', undefined, owner.authHeader))).toContain(f.mediaId);
    expect(ids(await call('GET', '/api/v1/auth/tokens', undefined, owner.authHeader))).toContain(f.tokenId);
    const [tours, media, tokens] = await Promise.all(
      ['/api/v1/tours?limit=100', '/api/v1/media?limit=100', '/api/v1/auth/tokens'].map((path) => call('GET', path, undefined, other.authHeader)),
    );
    expect(ids(tours!)).not.toContain(f.tourId);
    expect(ids(media!)).not.toContain(f.mediaId);
    expect(ids(tokens!)).not.toContain(f.tokenId);
  });
});
