import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller } from '../support/editor.js';
import { until } from '../media/support.js';
import { followJob, startJobsApp, statusTrail, storedPanorama, upgradeStatus, type JobsApp } from './support/jobs-app.js';
import { roomPanorama } from './support/panoramas.js';
import { StubAnalyzer } from './support/stub-analyzer.js';

let db: TestDatabase;
let app: JobsApp;
let me: TestCaller;
let other: TestCaller;
let call: ReturnType<typeof apiCaller>;
const analyzer = new StubAnalyzer({ steps: 4, stepMs: 30 });
let tourId: string;
const scenes: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startJobsApp(db.sql, analyzer, { maxPerAccount: 3 });
  call = apiCaller(app.url);
  [me, other] = await Promise.all([createUserWithToken(db.sql), createUserWithToken(db.sql)]);
  const [tour] = await db.sql<{ id: string }[]>`INSERT INTO tours (user_id, title) VALUES (${me.userId}, 'Flat') RETURNING id`;
  tourId = tour!.id;
  const [floorPlan] = await db.sql<{ id: string }[]>`
    INSERT INTO floor_plans (tour_id, title, image_url, width, height) VALUES (${tourId}, 'Ground', '/media/plan.png', 1000, 1000) RETURNING id`;
  // Three rooms on the plan: the hall in the middle, the kitchen due east of it, the bedroom due north; the hall's north is at yaw 90.
  const places = [
    { title: 'Hall', x: 0.5, y: 0.5, north: 90 },
    { title: 'Kitchen', x: 0.8, y: 0.5, north: 0 },
    { title: 'Bedroom', x: 0.5, y: 0.2, north: 0 },
  ];
  for (const [index, place] of places.entries()) {
    const mediaId = await storedPanorama(db.sql, app.storage, me.userId, roomPanorama(1024, index));
    const [scene] = await db.sql<{ id: string }[]>`
      INSERT INTO scenes (tour_id, title, media_id, sort_order, north_offset, floor_plan_id, floor_plan_x, floor_plan_y)
      VALUES (${tourId}, ${place.title}, ${mediaId}, ${index}, ${place.north}, ${floorPlan!.id}, ${place.x}, ${place.y}) RETURNING id`;
    scenes.push(scene!.id);
  }
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const job = async (id: string) => (await call('GET', `/api/v1/ai-jobs/${id}`, undefined, me.authHeader)).body;
const finished = (id: string) => until(`job ${id} ended`, async () => {
  const current = await job(id);
  return ['completed', 'failed', 'cancelled'].includes(current.status) && current;
});

