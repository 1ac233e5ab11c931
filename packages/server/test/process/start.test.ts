import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { spawnServer } from '../support/spawn-server.js';
import { insertTour, insertUser } from '../support/fixtures.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-data-'));
});
afterAll(() => db.drop());

describe('the server process', () => {
  it('refuses to start on a bad setting, naming it', async () => {
    await expect(spawnServer({ DATABASE_URL: db.url, PORT: 'eighty', DATA_DIR: dataDir })).rejects.toThrow(
      /exited with 2[\s\S]*PORT="eighty"/,
    );
  });

  it('serves, then on SIGTERM stops answering readiness, finishes and exits 0', async () => {
    const userId = await insertUser(db.sql);
    const { tourId } = await insertTour(db.sql, userId);
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO: 'off' });
    const document = await fetch(`${server.url}/api/v1/public/tours/${tourId}`);
    expect(document.status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
