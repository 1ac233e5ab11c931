import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { startTestApp, type RunningApp } from '../support/app.js';
import { loadConfig } from '../../src/config.js';
import { waitAfter } from '../../src/auth/login-throttle.js';

// Three failures per email and network before waits; fifteen per network, and per email under attack.
const config = loadConfig({ LOG_LEVEL: 'silent', LOGIN_MAX_ATTEMPTS: '3' });
const PASSWORD = 'correct horse battery';

let db: TestDatabase;
let app: RunningApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql, { config });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

let counter = 0;
const freshEmail = () => `throttle${(counter += 1)}-${Date.now()}@example.com`;

/** A request from `network`, as the trusted loopback proxy reports it. */
function post(path: string, body: unknown, network: string, base = app.url) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': network },
    body: JSON.stringify(body),
  });
}
const login = (email: string, password: string, network: string, base?: string) =>
  post('/api/v1/auth/login', { email, password }, network, base);

async function owner(): Promise<string> {
  const email = freshEmail();
  expect((await post('/api/v1/auth/signup', { email, password: PASSWORD }, '192.0.2.1')).status).toBe(202);
  return email;
}

async function statuses(attempts: (() => Promise<Response>)[]): Promise<number[]> {
  const seen: number[] = [];
  for (const attempt of attempts) seen.push((await attempt()).status);
  return seen;
}

