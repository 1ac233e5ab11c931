import type { Sql } from '@vr-tour/db';
import type { UserRole } from '@vr-tour/protocol';
import { randomSecret, secretHash } from './secrets.js';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: UserRole;
  created_at: Date;
}

export interface Caller {
  id: string;
  role: UserRole;
}

const USER_COLUMNS = 'id, email, display_name, role, created_at';

/** Inserts a user, or returns undefined when the email is taken. */
export async function insertUser(
  sql: Sql,
  user: { email: string; passwordHash: string | null; displayName: string; role?: UserRole },
): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    INSERT INTO users (email, password_hash, display_name, role)
    VALUES (${user.email}, ${user.passwordHash}, ${user.displayName}, ${user.role ?? 'creator'})
    ON CONFLICT (email) DO NOTHING
    RETURNING ${sql.unsafe(USER_COLUMNS)}`;
  return row;
}

export async function findUserForLogin(sql: Sql, email: string) {
  const [row] = await sql<(UserRow & { password_hash: string | null })[]>`
    SELECT ${sql.unsafe(USER_COLUMNS)}, password_hash FROM users WHERE email = ${email}`;
  return row;
}

export async function findUser(sql: Sql, id: string): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users WHERE id = ${id}`;
  return row;
}

export async function deleteUser(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`DELETE FROM users WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}

export async function setUserRole(sql: Sql, id: string, role: UserRole): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    UPDATE users SET role = ${role} WHERE id = ${id} RETURNING ${sql.unsafe(USER_COLUMNS)}`;
  return row;
}

/** Starts a session and returns its secret (the cookie value). */
export async function createSession(sql: Sql, userId: string, ttlMs: number, userAgent: string | undefined): Promise<string> {
  const secret = randomSecret();
  await sql`
    INSERT INTO auth_sessions (token_hash, user_id, expires_at, user_agent)
    VALUES (${secretHash(secret)}, ${userId}, ${new Date(Date.now() + ttlMs)}, ${userAgent?.slice(0, 300) ?? null})`;
  return secret;
}

/**
 * The user behind a live session; slides its expiry forward at most once a
 * minute, so reads do not turn into a write per request.
 */
export async function findSessionUser(sql: Sql, secret: string, ttlMs: number): Promise<Caller | undefined> {
  const [row] = await sql<(Caller & { stale: boolean })[]>`
    SELECT u.id, u.role, s.last_seen_at < now() - interval '1 minute' AS stale
    FROM auth_sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ${secretHash(secret)} AND s.expires_at > now()`;
  if (row?.stale) {
    await sql`UPDATE auth_sessions SET last_seen_at = now(), expires_at = ${new Date(Date.now() + ttlMs)}
      WHERE token_hash = ${secretHash(secret)}`;
  }
  return row && { id: row.id, role: row.role };
}

export async function deleteSession(sql: Sql, secret: string): Promise<void> {
  await sql`DELETE FROM auth_sessions WHERE token_hash = ${secretHash(secret)}`;
}

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
}

export const TOKEN_PREFIX = 'vrt_';

export async function createApiToken(sql: Sql, userId: string, name: string): Promise<TokenRow & { token: string }> {
  const token = randomSecret(TOKEN_PREFIX);
  const [row] = await sql<TokenRow[]>`
    INSERT INTO api_tokens (user_id, name, token_hash, prefix)
    VALUES (${userId}, ${name}, ${secretHash(token)}, ${token.slice(0, 10)})
    RETURNING id, name, prefix, created_at, last_used_at`;
  return { ...row!, token };
}

export async function listApiTokens(sql: Sql, userId: string): Promise<TokenRow[]> {
  return sql<TokenRow[]>`
    SELECT id, name, prefix, created_at, last_used_at FROM api_tokens
    WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 200`;
}

export async function revokeApiToken(sql: Sql, userId: string, id: string): Promise<boolean> {
  const rows = await sql`
    UPDATE api_tokens SET revoked_at = now() WHERE id = ${id} AND user_id = ${userId} AND revoked_at IS NULL
    RETURNING id`;
  return rows.length > 0;
}

/** The owner of a live token; last_used_at is refreshed at most once a minute. */
export async function findTokenUser(sql: Sql, token: string): Promise<Caller | undefined> {
  const [row] = await sql<(Caller & { token_id: string; stale: boolean })[]>`
    SELECT u.id, u.role, t.id AS token_id,
           t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${secretHash(token)} AND t.revoked_at IS NULL`;
  if (row?.stale) await sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.token_id}`;
  return row && { id: row.id, role: row.role };
}
