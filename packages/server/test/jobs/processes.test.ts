import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { LocalStorage } from '../../src/storage/local.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { apiCaller } from '../support/editor.js';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';
import { until } from '../media/support.js';
import { followJob, statusTrail, storedPanorama } from './support/jobs-app.js';
import { roomPanorama } from './support/panoramas.js';

// Two real server processes on one PostgreSQL, each with its AI job runner
// and sockets (the stand-in analyzer: STUB_STEPS steps STUB_STEP_MS apart).
const STUB_SERVER = fileURLToPath(new URL('./support/stub-server.ts', import.meta.url));

let db: TestDatabase;
let dataDir: string;
let me: TestCaller;
let sceneId: string;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-jobs-processes-'));
  me = await createUserWithToken(db.sql);
  const mediaId = await storedPanorama(db.sql, new LocalStorage(path.join(dataDir, 'media')), me.userId, roomPanorama(512));
  const [tour] = await db.sql<{ id: string }[]>`INSERT INTO tours (user_id, title) VALUES (${me.userId}, 'Two processes') RETURNING id`;
  const [scene] = await db.sql<{ id: string }[]>`INSERT INTO scenes (tour_id, title, media_id) VALUES (${tour!.id}, 'Room', ${mediaId}) RETURNING id`;
  sceneId = scene!.id;
  const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off', STUB_STEPS: '8', STUB_STEP_MS: '250', AI_LEASE_MS: '1500' };
  servers = await Promise.all([spawnServer(env, 60_000, STUB_SERVER), spawnServer(env, 60_000, STUB_SERVER)]);
});
afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const row = async (id: string) =>
  (await db.sql<{ status: string; attempts: number; lease_owner: string | null; progress: number }[]>`
    SELECT status, attempts, lease_owner, progress FROM ai_jobs WHERE id = ${id}`)[0]!;
const createJob = async (server: ServerProcess) =>
  (await apiCaller(server.url)('POST', '/api/v1/ai-jobs', { type: 'scene_analysis', sceneId }, me.authHeader)).body.id as string;

describe('AI jobs across server processes', () => {
  it('sockets on both processes see one job go pending -> processing (progress) -> completed, in order', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    // Both runners busy with a job each, so the next one waits, pending, while the sockets open.
    const blockers = [await createJob(a), await createJob(b)];
    await until('both runners are busy', async () => (await Promise.all(blockers.map(row))).every((job) => job.status === 'processing'));
    const id = await createJob(a);
    const followers = await Promise.all([followJob(a.url, id, me.authHeader), followJob(b.url, id, me.authHeader)]);
    await until('both sockets have the first state', async () => followers.every((follower) => follower.messages.length > 0));
    for (const blocker of blockers) await apiCaller(b.url)('POST', `/api/v1/ai-jobs/${blocker}/cancel`, undefined, me.authHeader);

    for (const follower of followers) {
      expect(await follower.closed).toMatchObject({ code: 1000 });
      const trail = statusTrail(follower.messages);
      expect(trail[0]).toBe('pending:0');
      expect(trail.at(-1)).toBe('completed:100');
      const processing = trail.filter((entry) => entry.startsWith('processing:'));
      expect(processing.length).toBeGreaterThan(1);
      const percents = processing.map((entry) => Number(entry.split(':')[1]));
      expect(percents).toEqual([...percents].sort((x, y) => x - y));
      expect(trail.indexOf(processing[0]!)).toBe(1);
    }
    // Whichever process ran it, both sockets saw the same states.
    expect(statusTrail(followers[0]!.messages)).toEqual(statusTrail(followers[1]!.messages));
    expect(await Promise.all(blockers.map(async (blocker) => (await row(blocker)).status))).toEqual(['cancelled', 'cancelled']);
  });

  it('a job whose process is killed mid-way is finished by the other process once the lease ran out', async () => {
    const id = await createJob(servers[0]!);
    const holder = await until('a process is working on it', async () => {
      const job = await row(id);
      return job.progress > 10 && servers.find((server) => job.lease_owner?.includes(`:${server.child.pid}:`));
    });
    const survivor = servers.find((server) => server !== holder)!;
    const followed = await followJob(survivor.url, id, me.authHeader);
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(await followed.closed).toMatchObject({ code: 1000 });
    expect(followed.messages.at(-1).job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await row(id)).toMatchObject({ status: 'completed', attempts: 2, lease_owner: null });
    servers = servers.filter((server) => server !== holder);
  });
});