const sessionsOf = async (email: string) =>
  (await db.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ${email}`)[0]!.n;

/** As if the wait of `key` had run out. */
const endWait = (key: string) => db.sql`UPDATE auth_login_throttle SET blocked_until = now() - interval '1 second' WHERE key = ${key}`;

describe('the wait schedule', () => {
  it('is free up to the allowance, then one minute doubling to fifteen', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((failures) => waitAfter(failures, 3) / 60_000)).toEqual([0, 0, 1, 2, 4, 8, 15, 15, 15]);
    expect(waitAfter(1, 1)).toBe(60_000);
  });
});

describe('login throttling', () => {
  it('makes a failing network wait, the right password included, while the owner gets in from elsewhere; email variants count as one', async () => {
    const email = await owner();
    const signedUpSessions = await sessionsOf(email);
    const variants = [email.toUpperCase(), `  ${email}\t`, email.replace(/^t/, 'T')];
    expect(await statuses(variants.map((variant) => () => login(variant, 'wrong password', '203.0.113.10')))).toEqual([401, 401, 401]);
    const refused = await login(email, PASSWORD, '203.0.113.10');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Refused: no session was made.
    expect(await sessionsOf(email)).toBe(signedUpSessions);
    expect((await login(email, PASSWORD, '198.51.100.10')).status).toBe(200);
    // The owner's success elsewhere does not lift the stranger's wait.
    expect((await login(email, PASSWORD, '203.0.113.10')).status).toBe(429);
    const [pair] = await db.sql<{ failures: number; waiting: boolean }[]>`
      SELECT failures, blocked_until > now() AS waiting FROM auth_login_throttle WHERE key = ${`pair:203.0.113.10 ${email}`}`;
    expect(pair).toEqual({ failures: 3, waiting: true });
  });

  it('doubles the wait after each further failure, and forgets it all on a success', async () => {
    const email = await owner();
    const key = `pair:203.0.113.11 ${email}`;
    for (let attempt = 0; attempt < 3; attempt += 1) await login(email, 'wrong password', '203.0.113.11');
    await endWait(key);
    expect((await login(email, 'wrong again', '203.0.113.11')).status).toBe(401);
    const second = await login(email, PASSWORD, '203.0.113.11');
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    await endWait(key);
    expect((await login(email, PASSWORD, '203.0.113.11')).status).toBe(200);
    expect(await db.sql`SELECT 1 FROM auth_login_throttle WHERE key = ${key}`).toHaveLength(0);
    expect((await login(email, 'one typo', '203.0.113.11')).status).toBe(401);
    expect((await login(email, PASSWORD, '203.0.113.11')).status).toBe(200);
  });

  it('makes a network that sprays many emails wait after five times the allowance; a success gives its attempt back', async () => {
    const email = await owner();
    const spray = Array.from({ length: 14 }, () => () => login(freshEmail(), 'Password123!', '203.0.113.12'));
    expect(new Set(await statuses(spray))).toEqual(new Set([401]));
    // The fifteenth attempt is a success: it is not counted against the network.
    expect((await login(email, PASSWORD, '203.0.113.12')).status).toBe(200);
    expect((await login(freshEmail(), 'Password123!', '203.0.113.12')).status).toBe(401);
    expect((await login(email, PASSWORD, '203.0.113.12')).status).toBe(429);
    expect((await login(email, PASSWORD, '198.51.100.12')).status).toBe(200);
  });

  it('under a distributed attack makes each failing network wait after one failure, and still lets the owner in', async () => {
    const email = await owner();
    const botnet = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'];
    for (const bot of botnet) {
      expect(await statuses([1, 2, 3].map(() => () => login(email, 'guess 12345', bot)))).toEqual([401, 401, 401]);
    }
    expect((await login(email, PASSWORD, '198.51.100.13')).status).toBe(200);
    expect((await login(email, 'guess 12345', '10.0.0.6')).status).toBe(401);
    expect((await login(email, PASSWORD, '10.0.0.6')).status).toBe(429);
    // Another email is not under attack: one failure costs its network nothing.
    const other = await owner();
    expect((await login(other, 'one typo', '10.0.0.7')).status).toBe(401);
    expect((await login(other, PASSWORD, '10.0.0.7')).status).toBe(200);
  });

  it('throttles an unknown email exactly like a known one', async () => {
    const known = await owner();
    const unknown = freshEmail();
    const run = (email: string, network: string) =>
      statuses([1, 2, 3, 4].map((attempt) => () => login(email, attempt === 4 ? PASSWORD : 'wrong password', network)));
    const [knownStatuses, unknownStatuses] = [await run(known, '203.0.113.14'), await run(unknown, '203.0.113.15')];
    expect(knownStatuses).toEqual([401, 401, 401, 429]);
    expect(unknownStatuses).toEqual(knownStatuses);
  });

  it('counts an IPv6 /64 as one network', async () => {
    const email = await owner();
    const hosts = ['2001:db8:1:2::a', '2001:db8:1:2:ffff:1:2:3', '2001:db8:1:2::c'];
    expect(await statuses(hosts.map((host) => () => login(email, 'wrong password', host)))).toEqual([401, 401, 401]);
    expect((await login(email, PASSWORD, '2001:db8:1:2::d')).status).toBe(429);
    expect((await login(email, PASSWORD, '2001:db8:1:3::a')).status).toBe(200);
  });

  it('keeps its counts in PostgreSQL, so every server process applies them', async () => {
    const email = await owner();
    const second = await startTestApp(db.sql, { config });
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) await login(email, 'wrong password', '203.0.113.16');
      expect((await login(email, PASSWORD, '203.0.113.16', second.url)).status).toBe(429);
    } finally {
      await second.close();
    }
  });
});

describe('sign-up throttling', () => {
  it('makes a network wait after five times the allowance of sign-ups, taken emails included, without slowing its logins', async () => {
    const email = await owner();
    const signUps = Array.from({ length: 15 }, (_, index) => () =>
      post('/api/v1/auth/signup', { email: index % 2 ? email : freshEmail(), password: PASSWORD }, '203.0.113.17'),
    );
    expect(new Set(await statuses(signUps))).toEqual(new Set([202]));
    const refused = await post('/api/v1/auth/signup', { email: freshEmail(), password: PASSWORD }, '203.0.113.17');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(email, PASSWORD, '203.0.113.17')).status).toBe(200);
  });
});