describe('scene analysis', () => {
  it('runs a job to completion; its socket sees pending, then processing with progress, then completed, then a normal close', async () => {
    const created = await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[0] }, me.authHeader);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ type: 'scene_analysis', sceneId: scenes[0], tourId, progress: { percent: 0 } });
    const followed = await followJob(app.url, created.body.id, me.authHeader);
    expect(await followed.closed).toMatchObject({ code: 1000 });
    const trail = statusTrail(followed.messages);
    expect(trail.at(-1)).toBe('completed:100');
    // In order: no status goes back, progress only grows while processing.
    const order = ['pending', 'processing', 'completed'];
    const ranks = trail.map((entry) => order.indexOf(entry.split(':')[0]!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const revisions = followed.messages.map((message) => message.revision ?? message.job.revision);
    expect(revisions).toEqual([...new Set(revisions)].sort((a, b) => a - b));

    const done = await job(created.body.id);
    expect(done.result.room).toMatchObject({ type: 'bedroom' });
    expect(done.result.room.confidence).toBeGreaterThan(0.4);
    expect(done.result.room.evidence).toEqual([{ label: 'bed', score: 0.8, weight: 3 }]);
    expect(done.result.quality).toMatchObject({ blurry: false, exposure: 'ok' });
    expect(done.result.objects.map((object: { label: string }) => object.label)).toEqual(['bed', 'couch', 'cup']);
    // A cup is not worth a hotspot of its own.
    const suggestions = (await call('GET', `/api/v1/ai-jobs/${created.body.id}/suggestions`, undefined, me.authHeader)).body.items;
    expect(suggestions.map((s: { label: string; yaw: number; type: string }) => [s.type, s.label, s.yaw])).toEqual([['info', 'bed', 30], ['info', 'couch', -120]]);
  });

  it('accepting a suggestion creates its hotspot; a rejected one is not suggested again by the next job', async () => {
    const first = (await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[1] }, me.authHeader)).body;
    await finished(first.id);
    const [bed, couch] = (await call('GET', `/api/v1/ai-jobs/${first.id}/suggestions`, undefined, me.authHeader)).body.items;
    const accepted = await call('POST', `/api/v1/ai-suggestions/${bed.id}/accept`, undefined, me.authHeader);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ type: 'info', sceneId: scenes[1], yaw: 30, pitch: -10, title: 'Bed' });
    expect((await db.sql`SELECT 1 FROM hotspots WHERE id = ${accepted.body.id}`).length).toBe(1);
    expect((await call('POST', `/api/v1/ai-suggestions/${bed.id}/accept`, undefined, me.authHeader)).status).toBe(409);
    expect((await call('POST', `/api/v1/ai-suggestions/${bed.id}/reject`, undefined, me.authHeader)).status).toBe(409);
    // Another account cannot see or decide it.
    expect((await call('POST', `/api/v1/ai-suggestions/${couch.id}/reject`, undefined, other.authHeader)).status).toBe(404);
    const rejected = await call('POST', `/api/v1/ai-suggestions/${couch.id}/reject`, undefined, me.authHeader);
    expect(rejected.body).toMatchObject({ status: 'rejected', hotspotId: null });

    const rerun = (await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[1] }, me.authHeader)).body;
    const done = await finished(rerun.id);
    // The bed has its hotspot now, the couch was rejected: nothing left to suggest.
    expect(done.result).toMatchObject({ suggestions: 0, suppressedByRejections: 1 });
  });

  it('a cancelled job stops its analysis and stays cancelled, with no result', async () => {
    Object.assign(analyzer, { steps: 1000, stepMs: 50 });
    const abortedBefore = analyzer.aborted.length;
    try {
      const created = (await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[2] }, me.authHeader)).body;
      const followed = await followJob(app.url, created.id, me.authHeader);
      await until('the analysis is running', async () => (await job(created.id)).progress.percent > 5);
      const cancelled = await call('POST', `/api/v1/ai-jobs/${created.id}/cancel`, undefined, me.authHeader);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      await until('the analysis stopped', async () => analyzer.aborted.length === abortedBefore + 1);
      expect(await followed.closed).toMatchObject({ code: 1000 });
      expect(followed.messages.at(-1).job).toMatchObject({ status: 'cancelled', result: null });
      expect((await call('POST', `/api/v1/ai-jobs/${created.id}/cancel`, undefined, me.authHeader)).status).toBe(409);
      const [row] = await db.sql`SELECT status, result, lease_owner FROM ai_jobs WHERE id = ${created.id}`;
      expect(row).toEqual({ status: 'cancelled', result: null, lease_owner: null });
    } finally {
      Object.assign(analyzer, { steps: 4, stepMs: 30 });
    }
  });
});

describe('hotspot generation', () => {
  it('suggests links both ways between scenes on the floor plan, at the plan’s bearings turned by each scene’s north', async () => {
    const created = (await call('POST', '/api/v1/ai-jobs', { type: 'hotspot_generation', tourId }, me.authHeader)).body;
    await finished(created.id);
    const items = (await call('GET', `/api/v1/ai-jobs/${created.id}/suggestions`, undefined, me.authHeader)).body.items as any[];
    const link = (from: number, to: number) => items.find((item) => item.sceneId === scenes[from] && item.targetSceneId === scenes[to]);
    // Hall -> kitchen: east (90°) from north, which is at yaw 90 in the hall: yaw 180 (-180).
    expect(Math.abs(link(0, 1).yaw)).toBe(180);
    // Hall -> bedroom: north, at yaw 90 in the hall.
    expect(link(0, 2).yaw).toBe(90);
    // Kitchen -> hall: west; bedroom -> hall: south.
    expect(link(1, 0).yaw).toBe(-90);
    expect(Math.abs(link(2, 0).yaw)).toBe(180);
    expect(link(0, 1)).toMatchObject({ type: 'navigation', label: 'link', title: 'To Kitchen', evidence: { source: 'floor plan' } });
    const accepted = await call('POST', `/api/v1/ai-suggestions/${link(0, 2).id}/accept`, undefined, me.authHeader);
    expect(accepted.body).toMatchObject({ type: 'navigation', targetSceneId: scenes[2], yaw: 90 });
  });
});

