import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '@vr-tour/db';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { startTestApp, type RunningApp } from '../support/app.js';

const PASSWORD = 'correct horse battery';

let db: TestDatabase;
let app: RunningApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const login = (email: string, password: string) => post('/api/v1/auth/login', { email, password });

describe('email normalization', () => {
  it('stores an email in NFC and finds it in any composition, case or surrounding whitespace', async () => {
    const decomposed = `Jose\u0301-${Date.now()}@Example.com`;
    const composed = decomposed.normalize('NFC').toLowerCase();
    expect((await post('/api/v1/auth/signup', { email: decomposed, password: PASSWORD })).status).toBe(202);
    const rows = await db.sql<{ email: string }[]>`SELECT email FROM users WHERE email = ${composed}`;
    expect(rows).toEqual([{ email: composed }]);
    expect((await login(` ${composed.toUpperCase()} `, PASSWORD)).status).toBe(200);
    expect((await login(decomposed, PASSWORD)).status).toBe(200);
  });

  it('brings stored emails to NFC on migrating, except one whose NFC form another account has', async () => {
    const older = await createTestDatabase({ migrated: false });
    const before = await mkdtemp(path.join(tmpdir(), 'vr-tour-migrations-'));
    try {
      for (const file of (await readdir(MIGRATIONS_DIR)).filter((name) => name < '0041')) {
        await copyFile(path.join(MIGRATIONS_DIR, file), path.join(before, file));
      }
      await migrate(older.sql, before);
      const emails = ['jose\u0301@example.com', 'rene\u0301@example.com', 'ren\u00e9@example.com'];
      await older.sql`INSERT INTO users (email) SELECT unnest(${emails}::text[])`;
      expect(await migrate(older.sql)).toContain('0041_login_throttle.sql');
      const rows = await older.sql<{ email: string }[]>`SELECT email FROM users`;
      expect(rows.map((row) => row.email).sort()).toEqual(['jos\u00e9@example.com', 'rene\u0301@example.com', 'ren\u00e9@example.com'].sort());
    } finally {
      await older.drop();
      await rm(before, { recursive: true });
    }
  });
});
