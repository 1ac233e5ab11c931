import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createCollector, type Collector } from '@vr-tour/collector';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { JSON_INPUT_LIMITS, uuidv7 } from '@vr-tour/protocol';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller, expectFieldError } from '../support/editor.js';
import { insertTour } from '../support/fixtures.js';

// Issue 11, points 2-4, and the other 500s the fuzzer (test/fuzz) found: each
// refused with a 400 problem naming the field, and nothing written.

let db: TestDatabase;
let app: RunningApp;
let collector: Collector;
let owner: TestCaller;
let tourId: string;
let sceneIds: string[];
let call: ReturnType<typeof apiCaller>;

beforeAll(async () => {
  db = await createTestDatabase();
  collector = createCollector({ sql: db.sql, rateLimit: false });
  app = await startTestApp(db.sql, { collector: collector.handler });
  call = apiCaller(app.url);
  owner = await createUserWithToken(db.sql);
  ({ tourId, sceneIds } = await insertTour(db.sql, owner.userId, { status: 'published', visibility: 'public' }));
});
afterAll(async () => {
  await app.close();
  await collector.close();
  await db.drop();
});

async function count(table: string): Promise<number> {
  const [row] = await db.sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

/** A raw JSON body: JSON.stringify cannot write every case (a lone surrogate stays escaped either way). */
async function send(method: string, path: string, body: string, headers: Record<string, string> = owner.authHeader) {
  const response = await fetch(`${app.url}${path}`, { method, body, headers: { 'Content-Type': 'application/json', ...headers } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json|^application\/json/);
  return { status: response.status, body: (await response.json()) as any };
}

describe('point 2: NUL characters and unpaired surrogates are refused at the edge, naming the field', () => {
  it('login (no credentials needed): 400 naming email, and no attempt counted', async () => {
    const result = await call('POST', '/api/v1/auth/login', { email: 'a\u0000@example.com', password: 'whatever' });
    expectFieldError(result, 400, 'email');
    expect(result.body.detail).toContain('NUL');
    expect(await count('auth_login_throttle')).toBe(0);
  });

  it('sign-up: a display name with a NUL makes no account', async () => {
    const before = await count('users');
    expectFieldError(await call('POST', '/api/v1/auth/signup', { email: 'new@example.com', password: 'long enough password', displayName: 'Ann\u0000' }), 400, 'displayName');
    expect(await count('users')).toBe(before);
  });

  it('the TLS edge’s question (no credentials needed): 400 naming domain', async () => {
    const response = await fetch(`${app.url}/api/v1/custom-domains/tls-ask?domain=tours%00.example.com`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as any).errors).toEqual([{ path: 'domain', message: expect.stringContaining('NUL') }]);
  });

  it.each([
    ['a tour title', 'POST', '/api/v1/tours', () => ({ title: 'Hall\u0000' }), 'title'],
    ['a tour description', 'PATCH', () => `/api/v1/tours/${tourId}`, () => ({ description: '\u0000' }), 'description'],
    ['a token name', 'POST', '/api/v1/auth/tokens', () => ({ name: 'ci\u0000' }), 'name'],
    ['a floor plan URL', 'POST', '/api/v1/floor-plans', () => ({ tourId, title: 'Plan', imageUrl: '/media/a\u0000.png', width: 10, height: 10 }), 'imageUrl'],
    ['a key of a custom payload', 'POST', '/api/v1/hotspots', () => ({ sceneId: sceneIds[0], type: 'custom', yaw: 0, pitch: 0, title: 'C', payload: { 'k\u0000': 1 } }), 'payload'],
  ] as const)('%s', async (_name, method, path, body, field) => {
    const before = await count('tours') + (await count('api_tokens')) + (await count('floor_plans')) + (await count('hotspots'));
    const result = await call(method, typeof path === 'function' ? path() : path, body(), owner.authHeader);
    expectFieldError(result, 400, field);
    expect(await count('tours') + (await count('api_tokens')) + (await count('floor_plans')) + (await count('hotspots'))).toBe(before);
  });

  it('an unpaired surrogate in a hotspot’s payload (JSONB): 400 naming the path, no hotspot', async () => {
    const before = await count('hotspots');
    const body = `{"sceneId":"${sceneIds[0]}","type":"custom","yaw":0,"pitch":0,"title":"C","payload":{"note":"a\\ud800b"}}`;
    const result = await send('POST', '/api/v1/hotspots', body);
    expectFieldError(result, 400, 'payload.note');
    expect(result.body.errors[0].message).toContain('U+D800');
    expect(await count('hotspots')).toBe(before);
  });

  it('a multipart filename* with a NUL: 400 naming file.filename, no media row', async () => {
    const image = await sharp({ create: { width: 1024, height: 512, channels: 3, background: '#446688' } }).jpeg().toBuffer();
    const before = await count('media');
    const boundary = 'hardening';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"; filename*=utf-8''a%00b.jpg\r\nContent-Type: image/jpeg\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await fetch(`${app.url}/api/v1/media`, {
      method: 'POST',
      body,
      headers: { ...owner.authHeader, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    expectFieldError({ status: response.status, body: await response.json() }, 400, 'file.filename');
    expect(await count('media')).toBe(before);
  });

  it('/collect: the event with a NUL or an unpaired surrogate is rejected alone; its good neighbour is stored', async () => {
    const good = { id: uuidv7(), type: 'scene_view', sceneId: sceneIds[0], offsetMs: 0 };
    const events = `[${JSON.stringify(good)},{"id":"${uuidv7()}","type":"view","offsetMs":0,"referrer":"https://a.example/\\u0000"},{"id":"${uuidv7()}","type":"view","offsetMs":0,"referrer":"https://a.example/\\udc00"}]`;
    const response = await fetch(`${app.url}/collect`, {
      method: 'POST',
      body: `{"v":1,"tourId":"${tourId}","events":${events}}`,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36' },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 1, reason: expect.stringMatching(/^invalid: referrer: .*NUL/) },
      { index: 2, reason: expect.stringMatching(/^invalid: referrer: .*U\+DC00/) },
    ]);
    expect(await db.sql`SELECT id FROM tour_analytics_events`).toEqual([{ id: good.id }]);
  });
});

describe('point 3: nesting is bounded before anything recurses into it', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('a custom payload nested 1,500 levels (12 KB): 400 naming the limit, no hotspot', async () => {
    const before = await count('hotspots');
    const body = `{"sceneId":"${sceneIds[0]}","type":"custom","yaw":0,"pitch":0,"title":"Deep","payload":${nested(1_500)}}`;
    expect(body.length).toBeGreaterThan(7_500);
    const result = await send('POST', '/api/v1/hotspots', body);
    expect(result.status).toBe(400);
    expect(result.body.errors[0].path).toMatch(/^payload(\.a)+$/);
    expect(result.body.errors[0].message).toBe(`is nested more than ${JSON_INPUT_LIMITS.maxDepth} levels deep`);
    expect(await count('hotspots')).toBe(before);
  });

  it('a payload nested within the limit is stored as sent', async () => {
    const payload = JSON.parse(nested(JSON_INPUT_LIMITS.maxDepth - 2)) as Record<string, unknown>;
    const result = await call('POST', '/api/v1/hotspots', { sceneId: sceneIds[0], type: 'custom', yaw: 0, pitch: 0, title: 'Nested', payload }, owner.authHeader);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.payload).toEqual(payload);
  });

  it('a body of nothing but nesting is refused before any route', async () => {
    const result = await send('PATCH', `/api/v1/tours/${tourId}`, `[${'['.repeat(5_000)}${']'.repeat(5_000)}]`);
    expect(result.status).toBe(400);
    expect(result.body.detail).toContain('levels deep');
  });

  it('keys that would change an object’s prototype are refused', async () => {
    const result = await send('PATCH', `/api/v1/tours/${tourId}`, '{"title":"T","__proto__":{"isFeatured":true}}');
    expectFieldError(result, 400, '__proto__');
  });
});