describe('refusals', () => {
  it('answers bad input with problem+json and writes nothing', async () => {
    const before = await db.sql`SELECT count(*)::int AS n FROM ai_jobs`;
    for (const [body, status] of [
      [{ type: 'scene_analysis' }, 400],
      [{ type: 'face_swap', sceneId: scenes[0] }, 400],
      [{ type: 'scene_analysis', sceneId: 'nope' }, 400],
      [{ type: 'hotspot_generation', tourId, extra: 1 }, 400],
      [{ type: 'hotspot_generation', tourId: crypto.randomUUID() }, 404],
    ] as const) {
      const answer = await call('POST', '/api/v1/ai-jobs', body, me.authHeader);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[0] }, other.authHeader)).status).toBe(404);
    expect(await db.sql`SELECT count(*)::int AS n FROM ai_jobs`).toEqual(before);
  });

  it('refuses socket upgrades without credentials, of others, from another origin, to unknown jobs, over the cap', async () => {
    const created = (await call('POST', '/api/v1/ai-jobs', { type: 'hotspot_generation', tourId }, me.authHeader)).body;
    await finished(created.id);
    const path = `/ws/jobs/${created.id}`;
    expect(await upgradeStatus(app.url, path, {})).toBe(401);
    expect(await upgradeStatus(app.url, path, { Authorization: 'Bearer nope' })).toBe(401);
    expect(await upgradeStatus(app.url, path, other.authHeader)).toBe(404);
    expect(await upgradeStatus(app.url, `/ws/jobs/${crypto.randomUUID()}`, me.authHeader)).toBe(404);
    expect(await upgradeStatus(app.url, '/ws/jobs/not-a-uuid', me.authHeader)).toBe(404);
    expect(await upgradeStatus(app.url, '/ws/other', me.authHeader)).toBe(404);
    // A browser session: its cookie is accepted only from the server's own origin.
    const email = `ws-${crypto.randomUUID()}@example.com`;
    const signup = await fetch(`${app.url}/api/v1/auth/signup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery', displayName: 'W' }) });
    const cookie = signup.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const [owner] = await db.sql<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`;
    await db.sql`UPDATE tours SET user_id = ${owner!.id} WHERE id = ${tourId}`;
    try {
      expect(await upgradeStatus(app.url, path, { Cookie: cookie })).toBe(403);
      expect(await upgradeStatus(app.url, path, { Cookie: cookie, Origin: 'https://evil.example' })).toBe(403);
      const followed = await followJob(app.url, created.id, { Cookie: cookie, Origin: app.url });
      expect(await followed.closed).toMatchObject({ code: 1000 });
      expect(followed.messages[0].job.status).toBe('completed');
    } finally {
      await db.sql`UPDATE tours SET user_id = ${me.userId} WHERE id = ${tourId}`;
    }
  });

  it('closes a socket sending a malformed (1008) or oversized (1009) message; the job is unchanged', async () => {
    const slow = (await call('POST', '/api/v1/ai-jobs', { type: 'hotspot_generation', tourId }, me.authHeader)).body;
    await finished(slow.id);
    const before = await db.sql`SELECT revision, status, updated_at FROM ai_jobs WHERE id = ${slow.id}`;
    // A finished job's socket closes after its state; these need one that stays open: a job waiting in one long step.
    Object.assign(analyzer, { steps: 1, stepMs: 600_000 });
    try {
      const pending = (await call('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId: scenes[0] }, me.authHeader)).body;
      await until('the job is in its long step', async () => (await job(pending.id)).progress.stage === 'step 1 of 1');
      const pendingBefore = await db.sql`SELECT revision, status, updated_at FROM ai_jobs WHERE id = ${pending.id}`;
      const ping = await followJob(app.url, pending.id, me.authHeader);
      ping.socket.send(JSON.stringify({ type: 'ping' }));
      await until('the pong', async () => ping.messages.some((message) => message.type === 'pong'));
      ping.socket.send('{"type":"cancel"}');
      expect(await ping.closed).toMatchObject({ code: 1008 });
      const big = await followJob(app.url, pending.id, me.authHeader);
      big.socket.send('x'.repeat(5000));
      expect((await big.closed).code).toBe(1009);
      const sockets = await Promise.all([0, 1, 2].map(() => followJob(app.url, pending.id, me.authHeader)));
      expect(await upgradeStatus(app.url, `/ws/jobs/${pending.id}`, me.authHeader)).toBe(429);
      for (const socket of sockets) socket.socket.close();
      expect(await db.sql`SELECT revision, status, updated_at FROM ai_jobs WHERE id = ${pending.id}`).toEqual(pendingBefore);
      await call('POST', `/api/v1/ai-jobs/${pending.id}/cancel`, undefined, me.authHeader);
    } finally {
      Object.assign(analyzer, { steps: 4, stepMs: 30 });
    }
    expect(await db.sql`SELECT revision, status, updated_at FROM ai_jobs WHERE id = ${slow.id}`).toEqual(before);
  });
});
