import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { spawnServer } from '../support/spawn-server.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('the request log of the real server process', () => {
  it('never holds a password, a session cookie, a CSRF token or an API token in clear', async () => {
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: await mkdtemp(path.join(tmpdir(), 'vr-tour-log-')), DEMO: 'off' });
    try {
      const json = { 'Content-Type': 'application/json' };
      const password = 'a very secret passphrase';
      const email = `log-${Date.now()}@example.com`;
      await fetch(`${server.url}/api/v1/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
      expect(login.status).toBe(200);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      const session = decodeURIComponent(/vrt_session=([^;]+)/.exec(cookie)![1]!);
      const created = await fetch(`${server.url}/api/v1/auth/tokens`, {
        method: 'POST',
        headers: { ...json, Cookie: cookie, 'X-CSRF-Token': csrfToken },
        body: JSON.stringify({ name: 'ci' }),
      });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      expect((await fetch(`${server.url}/api/v1/tours`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      // A wrong password is logged too (a 401), and must not be either.
      await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'wrong guess 123' }) });

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const log = server.output();
      // The requests were logged, with their headers, as redacted.
      expect(log).toContain('"url":"/api/v1/auth/tokens"');
      expect(log).toMatch(/"authorization":"\[Redacted\]"/);
      expect(log).toMatch(/"cookie":"\[Redacted\]"/);
      expect(log).toMatch(/"set-cookie":"\[Redacted\]"/);
      for (const secret of [password, 'wrong guess 123', session, encodeURIComponent(session), csrfToken, token, token.slice(4)]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });
});
