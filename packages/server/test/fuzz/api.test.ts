import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { loadConfig } from '../../src/config.js';
import { buildOpenApiDocument } from '../../src/openapi/document.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken } from '../support/auth.js';
import { insertReadyPanorama, insertTour } from '../support/fixtures.js';
import { changedTables, checksum, checksumStatement, FUZZ_SEED, runsPer, send, Tally } from './support/harness.js';
import { documentOperations, requestArbitrary, type Caller, type FuzzContext } from './support/requests.js';

// Every operation of the OpenAPI document gets requests that are valid but for
// one poison (NUL, lone surrogates, deep nesting, huge numbers, wrong types,
// prototype keys, off-host URLs, broken JSON or multipart, bad credentials,
// bad path and query values), sent by a real user. Each must be answered
// below 500 (problem+json when it is an error), in time, and write no row.
// A route added to the document is fuzzed without a line here.

/** Runs per target: more where a body gives the poisons more places. */
const RUNS_WITH_BODY = runsPer(60);
const RUNS_WITHOUT_BODY = runsPer(25);
const BASE = '/api/v1';
const document = buildOpenApiDocument(BASE) as unknown as Parameters<typeof documentOperations>[0];
/**
 * Deletes last, closing the caller's own account very last: when a poison is
 * not refused (the bugs this finds), the fixtures the other operations need survive longer.
 */
const rank = (operation: { method: string; path: string }) => (operation.path === '/auth/me' ? 2 : operation.method === 'DELETE' ? 1 : 0);
const operations = documentOperations(document).sort((a, b) => rank(a) - rank(b));

let db: TestDatabase;
let app: RunningApp;
let ctx: FuzzContext;
let statement: string;
const tallies = new Map<string, Tally>();