describe('point 4: a media URL that a browser resolves to another host is refused', () => {
  it.each(['/\\evil.example/x.jpg', '//evil.example/x.jpg', '/\t/evil.example/x.jpg', '/%5Cevil.example/x.jpg'])('floor plan imageUrl %j: 400, no floor plan', async (imageUrl) => {
    const before = await count('floor_plans');
    expectFieldError(await call('POST', '/api/v1/floor-plans', { tourId, title: 'Plan', imageUrl, width: 10, height: 10 }, owner.authHeader), 400, 'imageUrl');
    expect(await count('floor_plans')).toBe(before);
  });

  it('an audio hotspot’s mediaUrl /\\host: 400', async () => {
    const result = await call('POST', '/api/v1/hotspots', { sceneId: sceneIds[0], type: 'audio', yaw: 0, pitch: 0, title: 'A', mediaUrl: '/\\evil.example/a.mp3' }, owner.authHeader);
    expectFieldError(result, 400, 'mediaUrl');
  });
});

describe('the other 500s the fuzzer found', () => {
  it('a floor plan position too small for its real column is stored as 0, not an underflow error', async () => {
    const [floorPlan] = await db.sql<{ id: string }[]>`
      INSERT INTO floor_plans (tour_id, title, image_url, width, height) VALUES (${tourId}, 'Ground', '/media/f.png', 800, 600) RETURNING id`;
    const result = await call('PATCH', `/api/v1/scenes/${sceneIds[0]}`, { floorPlan: { floorPlanId: floorPlan!.id, x: 6.4e-323, y: 0.5 } }, owner.authHeader);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.floorPlan).toEqual({ floorPlanId: floorPlan!.id, x: 0, y: 0.5 });
  });

  it('a floor plan sortOrder past an int4: 400', async () => {
    expectFieldError(await call('POST', '/api/v1/floor-plans', { tourId, title: 'Plan', imageUrl: '/media/p.png', width: 10, height: 10, sortOrder: 2 ** 31 }, owner.authHeader), 400, 'sortOrder');
  });

  it.each([
    ['a time PostgreSQL cannot read', '/api/v1/tours', Buffer.from(JSON.stringify(['not a time', crypto.randomUUID()])).toString('base64url')],
    ['a time PostgreSQL cannot read', '/api/v1/media', Buffer.from(JSON.stringify(['2024-02-30T00:00:00.000000Z', crypto.randomUUID()])).toString('base64url')],
    ['a year past 9999', '/api/v1/public/tours', encodeURIComponent(`+020000-01-01|${crypto.randomUUID()}`)],
    ['an id that is not a UUID', '/api/v1/public/tours', encodeURIComponent('2024-01-01|0123456789abcdef0123456789abcdef0123')],
  ])('a cursor with %s (%s): 400 naming cursor', async (_what, path, cursor) => {
    expectFieldError(await call('GET', `${path}?cursor=${cursor}`, undefined, owner.authHeader), 400, 'cursor');
  });

  it('a multipart Content-Type without a boundary: 400', async () => {
    const response = await fetch(`${app.url}/api/v1/media`, { method: 'POST', body: 'x', headers: { ...owner.authHeader, 'Content-Type': 'multipart/form-data' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).detail).toContain('malformed');
  });
});
