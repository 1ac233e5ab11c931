import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken } from '../support/auth.js';
import { TOKEN_PREFIX } from '../../src/auth/sql.js';
import { loadConfig } from '../../src/config.js';

let db: TestDatabase;
let app: RunningApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql, { config: loadConfig({ LOG_LEVEL: 'silent', LOGIN_MAX_ATTEMPTS: '3' }) });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

let counter = 0;
const freshEmail = () => `person${(counter += 1)}-${Date.now()}@example.com`;

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The two cookies of a Set-Cookie answer, as a Cookie header. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

/** Signs up as the studio does: the answer tells nothing, the session then says who this browser is. */
async function signUp(email = freshEmail(), password = 'correct horse battery') {
  const response = await call('POST', '/api/v1/auth/signup', { email, password, displayName: 'Ada' });
  expect(response.status).toBe(202);
  const cookie = cookieHeader(response);
  const session = await call('GET', '/api/v1/auth/session', undefined, { Cookie: cookie });
  expect(session.status).toBe(200);
  const body = (await session.json()) as { user: { id: string; role: string; email: string }; csrfToken: string };
  expect(body.user.email).toBe(email);
  return { email, password, cookie, csrf: body.csrfToken, user: body.user, response };
}

describe('sign-up and login', () => {
  it('creates a creator with an argon2 hash and an HttpOnly SameSite=Lax session cookie', async () => {
    const { email, password, response, user } = await signUp();
    expect(user.role).toBe('creator');
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((line) => line.startsWith('vrt_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    const [row] = await db.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE email = ${email}`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.password_hash).not.toContain(password);
    // The session is stored as the SHA-256 of the cookie's secret, never the secret itself.
    const secret = decodeURIComponent(session.split(';')[0]!.slice('vrt_session='.length));
    const sessions = await db.sql<{ row: string; token_hash: Buffer }[]>`
      SELECT row_to_json(s)::text AS row, token_hash FROM auth_sessions s WHERE user_id = ${user.id}`;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.row).not.toContain(secret);
    expect(sessions[0]!.token_hash).toEqual(createHash('sha256').update(secret).digest());
  });

  it('marks the cookie Secure when the request came over TLS through the trusted proxy', async () => {
    const response = await call('POST', '/api/v1/auth/signup', { email: freshEmail(), password: 'long enough pw' }, {
      'X-Forwarded-Proto': 'https',
    });
    expect(response.headers.getSetCookie().find((line) => line.startsWith('vrt_session='))).toMatch(/Secure/);
  });

  it('marks every cookie Secure when PUBLIC_URL is https, even on a request that came over plain HTTP', async () => {
    const behindTls = await startTestApp(db.sql, { config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'https://tours.example.com' }) });
    try {
      const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
        fetch(`${behindTls.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body ?? {}) });
      const email = freshEmail();
      const signup = await post('/api/v1/auth/signup', { email, password: 'long enough pw' });
      const login = await post('/api/v1/auth/login', { email, password: 'long enough pw' });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const logout = await post('/api/v1/auth/logout', undefined, { Cookie: cookieHeader(login), 'X-CSRF-Token': csrfToken });
      expect([signup.status, login.status, logout.status]).toEqual([202, 200, 204]);
      const lines = [signup, login, logout].flatMap((response) => response.headers.getSetCookie());
      // Session and CSRF cookies, set twice and cleared once.
      expect(lines.map((line) => line.split('=')[0])).toEqual(['vrt_session', 'vrt_csrf', 'vrt_session', 'vrt_csrf', 'vrt_session', 'vrt_csrf']);
      for (const line of lines) expect(line).toMatch(/;\s*Secure(;|$)/);
    } finally {
      await behindTls.close();
    }
  });

  it('names the bad fields', async () => {
    const response = await call('POST', '/api/v1/auth/signup', { email: 'nope', password: 'short' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((error) => error.path).sort()).toEqual(['email', 'password']);
  });

  it('answers a sign-up for a taken email as for a free one, and signs in only a new account', async () => {
    const { email, password, user } = await signUp();
    const [before] = await db.sql<{ password_hash: string; display_name: string }[]>`
      SELECT password_hash, display_name FROM users WHERE id = ${user.id}`;
    const free = freshEmail();
    const signUpAs = (address: string) =>
      call('POST', '/api/v1/auth/signup', { email: address, password: 'another password', displayName: 'Mallory' });
    const taken = await signUpAs(`  ${email.toUpperCase()} `);
    const fresh = await signUpAs(free);
    expect([taken.status, fresh.status]).toEqual([202, 202]);
    const takenBody = (await taken.json()) as { email: string; message: string };
    const freshBody = (await fresh.json()) as { email: string; message: string };
    expect({ ...takenBody, email: 'x' }).toEqual({ ...freshBody, email: 'x' });
    expect([takenBody.email, freshBody.email]).toEqual([email, free]);
    expect(taken.headers.get('content-type')).toBe(fresh.headers.get('content-type'));
    // Only the new account is signed in; the taken one is untouched, its owner's password still the one that works.
    expect(taken.headers.getSetCookie()).toEqual([]);
    expect((await call('GET', '/api/v1/auth/session', undefined, { Cookie: cookieHeader(fresh) })).status).toBe(200);
    const after = await db.sql<{ password_hash: string; display_name: string }[]>`
      SELECT password_hash, display_name FROM users WHERE email = ${email}`;
    expect(after).toEqual([before]);
    expect((await call('POST', '/api/v1/auth/login', { email, password: 'another password' })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { email, password })).status).toBe(200);
  });

  it('logs in, serves the session with its CSRF token, and logs out', async () => {
    const { email, password } = await signUp();
    const wrong = await call('POST', '/api/v1/auth/login', { email, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    const login = await call('POST', '/api/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    const cookie = cookieHeader(login);
    const session = await call('GET', '/api/v1/auth/session', undefined, { Cookie: cookie });
    const body = (await session.json()) as { csrfToken: string; user: { email: string } };
    expect(body.user.email).toBe(email);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const logout = await call('POST', '/api/v1/auth/logout', undefined, { Cookie: cookie, 'X-CSRF-Token': body.csrfToken });
    expect(logout.status).toBe(204);
    expect((await call('GET', '/api/v1/auth/session', undefined, { Cookie: cookie })).status).toBe(401);
  });

  it('makes a network that keeps failing for an email wait, even with the right password, and lets the owner in elsewhere', async () => {
    const { email, password } = await signUp();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await call('POST', '/api/v1/auth/login', { email, password: 'wrong password' })).status).toBe(401);
    }
    const limited = await call('POST', '/api/v1/auth/login', { email, password });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // The first wait is a minute.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const elsewhere = await call('POST', '/api/v1/auth/login', { email, password }, { 'X-Forwarded-For': '198.51.100.7' });
    expect(elsewhere.status).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the token, or with a wrong one, and accepts it with the token', async () => {
    const { cookie, csrf } = await signUp();
    const without = await call('POST', '/api/v1/auth/tokens', { name: 'ci' }, { Cookie: cookie });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { detail: string }).detail).toMatch(/x-csrf-token/);
    expect((await call('POST', '/api/v1/auth/tokens', { name: 'ci' }, { Cookie: cookie, 'X-CSRF-Token': 'x'.repeat(43) })).status).toBe(403);
    expect((await call('POST', '/api/v1/auth/tokens', { name: 'ci' }, { Cookie: cookie, 'X-CSRF-Token': csrf })).status).toBe(201);
  });

  it('does not ask a bearer-token caller for one', async () => {
    const caller = await createUserWithToken(db.sql);
    expect((await call('POST', '/api/v1/auth/tokens', { name: 'ci' }, caller.authHeader)).status).toBe(201);
  });
});

describe('API tokens', () => {
  it('shows a token once, lists it without the secret, and stops accepting it once revoked', async () => {
    const caller = await createUserWithToken(db.sql);
    const created = await call('POST', '/api/v1/auth/tokens', { name: 'deploy' }, caller.authHeader);
    const token = (await created.json()) as { id: string; token: string; prefix: string };
    expect(token.token).toMatch(/^vrt_/);
    // At rest only its SHA-256: no column of the row holds the secret.
    const [stored] = await db.sql<{ row: string; token_hash: Buffer }[]>`
      SELECT row_to_json(t)::text AS row, token_hash FROM api_tokens t WHERE id = ${token.id}`;
    expect(stored!.row).not.toContain(token.token.slice(TOKEN_PREFIX.length));
    expect(stored!.token_hash).toEqual(createHash('sha256').update(token.token).digest());
    const bearer = { Authorization: `Bearer ${token.token}` };
    expect((await call('GET', '/api/v1/auth/session', undefined, bearer)).status).toBe(200);
    const list = await (await call('GET', '/api/v1/auth/tokens', undefined, bearer)).text();
    expect(list).toContain(token.prefix);
    expect(list).not.toContain(token.token);
    expect((await call('DELETE', `/api/v1/auth/tokens/${token.id}`, undefined, caller.authHeader)).status).toBe(204);
    const after = await call('GET', '/api/v1/auth/session', undefined, bearer);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toMatch(/revoked/);
  });

  it('cannot revoke another user’s token (404)', async () => {
    const owner = await createUserWithToken(db.sql);
    const other = await createUserWithToken(db.sql);
    const [row] = await db.sql<{ id: string }[]>`SELECT id FROM api_tokens WHERE user_id = ${owner.userId}`;
    expect((await call('DELETE', `/api/v1/auth/tokens/${row!.id}`, undefined, other.authHeader)).status).toBe(404);
  });
});

describe('user administration', () => {
  it('lets only an admin change roles; deleting a user cascades to their tours', async () => {
    const admin = await createUserWithToken(db.sql, 'admin');
    const creator = await createUserWithToken(db.sql);
    const patch = (headers: Record<string, string>) => call('PATCH', `/api/v1/users/${creator.userId}`, { role: 'admin' }, headers);
    expect((await patch({})).status).toBe(401);
    expect((await patch(creator.authHeader)).status).toBe(403);
    expect((await patch(admin.authHeader)).status).toBe(200);
    await db.sql`INSERT INTO tours (user_id, title) VALUES (${creator.userId}, 'Doomed')`;
    expect((await call('DELETE', '/api/v1/auth/me', undefined, creator.authHeader)).status).toBe(204);
    expect(await db.sql`SELECT 1 FROM tours WHERE user_id = ${creator.userId}`).toHaveLength(0);
    expect((await call('GET', '/api/v1/auth/session', undefined, creator.authHeader)).status).toBe(401);
  });
});

// Last in the file: it uses up this IP's window, which every login above shares.
describe('login rate limit per IP', () => {
  it('refuses an IP that tries many emails, each only once, within five times the per-email limit', async () => {
    // Each email is new, so its own count is 1: only the IP's count can answer 429.
    const statuses: number[] = [];
    while (statuses.length < 3 * 5 + 1 && statuses.at(-1) !== 429) {
      statuses.push((await call('POST', '/api/v1/auth/login', { email: freshEmail(), password: 'wrong password' })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
  });
});