/** A user made the way a creator makes one: sign-up (session cookie and CSRF token), then an API token. */
async function signUp(url: string): Promise<Caller & { id: string; tokenId: string }> {
  const response = await fetch(`${url}${BASE}/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `fuzz-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'Fuzz' }),
  });
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  // Sign-up answers alike for new and taken emails; the session says who is signed in.
  const session = (await (await fetch(`${url}${BASE}/auth/session`, { headers: { Cookie: cookie } })).json()) as {
    user: { id: string };
    csrfToken: string;
  };
  const created = await fetch(`${url}${BASE}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': session.csrfToken },
    body: JSON.stringify({ name: 'fuzz' }),
  });
  const { id: tokenId, token } = (await created.json()) as { id: string; token: string };
  return { id: session.user.id, cookie, csrf: session.csrfToken, token, tokenId };
}

beforeAll(async () => {
  db = await createTestDatabase();
  // DNS answers at once (nothing listens on port 9): a "verify now" must not wait on the network.
  const config = loadConfig({ LOG_LEVEL: 'silent', DNS_SERVERS: '127.0.0.1:9', DNS_TIMEOUT_MS: '50' });
  app = await startTestApp(db.sql, { config });
  const served = await (await fetch(`${app.url}${BASE}/openapi.json`)).json();
  expect(served).toEqual(buildOpenApiDocument());

  const creator = await signUp(app.url);
  const admin = await signUp(app.url);
  await db.sql`UPDATE users SET role = 'admin' WHERE id = ${admin.id}`;
  const victim = await createUserWithToken(db.sql);
  const { tourId, sceneIds } = await insertTour(db.sql, creator.id, { status: 'published', visibility: 'public', scenes: 2 });
  const [hotspot] = await db.sql<{ id: string }[]>`SELECT id FROM hotspots WHERE scene_id = ${sceneIds[0]!}`;
  const [floorPlan] = await db.sql<{ id: string }[]>`
    INSERT INTO floor_plans (tour_id, title, image_url, width, height) VALUES (${tourId}, 'Ground', '/media/f.png', 800, 600) RETURNING id`;
  const mediaId = await insertReadyPanorama(db.sql, creator.id);
  const [domain] = await db.sql<{ id: string }[]>`
    INSERT INTO custom_domains (user_id, tour_id, host, verification_token, next_check_at)
    VALUES (${creator.id}, ${tourId}, 'tours.fuzz.example', ${'0'.repeat(32)}, NULL) RETURNING id`;
  // A finished AI job of the tour with one open suggestion, for the AI job operations' paths.
  const [aiJob] = await db.sql<{ id: string }[]>`
    INSERT INTO ai_jobs (user_id, tour_id, type, status, progress, result, completed_at)
    VALUES (${creator.id}, ${tourId}, 'hotspot_generation', 'completed', 100, '{}', now()) RETURNING id`;
  const [suggestion] = await db.sql<{ id: string }[]>`
    INSERT INTO ai_suggestions (job_id, scene_id, type, target_scene_id, yaw, pitch, title, label, confidence)
    VALUES (${aiJob!.id}, ${sceneIds[0]!}, 'navigation', ${sceneIds[1]!}, 90, -10, 'To Scene 2', 'link', 0.8) RETURNING id`;
  const image = await sharp({ create: { width: 1024, height: 512, channels: 3, background: '#6688aa' } }).jpeg().toBuffer();
  ctx = {
    doc: document,
    base: BASE,
    ids: {
      tourId: [tourId],
      sceneId: sceneIds,
      targetSceneId: sceneIds,
      initialSceneId: sceneIds,
      sceneIds,
      mediaId: [mediaId],
      floorPlanId: [floorPlan!.id],
      hotspotId: [hotspot!.id],
    },
    pathIds: {
      tours: tourId,
      public: tourId,
      scenes: sceneIds[0]!,
      hotspots: hotspot!.id,
      'floor-plans': floorPlan!.id,
      media: mediaId,
      auth: creator.tokenId,
      users: victim.userId,
      'custom-domains': domain!.id,
      'ai-jobs': aiJob!.id,
      'ai-suggestions': suggestion!.id,
    },
    creator,
    admin,
    image,
  };
  statement = await checksumStatement(db.sql);
});

afterAll(async () => {
  const lines = [...tallies].map(([name, tally]) => tally.summary(name));
  const total = [...tallies.values()].reduce((sum, tally) => ({ cases: sum.cases + tally.cases, fivexx: sum.fivexx + tally.fivexx }), { cases: 0, fivexx: 0 });
  console.log(`API fuzz, seed ${FUZZ_SEED}, ${RUNS_WITH_BODY} runs per operation with a body, ${RUNS_WITHOUT_BODY} without:\n${lines.join('\n')}\nall ${tallies.size} targets: ${total.cases} cases, 5xx ${total.fivexx}`);
  await mediaIdle();
  await app?.close();
  await db?.drop();
});

/** An upload that got through is processed after its answer: its writes belong to it, not to the next case. */
async function mediaIdle(): Promise<void> {
  while ((await db.sql`SELECT 1 FROM media WHERE status IN ('pending', 'processing')`).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it('finds operations in the document', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(operations.map((operation, index) => ({ name: operation.name, operation, index })))(
    '$name: no 5xx, no hang, problem+json errors, no row written',
    async ({ name, operation, index }) => {
      const tally = new Tally();
      tallies.set(name, tally);
      let before = await checksum(db.sql, statement);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(ctx, operation), async (fuzz) => {
          const answer = await send(app.url, fuzz);
          if (answer !== 'timeout' && answer.status < 300) await mediaIdle();
          const after = await checksum(db.sql, statement);
          tally.record(fuzz, answer, changedTables(before, after));
          before = after;
        }),
        { seed: FUZZ_SEED + index, numRuns: operation.body ? RUNS_WITH_BODY : RUNS_WITHOUT_BODY },
      );
      expect(tally.violations, tally.violations.slice(0, 20).join('\n')).toEqual([]);
    },
  );
});
