import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tourDocumentSchema, TOUR_STATUSES, TOUR_VISIBILITIES, problemSchema } from '@vr-tour/protocol';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { startTestApp, type RunningApp } from '../support/app.js';
import { insertTour, insertUser } from '../support/fixtures.js';

let db: TestDatabase;
let app: RunningApp;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
  userId = await insertUser(db.sql);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });

async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = problemSchema.parse(await response.json());
  expect(body.status).toBe(status);
  return body;
}

describe('GET /api/v1/public/tours/:id', () => {
  const matrix = TOUR_STATUSES.flatMap((status) => TOUR_VISIBILITIES.map((visibility) => ({ status, visibility })));
  it.each(matrix)('$status x $visibility', async ({ status, visibility }) => {
    const { tourId, sceneIds } = await insertTour(db.sql, userId, { status, visibility });
    const response = await get(`/api/v1/public/tours/${tourId}`);
    if (status === 'published' && visibility !== 'private') {
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const document = tourDocumentSchema.parse(await response.json());
      expect(document.id).toBe(tourId);
      expect(document.scenes.map((scene) => scene.id)).toEqual(sceneIds);
      expect(document.initialSceneId).toBe(sceneIds[0]);
      expect(document.scenes[0]!.hotspots[0]).toMatchObject({ type: 'navigation', targetSceneId: sceneIds[1] });
    } else {
      const problem = await expectProblem(response, 404);
      expect(JSON.stringify(problem)).not.toContain('draft');
    }
  });

  it('answers 304 to a matching If-None-Match, and a new ETag after any change in the tour', async () => {
    const { tourId, sceneIds } = await insertTour(db.sql, userId);
    const first = await get(`/api/v1/public/tours/${tourId}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await get(`/api/v1/public/tours/${tourId}`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const weakForm = await get(`/api/v1/public/tours/${tourId}`, { 'If-None-Match': `"other", W/${etag}` });
    expect(weakForm.status).toBe(304);

    await db.sql`UPDATE hotspots SET title = 'Onwards' WHERE scene_id = ${sceneIds[0]!}`;
    const changed = await get(`/api/v1/public/tours/${tourId}`, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const document = tourDocumentSchema.parse(await changed.json());
    expect(document.scenes[0]!.hotspots[0]!.title).toBe('Onwards');
  });

  it('leaves out scenes whose panorama is not ready, and hotspots leading to them', async () => {
    const { tourId, sceneIds } = await insertTour(db.sql, userId, { scenes: 3 });
    await db.sql`UPDATE media SET status = 'processing', progress = 40
      WHERE id = (SELECT media_id FROM scenes WHERE id = ${sceneIds[1]!})`;
    const document = tourDocumentSchema.parse(await (await get(`/api/v1/public/tours/${tourId}`)).json());
    expect(document.scenes.map((scene) => scene.id)).toEqual([sceneIds[0], sceneIds[2]]);
    expect(document.scenes[0]!.hotspots).toEqual([]);
  });

  it('answers a malformed id with 400 naming the id, and an unknown one with 404', async () => {
    const malformed = await expectProblem(await get('/api/v1/public/tours/not-a-uuid'), 400);
    expect(malformed.errors).toEqual([{ path: 'id', message: 'must be a tour id (a UUID)' }]);
    await expectProblem(await get(`/api/v1/public/tours/${crypto.randomUUID()}`), 404);
    await expectProblem(await get(`/api/v1/public/tours/${'9'.repeat(5000)}`), 400);
  });

  it('answers CORS preflights for any origin', async () => {
    const response = await fetch(`${app.url}/api/v1/public/tours/${crypto.randomUUID()}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://blog.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/);
  });
});

interface GalleryPage {
  items: Array<{ id: string }>;
  nextCursor: string | null;
}

describe('GET /api/v1/public/tours (gallery)', () => {
  it('lists featured public published tours only, newest first, page by page', async () => {
    const owner = await insertUser(db.sql);
    const featured = [];
    for (let index = 0; index < 3; index += 1) {
      featured.push((await insertTour(db.sql, owner, { featured: true, title: `Featured ${index}`, scenes: 1 })).tourId);
    }
    await insertTour(db.sql, owner, { featured: true, visibility: 'unlisted', scenes: 1 });
    await insertTour(db.sql, owner, { featured: true, status: 'draft', scenes: 1 });
    await insertTour(db.sql, owner, { featured: false, scenes: 1 });
    const firstPage = (await (await get('/api/v1/public/tours?featured=true&limit=2')).json()) as GalleryPage;
    expect(firstPage.items).toHaveLength(2);
    const secondPage = (await (
      await get(`/api/v1/public/tours?featured=true&limit=2&cursor=${encodeURIComponent(firstPage.nextCursor!)}`)
    ).json()) as GalleryPage;
    const listed = [...firstPage.items, ...secondPage.items].map((item) => item.id);
    expect(new Set(listed)).toEqual(new Set(featured));
    expect(secondPage.nextCursor).toBeNull();
  });

  it('rejects a bad limit or cursor with 400 naming the parameter', async () => {
    const limit = await expectProblem(await get('/api/v1/public/tours?limit=1000'), 400);
    expect((limit.errors as Array<{ path: string }>)[0]!.path).toBe('limit');
    const cursor = await expectProblem(await get('/api/v1/public/tours?cursor=nope'), 400);
    expect((cursor.errors as Array<{ path: string }>)[0]!.path).toBe('cursor');
  });
});

describe('health', () => {
  it('reports live and ready', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('answers unknown routes with a 404 problem', async () => {
    await expectProblem(await get('/api/v1/nothing-here'), 404);
  });
});
